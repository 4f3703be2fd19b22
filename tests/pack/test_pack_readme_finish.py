"""tools/integration_readme.py: the fixes applied to the README that `demisto-sdk generate-docs` writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import integration_readme as finisher

ROOT = Path(__file__).resolve().parents[2]
INTEGRATION_DIR = ROOT / "Packs" / "SentinelOne" / "Integrations" / "SentinelOne_V2"

DESCRIPTION = """## SentinelOne v2

### Connection
Token help.

### Fetching incidents
Fetch help line 1.
- a bullet

### Mirroring
Mirror help.
"""


def table_row(*cells: str) -> str:
    """A table row as generate-docs writes it, trailing space included."""
    return "| " + " | ".join(cells) + " | "


GENERATED = "\n".join(
    [
        "Endpoint protection with SentinelOne.",
        "This integration was integrated and tested with version xx of SentinelOne V2.",
        "",
        "## Configure SentinelOne v2 in Cortex",
        "",
        "| **Parameter** | **Description** | **Required** |",
        "| --- | --- | --- |",
        "| API Version |  | True |",
        "",
        "## Commands",
        "",
        "### sentinelone-get-threats",
        "",
        "| **Argument Name** | **Description** | **Required** |",
        "| --- | --- | --- |",
        table_row(
            "resolved",
            "Only resolved. Possible values are: false, true. Default is false."
            " Possible values are: false, true. Default is false.",
            "Optional",
        ),
        table_row("limit", "The maximum number. Default is 20. Default is 20.", "Optional"),
        table_row("os_type", "OS. Possible values are: windows, linux. Possible values are: windows, linux.", "Optional"),
        table_row(
            "active_agent",
            'Active. Default is "false". Possible values are: true, false. Possible values are: true, false. Default is false.',
            "Optional",
        ),
        table_row("verdict", "Verdict. Possible values are: a, b.", "Required"),
        "",
        "## Incident Mirroring",
        "",
        "You can enable incident mirroring between Cortex XSOAR incidents and SentinelOne v2 corresponding events.",
        "",
        "    | **Option** | **Description** |",
        "    | --- | --- |",
        "    | None | Turns off incident mirroring. |",
        "",
    ]
)


def test_finish_readme_states_versions_drops_repeats_and_uses_the_help_sections():
    assert finisher.finish_readme(GENERATED, DESCRIPTION) == "\n".join(
        [
            "Endpoint protection with SentinelOne.",
            "This integration was integrated and tested with versions 2.0 and 2.1 of the SentinelOne management API.",
            "",
            "## Configure SentinelOne v2 in Cortex",
            "",
            "| **Parameter** | **Description** | **Required** |",
            "| --- | --- | --- |",
            "| API Version |  | True |",
            "",
            "## Fetching incidents",
            "",
            "Fetch help line 1.",
            "- a bullet",
            "",
            "## Commands",
            "",
            "### sentinelone-get-threats",
            "",
            "| **Argument Name** | **Description** | **Required** |",
            "| --- | --- | --- |",
            table_row("resolved", "Only resolved. Possible values are: false, true. Default is false.", "Optional"),
            table_row("limit", "The maximum number. Default is 20.", "Optional"),
            table_row("os_type", "OS. Possible values are: windows, linux.", "Optional"),
            table_row(
                "active_agent", 'Active. Default is "false". Possible values are: true, false. Default is false.', "Optional"
            ),
            table_row("verdict", "Verdict. Possible values are: a, b.", "Required"),
            "",
            "## Incident Mirroring",
            "",
            "Mirror help.",
            "",
        ]
    )


def test_repeats_are_only_dropped_when_the_same_sentence_follows_directly():
    row = "| a | Default is 10. Default is 20. | Optional | \n| b | Possible values are: x. | Optional | \n"
    assert finisher.drop_repeated_suffixes(row) == row


def test_mirroring_section_is_appended_when_the_sdk_writes_none():
    readme = "Intro.\n\n## Commands\n\n### cmd\n\ntext\n"
    assert finisher.replace_mirroring_section(readme, DESCRIPTION) == (
        "Intro.\n\n## Commands\n\n### cmd\n\ntext\n\n## Incident Mirroring\n\nMirror help.\n"
    )


def test_mirroring_section_keeps_what_follows_the_generic_one():
    readme = "## Incident Mirroring\n\ngeneric\n\n## Troubleshooting\n\nkeep me\n"
    assert finisher.replace_mirroring_section(readme, DESCRIPTION) == (
        "## Incident Mirroring\n\nMirror help.\n\n## Troubleshooting\n\nkeep me\n"
    )


@pytest.mark.parametrize(
    ("readme", "description", "message"),
    [
        ("No version sentence.\n## Commands\n", DESCRIPTION, "expected one 'tested with version xx' sentence"),
        (
            "This integration was integrated and tested with version xx of X.\n",
            DESCRIPTION,
            "expected one '## Commands' heading in the generated README",
        ),
        (GENERATED, "### Mirroring\nonly mirroring\n", "the integration description has no '### Fetching incidents' section"),
    ],
)
def test_an_unexpected_shape_is_an_error_naming_what_is_missing(readme, description, message):
    with pytest.raises(finisher.ReadmeShapeError, match=message):
        finisher.finish_readme(readme, description)


def test_main_rewrites_the_readme_in_place_and_fails_with_a_message(tmp_path, capsys):
    readme, description = tmp_path / "README.md", tmp_path / "description.md"
    readme.write_text(GENERATED)
    description.write_text(DESCRIPTION)
    assert finisher.main(["integration_readme.py", str(readme), str(description)]) == 0
    assert readme.read_text() == finisher.finish_readme(GENERATED, DESCRIPTION)
    assert finisher.main(["integration_readme.py", str(readme), str(description)]) == 1
    assert capsys.readouterr().err == (
        "integration_readme: expected one 'tested with version xx' sentence in the generated README, found 0\n"
    )
    assert finisher.main(["integration_readme.py"]) == 2


def test_committed_readme_carries_the_fixes():
    readme = (INTEGRATION_DIR / "README.md").read_text(encoding="utf-8")
    assert "version xx" not in readme
    assert finisher.TESTED_VERSIONS_TEXT in readme
    assert finisher.REPEATED_SUFFIX.search(readme) is None
    description = (INTEGRATION_DIR / "SentinelOne_V2_description.md").read_text(encoding="utf-8")
    assert finisher.help_section(description, "Mirroring") in readme
    assert finisher.help_section(description, "Fetching incidents") in readme
    assert "| **Option** |" not in readme  # the generic mirroring table that RM102 misreads
