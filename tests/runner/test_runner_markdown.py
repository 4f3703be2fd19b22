"""Markdown from tableToMarkdown and readable outputs, rendered for a terminal."""

import pytest

from xsoar_local.markdown_text import format_columns, inline_text, markdown_to_text


def test_table_becomes_aligned_columns_under_an_underlined_heading():
    markdown = "### Agents\n|ID|Name|IsActive|\n|---|---|---|\n| 1 | host-a | true |\n| 22 | b\\|c | false |\n"
    assert markdown_to_text(markdown) == (
        "Agents\n------\nID  Name    IsActive\n--  ------  --------\n1   host-a  true\n22  b|c     false"
    )


def test_line_breaks_in_cells_make_multi_line_rows_told_apart_by_blank_lines():
    markdown = "|Tags|ID|\n|---|---|\n| x,<br>y | 1 |\n| z | 2 |\n"
    assert markdown_to_text(markdown) == "Tags  ID\n----  --\nx,    1\ny\n\nz     2"


def test_empty_cells_and_missing_trailing_cells_are_blank():
    assert markdown_to_text("|a|b|c|\n|---|---|---|\n|  | 2 |\n") == "a  b  c\n-  -  -\n   2"


def test_no_entries_table_and_bold():
    assert markdown_to_text("### Threats\n**No entries.**\n") == "Threats\n-------\nNo entries."


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("# Title", "Title\n====="),
        ("## Sub", "Sub\n==="),
        ("#### Deep ##", "Deep\n----"),
        ("first<br>second<br/>third", "first\nsecond\nthird"),
        ("see [the docs](https://x.io/d) or [https://a.b](https://a.b)", "see the docs (https://x.io/d) or https://a.b"),
        ("escaped \\| pipe, \\` tick, \\*star\\*, C:\\path", "escaped | pipe, ` tick, *star*, C:\\path"),
        ("plain text\r\nnext line", "plain text\nnext line"),
        ("trailing spaces   \n\n\n", "trailing spaces"),
    ],
)
def test_inline_markup_and_headings(markdown, text):
    assert markdown_to_text(markdown) == text


def test_a_pipe_line_without_separator_is_not_a_table():
    assert markdown_to_text("| not a table |\nnext") == "| not a table |\nnext"


def test_text_around_a_table_is_kept_in_order():
    markdown = "Summary line\n|k|\n|:---:|\n| v |\nAfter"
    assert markdown_to_text(markdown) == "Summary line\nk\n-\nv\nAfter"


def test_inline_text_turns_br_into_newlines():
    assert inline_text("**a**<BR>b") == "a\nb"


def test_format_columns_pads_short_rows_and_drops_extra_cells():
    assert format_columns(["x", "yy"], [["1"], ["1", "2", "3"]]) == ["x  yy", "-  --", "1", "1  2"]
