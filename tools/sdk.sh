#!/usr/bin/env bash
# demisto-sdk 1.39.13 for the Makefile, offline:  bash tools/sdk.sh validate|docs|docs-check|pack
#
# Making the repository "content-like" (demisto-sdk expects to run inside a demisto/content checkout):
# - Every command runs from the repository root. When the `origin` remote's URL does not contain "content" (or there
#   is no origin at all), the SDK takes "." as the content path and finds Packs/ and Config/ relative to it; that works
#   the same in this working copy and in a fresh CI clone whose origin points anywhere, so `origin` is never touched.
# - Config/ holds the approved categories, use cases and tags and the compliant-policy list that the pack validators
#   read from a content repository (see Config/README.md); without them validate refuses to run or goes to the network.
# - The git-based mode (`validate -g`) needs an `origin` with a "content" URL and an `origin/main` ref to diff against.
#   It runs in a throw-away clone (see strict_validate), never in this repository.
# Never set DEMISTO_SDK_OFFLINE_ENV (validate then refuses to run) and never run `validate --fix` (it drops data).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

SDK=${SDK:-$ROOT/.venv-sdk/bin/demisto-sdk}
SDK_PYTHON=${SDK_PYTHON:-$ROOT/.venv-sdk/bin/python}
PACK=Packs/SentinelOne
INTEGRATION_DIR=$PACK/Integrations/SentinelOne_V2
INTEGRATION_YML=$INTEGRATION_DIR/SentinelOne_V2.yml
INTEGRATION_README=$INTEGRATION_DIR/README.md
INTEGRATION_DESCRIPTION=$INTEGRATION_DIR/SentinelOne_V2_description.md
PLAYBOOKS_DIR=$PACK/Playbooks
DOC_FILES=$PACK/doc_files
# The SDK's full validator set minus the validators that need the network or the content graph (neo4j).
# Regenerate with: .venv-sdk/bin/python tools/make_offline_validation_config.py
VALIDATION_CONFIG=$ROOT/tools/offline_validation_config.toml
DIST=$ROOT/dist

export DEMISTO_SDK_IGNORE_CONTENT_WARNING=1 # only silences the "run in a content repository" banner
export DEMISTO_DEFAULT_BRANCH=main

# Lines the SDK prints on every run in a non-content repo, and the comma-separated list of every file of the pack that
# `validate -g` prints; they carry no information about the pack's validity (findings always read "<path>: [CODE] - ...").
SDK_NOISE='^(Could not get repository properties:|Could not find remote with name origin|Please run demisto-sdk in a content repository|.*Could not find the repository name on github|.*If you are using a private gitlab repo|[A-Za-z0-9_./-]+(, [A-Za-z0-9_./-]+)+$)'

# Files some SDK commands drop at the content root (pre-commit touches CommonServerUserPython.py, setup-env writes .env
# and .vscode/). Whatever was not there before a run is removed after it; nothing else is touched.
STRAY_CANDIDATES=(CommonServerUserPython.py .env .vscode)
declare -a STRAYS_BEFORE=()
WORK_DIRS=()
WORK_DIR=

remember_strays() {
    local name
    for name in "${STRAY_CANDIDATES[@]}"; do
        [[ -e $ROOT/$name ]] && STRAYS_BEFORE+=("$name")
    done
    return 0
}

cleanup() {
    local name existed before
    for name in "${STRAY_CANDIDATES[@]}"; do
        existed=no
        for before in "${STRAYS_BEFORE[@]+"${STRAYS_BEFORE[@]}"}"; do
            [[ $before == "$name" ]] && existed=yes
        done
        [[ $existed == no && -e $ROOT/$name ]] && rm -rf "${ROOT:?}/$name"
    done
    local dir
    for dir in "${WORK_DIRS[@]+"${WORK_DIRS[@]}"}"; do
        rm -rf "$dir"
    done
    return 0
}

# Sets WORK_DIR to a new scratch directory, removed on exit. It does not print the path for a command substitution: the
# substitution's subshell would record the directory for cleanup in its own copy of WORK_DIRS.
new_work_dir() {
    WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/s1-sdk.XXXXXX")
    WORK_DIRS+=("$WORK_DIR")
}

# Run the SDK with its fixed noise filtered out; the exit status is the SDK's own.
sdk() {
    local status
    set +e
    "$SDK" "$@" 2>&1 | { grep -Ev "$SDK_NOISE" || true; }
    status=${PIPESTATUS[0]}
    set -e
    return "$status"
}

require_sdk() {
    if [[ ! -x $SDK ]]; then
        echo "demisto-sdk not found at $SDK: run 'make sdk-venv' first" >&2
        exit 2
    fi
}

# Path-based validation of every file of the pack with the offline validator set.
path_validate() {
    echo "== demisto-sdk validate -i $PACK (offline validator set)"
    sdk validate -i "$PACK" --config-path "$VALIDATION_CONFIG"
}

# The strictest mode, `validate -g`, as if the whole pack were being added in a pull request: it adds the checks that
# run only on new or changed files (file names, section order, provider, README coverage of every command, field name
# prefixes, searchable fields, release-note checks, ...). It needs a remote named origin with a "content" URL and an
# origin/main ref, so it runs in a throw-away clone: a bare "content.git" holding a baseline commit (Config/ only) and a
# candidate branch holding the pack as it is in this working tree (tracked and untracked files, .gitignore honoured).
# This is independent of this repository's own remotes and history, so it behaves the same in a fresh CI clone.
# Release notes of a new pack: RN108 ("a new pack doesn't have a RN") is selected but, in 1.39.13, lists ReleaseNotes/
# at the previous revision, where a new pack has none, so ReleaseNotes/1_0_0.md passes; the RN format validators
# (RN113-RN116) run only on modified packs. tests/pack pins the format of 1_0_0.md instead.
strict_validate() {
    local scratch work
    new_work_dir
    scratch=$WORK_DIR
    work=$scratch/work
    local git_identity=(-c user.name=sdk-validate -c user.email=sdk-validate@localhost -c commit.gpgsign=false)
    git init -q --bare "$scratch/content.git"
    git init -q -b main "$work"
    cp -R Config "$work/Config"
    git -C "$work" add Config
    git -C "$work" "${git_identity[@]}" commit -q -m baseline
    git -C "$work" remote add origin "$scratch/content.git"
    git -C "$work" push -q origin main
    git -C "$work" checkout -q -b candidate
    git ls-files -z --cached --others --exclude-standard -- "$PACK" Config |
        while IFS= read -r -d '' path; do
            # Listed but deleted in the working tree: the candidate reflects the working tree.
            if [[ -f $path ]]; then printf '%s\0' "$path"; fi
        done | tar --null -T - -cf - | tar -xf - -C "$work"
    git -C "$work" add -A
    git -C "$work" "${git_identity[@]}" commit -q -m candidate
    echo "== demisto-sdk validate -g (the pack as a new pack, offline validator set)"
    (cd "$work" && sdk validate -g --prev-ver main --config-path "$VALIDATION_CONFIG")
}

cmd_validate() {
    local failed=0
    path_validate || failed=1
    strict_validate || failed=1
    if ((failed)); then
        echo "validate: FAILED (see the errors above)" >&2
        return 1
    fi
    echo "validate: OK"
}

# generate-docs into a scratch directory (it would `git add` a README it writes inside the repo), then finish it.
# `-f` makes it write a full README even when one exists; without it, it "updates" and may silently keep the old one.
# `--skip-breaking-changes` keeps out the "Breaking changes ... %%FILL HERE%%" section it adds for a "_V2" name.
# `-f` asks for the path of a previous version on stdin: the empty line answers "none".
generate_readme() {
    local out=$1 log
    log=$out/generate-docs.log
    if ! echo | "$SDK" generate-docs -i "$INTEGRATION_YML" -o "$out" -f --skip-breaking-changes >"$log" 2>&1 ||
        [[ ! -s $out/README.md ]]; then
        grep -Ev "$SDK_NOISE" "$log" >&2 || true
        echo "generate-docs failed" >&2
        return 1
    fi
    "$SDK_PYTHON" "$ROOT/tools/integration_readme.py" "$out/README.md" "$INTEGRATION_DESCRIPTION"
}

# Each playbook's README (generate-docs, one call for the whole folder) and its flow image, which the README shows and
# validate wants in doc_files/ (RM116), drawn by tools/playbook_image.py. Written into $1/readmes and $1/images.
generate_playbook_docs() {
    local out=$1 log playbook stem
    local -a playbooks=()
    mkdir -p "$out/readmes" "$out/images"
    shopt -s nullglob
    playbooks=("$PLAYBOOKS_DIR"/*.yml)
    shopt -u nullglob
    ((${#playbooks[@]})) || return 0
    log=$out/playbook-docs.log
    if ! echo | "$SDK" generate-docs -i "$PLAYBOOKS_DIR" -o "$out/readmes" >"$log" 2>&1; then
        grep -Ev "$SDK_NOISE" "$log" >&2 || true
        echo "generate-docs failed for the playbooks" >&2
        return 1
    fi
    for playbook in "${playbooks[@]}"; do
        stem=$(basename "$playbook" .yml)
        if [[ ! -s $out/readmes/${stem}_README.md ]]; then
            grep -Ev "$SDK_NOISE" "$log" >&2 || true
            echo "generate-docs wrote no README for $playbook" >&2
            return 1
        fi
        "$SDK_PYTHON" -m tools.playbook_image "$playbook" "$out/images/${stem#playbook-}.png"
    done
}

# Where a generated playbook doc belongs: a README beside its playbook, a flow image in doc_files/.
playbook_doc_target() {
    if [[ $1 == *.png ]]; then echo "$DOC_FILES/$(basename "$1")"; else echo "$PLAYBOOKS_DIR/$(basename "$1")"; fi
}

cmd_docs() {
    local out file target
    new_work_dir
    out=$WORK_DIR
    generate_readme "$out"
    cp "$out/README.md" "$INTEGRATION_README"
    echo "wrote $INTEGRATION_README"
    generate_playbook_docs "$out/playbooks"
    for file in "$out/playbooks/readmes/"*_README.md "$out/playbooks/images/"*.png; do
        [[ -f $file ]] || continue
        target=$(playbook_doc_target "$file")
        mkdir -p "$(dirname "$target")"
        cp "$file" "$target"
        echo "wrote $target"
    done
}

cmd_docs_check() {
    local out file target stale=0
    new_work_dir
    out=$WORK_DIR
    generate_readme "$out"
    if [[ ! -f $INTEGRATION_README ]] || ! diff -u "$INTEGRATION_README" "$out/README.md" >"$out/readme.diff"; then
        head -n 60 "$out/readme.diff" 2>/dev/null || true
        echo "README out of date: run make docs" >&2
        return 1
    fi
    generate_playbook_docs "$out/playbooks"
    for file in "$out/playbooks/readmes/"*_README.md "$out/playbooks/images/"*.png; do
        [[ -f $file ]] || continue
        target=$(playbook_doc_target "$file")
        if [[ ! -f $target ]] || ! cmp -s "$file" "$target"; then
            [[ $file == *.png ]] || diff -u "$target" "$file" 2>/dev/null | head -n 40 || true
            echo "out of date: $target" >&2
            stale=1
        fi
    done
    if ((stale)); then
        echo "playbook docs out of date: run make docs" >&2
        return 1
    fi
    echo "docs-check: $INTEGRATION_README and the playbook READMEs and images are up to date"
}

cmd_pack() {
    rm -rf "$DIST"
    mkdir -p "$DIST"
    echo "== prepare-content (unified integration YAML)"
    sdk prepare-content -i "$INTEGRATION_DIR" -o "$DIST" -mp xsoar
    echo "== zip-packs (pack zip)"
    # At INFO it lists every file it copies; warnings and errors still show.
    sdk zip-packs -i "$PACK" -o "$DIST" --console-log-threshold WARNING
    local unified=$DIST/integration-SentinelOne_V2.yml zip=$DIST/uploadable_packs/SentinelOne.zip
    if [[ ! -s $unified || ! -s $zip ]]; then
        echo "pack: expected $unified and $zip" >&2
        return 1
    fi
    echo "pack: $unified"
    echo "pack: $zip"
}

main() {
    local command=${1:-}
    case $command in
    validate | docs | docs-check | pack) ;;
    *)
        echo "usage: bash tools/sdk.sh validate|docs|docs-check|pack" >&2
        exit 2
        ;;
    esac
    require_sdk
    remember_strays
    trap cleanup EXIT
    case $command in
    validate) cmd_validate ;;
    docs) cmd_docs ;;
    docs-check) cmd_docs_check ;;
    pack) cmd_pack ;;
    esac
}

main "$@"
