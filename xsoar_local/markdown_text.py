"""Markdown as the War Room shows it, turned into plain text for a terminal.

Covers what integrations emit through tableToMarkdown and hand-written readable output: `#` headings, pipe
tables (as aligned columns), `<br>` line breaks, `**bold**`, `[text](url)` links and backslash escapes.
Anything else passes through unchanged.
"""

from __future__ import annotations

import re

COLUMN_GAP = "  "
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def markdown_to_text(markdown: str) -> str:
    """Render `markdown` for a terminal; the result has no trailing newline."""
    lines = markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    output: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if _is_table_start(lines, index):
            end = index + 2
            while end < len(lines) and lines[end].strip().startswith("|"):
                end += 1
            output.extend(render_table(lines[index], lines[index + 2 : end]))
            index = end
            continue
        heading = _HEADING.match(line)
        if heading:
            title = inline_text(heading.group(2))
            underline = "=" if len(heading.group(1)) <= 2 else "-"
            output.extend([title, underline * max(len(title), 3)])
        else:
            output.extend(inline_text(line).split("\n"))
        index += 1
    return "\n".join(line.rstrip() for line in output).strip("\n")


def inline_text(text: str) -> str:
    """Inline markup of one line (or one table cell) as plain text; `<br>` becomes a newline."""
    text = _LINE_BREAK.sub("\n", text)
    text = _BOLD.sub(r"\1", text)
    text = _LINK.sub(_link_text, text)
    return _ESCAPED.sub(r"\1", text)


def _link_text(link: re.Match[str]) -> str:
    text, url = link.group(1), link.group(2)
    return url if text in ("", url) else f"{text} ({url})"


def render_table(header_line: str, row_lines: list[str]) -> list[str]:
    """A pipe table (its header line and its row lines, without the separator) as aligned columns."""
    header = [cell.replace("\n", " ") for cell in _cells(header_line)]
    return format_columns(header, [_cells(line) for line in row_lines])


def format_columns(header: list[str], rows: list[list[str]]) -> list[str]:
    """Columns padded to the widest cell; a cell with newlines takes several lines."""
    width = len(header)
    rows = [(list(row) + [""] * width)[:width] for row in rows]
    column_widths = [
        max([len(header[column]), *(len(part) for row in rows for part in row[column].split("\n"))]) for column in range(width)
    ]
    has_multiline_rows = any("\n" in cell for row in rows for cell in row)

    def joined(parts: list[str]) -> str:
        return COLUMN_GAP.join(part.ljust(column_widths[column]) for column, part in enumerate(parts)).rstrip()

    output = [joined(header), joined(["-" * size for size in column_widths])]
    for number, row in enumerate(rows):
        cell_lines = [cell.split("\n") for cell in row]
        height = max((len(parts) for parts in cell_lines), default=1)
        if has_multiline_rows and number:
            output.append("")  # rows of several lines are told apart by a blank line
        for line_number in range(height):
            output.append(joined([parts[line_number] if line_number < len(parts) else "" for parts in cell_lines]))
    return output


def _is_table_start(lines: list[str], index: int) -> bool:
    return index + 1 < len(lines) and lines[index].strip().startswith("|") and bool(_TABLE_SEPARATOR.match(lines[index + 1]))


def _cells(line: str) -> list[str]:
    inner = line.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    return [inline_text(cell.strip()) for cell in _UNESCAPED_PIPE.split(inner)]
