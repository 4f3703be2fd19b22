"""Finish the integration README that `demisto-sdk generate-docs` writes, so that `make docs` is reproducible.

generate-docs builds the README from the integration YAML alone; three things need fixing afterwards, each done the
same way on every run (tools/sdk.sh docs and docs-check both call this):
1. It writes "tested with version xx of <name>", which validator RM115 rejects as a placeholder. We state the API
   versions the integration supports instead.
2. It appends "Possible values are: ..." and "Default is ..." to argument descriptions that already end with the very
   same sentence (the specification's descriptions carry them), so the sentence shows twice. The repeat is dropped.
3. It says nothing about fetching, and its generic "## Incident Mirroring" section names parameters this integration
   does not have and holds a table that validator RM102 then misreads as outputs of the last command. The
   "Fetching incidents" section of the integration's help file (SentinelOne_V2_description.md, shown in the instance
   settings) goes before "## Commands", and its "Mirroring" section replaces the generic one, so the README and the
   in-product help cannot drift apart.

    python tools/integration_readme.py <generated README.md> <integration description.md>   (rewrites the README)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

TESTED_VERSIONS_SENTENCE = re.compile(r"This integration was integrated and tested with version xx of [^\n]*?\.(?=\s|$)")
TESTED_VERSIONS_TEXT = "This integration was integrated and tested with versions 2.0 and 2.1 of the SentinelOne management API."
# A sentence generate-docs appends right after the same sentence at the end of the description (within one table cell).
REPEATED_SUFFIX = re.compile(r"((?:Possible values are|Default is):? [^|\n]*?\.) \1(?=[ |\n]|$)")
FETCH_HELP_TITLE = "Fetching incidents"
MIRRORING_HELP_TITLE = "Mirroring"
COMMANDS_HEADING = "## Commands"
MIRRORING_HEADING = "## Incident Mirroring"
GENERIC_MIRRORING_SECTION = re.compile(rf"^{re.escape(MIRRORING_HEADING)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)


class ReadmeShapeError(ValueError):
    """The generated README or the help file no longer has the shape this script expects (e.g. a new SDK version)."""


def state_api_versions(readme: str) -> str:
    finished, count = TESTED_VERSIONS_SENTENCE.subn(TESTED_VERSIONS_TEXT, readme)
    if count != 1:
        raise ReadmeShapeError(f"expected one 'tested with version xx' sentence in the generated README, found {count}")
    return finished


def drop_repeated_suffixes(readme: str) -> str:
    return REPEATED_SUFFIX.sub(r"\1", readme)


def help_section(description: str, title: str) -> str:
    """The body of a `### <title>` section of the help file, up to the next heading of the same or a higher level."""
    match = re.search(rf"^### {re.escape(title)}\n(.*?)(?=^#{{1,3}} |\Z)", description, re.MULTILINE | re.DOTALL)
    if match is None:
        raise ReadmeShapeError(f"the integration description has no '### {title}' section")
    return match.group(1).strip()


def insert_fetch_section(readme: str, description: str) -> str:
    if readme.count(COMMANDS_HEADING + "\n") != 1:
        raise ReadmeShapeError(f"expected one '{COMMANDS_HEADING}' heading in the generated README")
    section = f"## {FETCH_HELP_TITLE}\n\n{help_section(description, FETCH_HELP_TITLE)}\n\n"
    return readme.replace(COMMANDS_HEADING + "\n", section + COMMANDS_HEADING + "\n", 1)


def replace_mirroring_section(readme: str, description: str) -> str:
    """Put the help file's mirroring section in place of the SDK's generic one (or at the end if there is none)."""
    section = f"{MIRRORING_HEADING}\n\n{help_section(description, MIRRORING_HELP_TITLE)}\n"
    generic = GENERIC_MIRRORING_SECTION.search(readme)
    if generic is None:
        return readme.rstrip("\n") + "\n\n" + section
    following = readme[generic.end() :]
    return readme[: generic.start()] + section + ("\n" + following if following else "")


def finish_readme(readme: str, description: str) -> str:
    readme = drop_repeated_suffixes(state_api_versions(readme))
    return replace_mirroring_section(insert_fetch_section(readme, description), description)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    readme_path, description_path = Path(argv[1]), Path(argv[2])
    try:
        finished = finish_readme(readme_path.read_text(), description_path.read_text())
    except ReadmeShapeError as error:
        print(f"integration_readme: {error}", file=sys.stderr)
        return 1
    readme_path.write_text(finished)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
