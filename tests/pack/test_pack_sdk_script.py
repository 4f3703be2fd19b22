"""tools/sdk.sh, driven with a stand-in for demisto-sdk so the script's own logic is tested in milliseconds.

The stand-in records each call (arguments, working directory, and for `validate -g` the state of the git repository it
runs in) and behaves as told through environment variables. The real SDK runs in `make validate` / `make docs-check`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
INTEGRATION = Path("Packs/SentinelOne/Integrations/SentinelOne_V2")

FAKE_SDK = f"""#!{sys.executable}
import json, os, pathlib, subprocess, sys

args = sys.argv[1:]
call = {{"args": args, "cwd": os.getcwd()}}
if args[:2] == ["validate", "-g"]:
    git = lambda *a: subprocess.run(["git", *a], capture_output=True, text=True).stdout.split()
    call["origin"] = git("remote", "get-url", "origin")
    call["branch"] = git("rev-parse", "--abbrev-ref", "HEAD")
    call["files"] = git("ls-files")
    call["baseline_files"] = git("ls-tree", "-r", "--name-only", "origin/main")
    call["uncommitted"] = git("status", "--porcelain")
with open(os.environ["FAKE_SDK_LOG"], "a") as log:
    log.write(json.dumps(call) + "\\n")
print("Could not get repository properties: Remote named 'origin' didn't exist, using provided configs, or default.")
command = args[0]
if command == "validate":
    mode = "git" if "-g" in args else "path"
    print("Packs/SentinelOne/pack_metadata.json, Packs/SentinelOne/README.md")
    print(f"Packs/SentinelOne/pack_metadata.json: [XX100] - {{mode}} finding")
    if os.environ.get("FAKE_SDK_STRAY"):
        pathlib.Path("CommonServerUserPython.py").touch()
    sys.exit(int(os.environ.get(f"FAKE_SDK_{{mode.upper()}}_STATUS", "0")))
if command == "generate-docs":
    call_input = sys.stdin.read()
    assert call_input == "\\n", repr(call_input)
    if os.environ.get("FAKE_SDK_DOCS_STATUS", "0") != "0":
        print("docs exploded")
        sys.exit(1)
    out = pathlib.Path(args[args.index("-o") + 1])
    source = pathlib.Path(args[args.index("-i") + 1])
    if source.is_dir():  # the playbooks folder: one README per playbook, named as generate-docs names it
        for playbook in sorted(source.glob("*.yml")):
            if os.environ.get("FAKE_SDK_SKIP_README") != playbook.name:
                out.joinpath(playbook.stem + "_README.md").write_text(f"README of {{playbook.stem}}\\n")
        sys.exit(0)
    out.joinpath("README.md").write_text(pathlib.Path(os.environ["FAKE_SDK_README"]).read_text())
    sys.exit(0)
if command in ("prepare-content", "zip-packs"):
    out = pathlib.Path(args[args.index("-o") + 1])
    if os.environ.get("FAKE_SDK_PACK_OUTPUT", "1") == "1":
        if command == "prepare-content":
            out.joinpath("integration-SentinelOne_V2.yml").write_text("name: x\\n")
        else:
            out.joinpath("uploadable_packs").mkdir()
            out.joinpath("uploadable_packs", "SentinelOne.zip").write_bytes(b"PK")
    sys.exit(0)
sys.exit(3)
"""

GENERATED_README = """SentinelOne.
This integration was integrated and tested with version xx of SentinelOne V2.

## Commands

### sentinelone-get-threats

| limit | The maximum number. Default is 20. Default is 20. | Optional |
"""

DESCRIPTION = "### Fetching incidents\nFetch help.\n\n### Mirroring\nMirror help.\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A minimal repository with the script, the README finisher and the pack files the script touches."""
    root = tmp_path / "repo"
    (root / "tools").mkdir(parents=True)
    for name in ("sdk.sh", "integration_readme.py", "offline_validation_config.toml", "playbook_image.py", "make_logo.py"):
        shutil.copy(ROOT / "tools" / name, root / "tools" / name)
    (root / INTEGRATION).mkdir(parents=True)
    (root / INTEGRATION / "SentinelOne_V2.yml").write_text("commonfields:\n  id: SentinelOne V2\nfromversion: 6.10.0\n")
    (root / INTEGRATION / "SentinelOne_V2_description.md").write_text(DESCRIPTION)
    (root / "Packs/SentinelOne/pack_metadata.json").write_text("{}\n")
    (root / "Config").mkdir()
    (root / "Config/approved_tags.json").write_text("{}\n")
    (root / ".gitignore").write_text("ignored.txt\n")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@localhost", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run([*git, "-C", str(root), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(root), "commit", "-q", "-m", "base"], check=True)
    fake = tmp_path / "demisto-sdk"
    fake.write_text(FAKE_SDK)
    fake.chmod(0o755)
    (tmp_path / "generated.md").write_text(GENERATED_README)
    return root


def run_script(repo: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = repo.parent
    environment = {
        **os.environ,
        "SDK": str(base / "demisto-sdk"),
        "SDK_PYTHON": sys.executable,
        "FAKE_SDK_LOG": str(base / "calls.jsonl"),
        "FAKE_SDK_README": str(base / "generated.md"),
        "TMPDIR": str(base),
        **env,
    }
    return subprocess.run(
        ["bash", str(repo / "tools" / "sdk.sh"), *args], capture_output=True, text=True, env=environment, timeout=60
    )


def calls(repo: Path) -> list[dict[str, Any]]:
    log = repo.parent / "calls.jsonl"
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def test_unknown_subcommand_prints_usage_and_exits_2(repo):
    result = run_script(repo, "lint")
    assert result.returncode == 2
    assert result.stderr == "usage: bash tools/sdk.sh validate|docs|docs-check|pack\n"
    assert calls(repo) == []


def test_missing_sdk_points_to_make_sdk_venv(repo):
    result = run_script(repo, "validate", SDK=str(repo / "nowhere" / "demisto-sdk"))
    assert result.returncode == 2
    assert result.stderr == f"demisto-sdk not found at {repo / 'nowhere' / 'demisto-sdk'}: run 'make sdk-venv' first\n"


def test_docs_writes_the_finished_readme_and_docs_check_accepts_it(repo):
    result = run_script(repo, "docs")
    assert result.returncode == 0, result.stderr
    readme = (repo / INTEGRATION / "README.md").read_text()
    assert "tested with versions 2.0 and 2.1 of the SentinelOne management API." in readme
    assert "Default is 20. |" in readme and "Default is 20. Default is 20." not in readme
    assert "## Fetching incidents\n\nFetch help.\n" in readme and "## Incident Mirroring\n\nMirror help.\n" in readme
    (call,) = calls(repo)
    out = call["args"][call["args"].index("-o") + 1]
    assert call["args"] == [
        "generate-docs", "-i", str(INTEGRATION / "SentinelOne_V2.yml"), "-o", out, "-f", "--skip-breaking-changes"
    ]  # fmt: skip
    assert call["cwd"] == str(repo)
    assert not out.startswith(str(repo)) and not Path(out).exists()  # generated outside the repo, then removed

    check = run_script(repo, "docs-check")
    assert check.returncode == 0, check.stderr
    assert check.stdout == f"docs-check: {INTEGRATION / 'README.md'} and the playbook READMEs and images are up to date\n"


def test_docs_check_fails_on_a_stale_or_missing_readme(repo):
    assert run_script(repo, "docs").returncode == 0
    readme = repo / INTEGRATION / "README.md"
    readme.write_text(readme.read_text().replace("Fetch help.", "Old fetch help."))
    stale = run_script(repo, "docs-check")
    assert stale.returncode == 1
    assert stale.stderr.endswith("README out of date: run make docs\n")
    assert "-Old fetch help.\n+Fetch help.\n" in stale.stdout
    readme.unlink()
    missing = run_script(repo, "docs-check")
    assert missing.returncode == 1
    assert missing.stderr.endswith("README out of date: run make docs\n")


def test_docs_reports_a_failing_generate_docs_with_its_output(repo):
    result = run_script(repo, "docs", FAKE_SDK_DOCS_STATUS="1")
    assert result.returncode == 1
    assert result.stderr == "docs exploded\ngenerate-docs failed\n"
    assert not (repo / INTEGRATION / "README.md").exists()


def test_validate_runs_path_mode_here_and_git_mode_in_a_content_like_scratch_clone(repo):
    (repo / INTEGRATION / "new_untracked.md").write_text("x\n")
    (repo / "Packs/SentinelOne/ignored.txt").write_text("git ignores me\n")
    result = run_script(repo, "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    path_call, git_call = calls(repo)
    config = str(repo / "tools" / "offline_validation_config.toml")
    assert path_call["args"] == ["validate", "-i", "Packs/SentinelOne", "--config-path", config]
    assert path_call["cwd"] == str(repo)
    assert git_call["args"] == ["validate", "-g", "--prev-ver", "main", "--config-path", config]
    scratch = Path(git_call["cwd"])
    assert not str(scratch).startswith(str(repo)) and not scratch.exists()  # removed afterwards
    (origin,) = git_call["origin"]
    assert origin.endswith("/content.git")  # the SDK treats a repo whose origin says "content" as a content repo
    assert git_call["branch"] == ["candidate"]
    assert git_call["baseline_files"] == ["Config/approved_tags.json"]
    assert sorted(git_call["files"]) == [
        "Config/approved_tags.json",
        "Packs/SentinelOne/Integrations/SentinelOne_V2/SentinelOne_V2.yml",
        "Packs/SentinelOne/Integrations/SentinelOne_V2/SentinelOne_V2_description.md",
        "Packs/SentinelOne/Integrations/SentinelOne_V2/new_untracked.md",
        "Packs/SentinelOne/pack_metadata.json",
    ]
    assert git_call["uncommitted"] == []
    # The SDK's fixed chatter and file lists are filtered out; its findings are not.
    assert "Could not get repository properties" not in result.stdout
    assert "Packs/SentinelOne/README.md" not in result.stdout
    assert "Packs/SentinelOne/pack_metadata.json: [XX100] - path finding\n" in result.stdout
    assert "Packs/SentinelOne/pack_metadata.json: [XX100] - git finding\n" in result.stdout
    assert result.stdout.endswith("validate: OK\n")
    # This repository's own remotes are untouched.
    remotes = subprocess.run(["git", "-C", str(repo), "remote"], capture_output=True, text=True, check=True).stdout
    assert remotes == ""


@pytest.mark.parametrize(("path_status", "git_status"), [("1", "0"), ("0", "1"), ("1", "1")])
def test_validate_fails_when_either_mode_fails_and_still_runs_both(repo, path_status, git_status):
    result = run_script(repo, "validate", FAKE_SDK_PATH_STATUS=path_status, FAKE_SDK_GIT_STATUS=git_status)
    assert result.returncode == 1
    assert result.stderr == "validate: FAILED (see the errors above)\n"
    assert [call["args"][1] for call in calls(repo)] == ["-i", "-g"]


def test_stray_files_the_sdk_drops_are_removed_but_existing_ones_are_kept(repo):
    (repo / ".env").write_text("MINE=1\n")
    result = run_script(repo, "validate", FAKE_SDK_STRAY="1")
    assert result.returncode == 0, result.stderr
    assert not (repo / "CommonServerUserPython.py").exists()
    assert (repo / ".env").read_text() == "MINE=1\n"


def test_pack_writes_the_unified_yaml_and_the_zip_into_dist(repo):
    (repo / "dist").mkdir()
    (repo / "dist" / "old.txt").write_text("stale\n")
    result = run_script(repo, "pack")
    assert result.returncode == 0, result.stderr
    assert sorted(p.relative_to(repo).as_posix() for p in (repo / "dist").rglob("*") if p.is_file()) == [
        "dist/integration-SentinelOne_V2.yml",
        "dist/uploadable_packs/SentinelOne.zip",
    ]
    prepare, zip_packs = calls(repo)
    assert prepare["args"] == ["prepare-content", "-i", str(INTEGRATION), "-o", str(repo / "dist"), "-mp", "xsoar"]
    assert zip_packs["args"] == [
        "zip-packs", "-i", "Packs/SentinelOne", "-o", str(repo / "dist"), "--console-log-threshold", "WARNING"
    ]  # fmt: skip


def test_pack_fails_when_the_sdk_writes_no_artefact(repo):
    result = run_script(repo, "pack", FAKE_SDK_PACK_OUTPUT="0")
    assert result.returncode == 1
    assert result.stderr == (
        f"pack: expected {repo / 'dist' / 'integration-SentinelOne_V2.yml'} "
        f"and {repo / 'dist' / 'uploadable_packs' / 'SentinelOne.zip'}\n"
    )


def test_validate_copies_the_working_tree_even_when_a_tracked_file_was_deleted(repo):
    (repo / "Packs/SentinelOne/pack_metadata.json").unlink()  # the last file git lists
    result = run_script(repo, "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    _, git_call = calls(repo)
    assert sorted(git_call["files"]) == [
        "Config/approved_tags.json",
        "Packs/SentinelOne/Integrations/SentinelOne_V2/SentinelOne_V2.yml",
        "Packs/SentinelOne/Integrations/SentinelOne_V2/SentinelOne_V2_description.md",
    ]


PLAYBOOK = """id: Probe
name: Probe
starttaskid: '0'
tasks:
  '0': {id: '0', type: start, task: {name: ''}, nexttasks: {'#none#': ['1']}, view: '{"position":{"x":50,"y":50}}'}
  '1': {id: '1', type: title, task: {name: Done}, view: '{"position":{"x":50,"y":230}}'}
"""


def test_docs_writes_a_readme_and_an_image_per_playbook_and_docs_check_compares_both(repo):
    playbooks = repo / "Packs/SentinelOne/Playbooks"
    playbooks.mkdir()
    (playbooks / "playbook-Probe.yml").write_text(PLAYBOOK)
    result = run_script(repo, "docs")
    assert result.returncode == 0, result.stderr
    readme = playbooks / "playbook-Probe_README.md"
    image = repo / "Packs/SentinelOne/doc_files/Probe.png"
    assert readme.read_text() == "README of playbook-Probe\n"
    assert image.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    _, playbooks_call = calls(repo)
    assert playbooks_call["args"][:3] == ["generate-docs", "-i", "Packs/SentinelOne/Playbooks"]
    assert run_script(repo, "docs-check").returncode == 0

    image.write_bytes(b"stale")
    stale = run_script(repo, "docs-check")
    assert stale.returncode == 1
    assert stale.stderr == "out of date: Packs/SentinelOne/doc_files/Probe.png\nplaybook docs out of date: run make docs\n"
    assert run_script(repo, "docs").returncode == 0
    readme.write_text("edited by hand\n")
    edited = run_script(repo, "docs-check")
    assert edited.returncode == 1
    assert "-edited by hand\n+README of playbook-Probe\n" in edited.stdout
    assert edited.stderr.startswith("out of date: Packs/SentinelOne/Playbooks/playbook-Probe_README.md\n")


def test_docs_fails_when_generate_docs_writes_no_readme_for_a_playbook(repo):
    playbooks = repo / "Packs/SentinelOne/Playbooks"
    playbooks.mkdir()
    (playbooks / "playbook-Probe.yml").write_text(PLAYBOOK)
    result = run_script(repo, "docs", FAKE_SDK_SKIP_README="playbook-Probe.yml")
    assert result.returncode == 1
    assert result.stderr.endswith("generate-docs wrote no README for Packs/SentinelOne/Playbooks/playbook-Probe.yml\n")
