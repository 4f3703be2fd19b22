"""Draw a playbook's flow as a PNG for its README (demisto-sdk's RM116 wants `doc_files/<playbook file stem>.png`).

    python -m tools.playbook_image <playbook.yml> <output.png>

Each task is a box at the position the playbook's `view` gives it (the position the XSOAR editor shows), coloured by
kind (start, section title, condition, integration command, script, sub-playbook) and labelled with its id and name;
arrows follow the branches, labelled with the condition's outcome. Only the standard library is used (a 5x7 bitmap
font, and the PNG encoder of tools/make_logo.py) and the output is byte-for-byte deterministic, so docs-check can
compare it.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tools.make_logo import png_bytes

Rgb = tuple[int, int, int]
WHITE: Rgb = (255, 255, 255)
INK: Rgb = (33, 33, 33)
EDGE: Rgb = (120, 120, 120)
LABEL: Rgb = (170, 80, 0)
KIND_COLOURS: dict[str, Rgb] = {
    "start": (46, 160, 67),
    "title": (90, 90, 110),
    "condition": (230, 140, 20),
    "command": (107, 47, 186),
    "script": (60, 120, 200),
    "playbook": (0, 150, 160),
}
SCALE = 0.5  # editor units per pixel
BOX_W, BOX_H = 200, 46
MARGIN = 20
CHAR_W, CHAR_H = 6, 8  # a 5x7 glyph and its spacing

# 5x7 glyphs, '#' = ink; lower case is drawn in upper case.
FONT: dict[str, tuple[str, ...]] = {
    "A": (".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"),
    "B": ("####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."),
    "C": (".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."),
    "D": ("####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####."),
    "E": ("#####", "#....", "#....", "####.", "#....", "#....", "#####"),
    "F": ("#####", "#....", "#....", "####.", "#....", "#....", "#...."),
    "G": (".###.", "#...#", "#....", "#.###", "#...#", "#...#", ".####"),
    "H": ("#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"),
    "I": (".###.", "..#..", "..#..", "..#..", "..#..", "..#..", ".###."),
    "J": ("..###", "...#.", "...#.", "...#.", "...#.", "#..#.", ".##.."),
    "K": ("#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"),
    "L": ("#....", "#....", "#....", "#....", "#....", "#....", "#####"),
    "M": ("#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"),
    "N": ("#...#", "#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#"),
    "O": (".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "P": ("####.", "#...#", "#...#", "####.", "#....", "#....", "#...."),
    "Q": (".###.", "#...#", "#...#", "#...#", "#.#.#", "#..#.", ".##.#"),
    "R": ("####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"),
    "S": (".####", "#....", "#....", ".###.", "....#", "....#", "####."),
    "T": ("#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."),
    "U": ("#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "V": ("#...#", "#...#", "#...#", "#...#", "#...#", ".#.#.", "..#.."),
    "W": ("#...#", "#...#", "#...#", "#.#.#", "#.#.#", "#.#.#", ".#.#."),
    "X": ("#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#"),
    "Y": ("#...#", "#...#", ".#.#.", "..#..", "..#..", "..#..", "..#.."),
    "Z": ("#####", "....#", "...#.", "..#..", ".#...", "#....", "#####"),
    "0": (".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."),
    "1": ("..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."),
    "2": (".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"),
    "3": ("####.", "....#", "....#", ".###.", "....#", "....#", "####."),
    "4": ("...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."),
    "5": ("#####", "#....", "####.", "....#", "....#", "#...#", ".###."),
    "6": (".###.", "#....", "#....", "####.", "#...#", "#...#", ".###."),
    "7": ("#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."),
    "8": (".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."),
    "9": (".###.", "#...#", "#...#", ".####", "....#", "....#", ".###."),
    " ": (".....",) * 7,
    "-": (".....", ".....", ".....", "#####", ".....", ".....", "....."),
    "_": (".....", ".....", ".....", ".....", ".....", ".....", "#####"),
    ".": (".....", ".....", ".....", ".....", ".....", ".##..", ".##.."),
    ",": (".....", ".....", ".....", ".....", ".##..", "..#..", ".#..."),
    ":": (".....", ".##..", ".##..", ".....", ".##..", ".##..", "....."),
    "?": (".###.", "#...#", "....#", "...#.", "..#..", ".....", "..#.."),
    "!": ("..#..", "..#..", "..#..", "..#..", "..#..", ".....", "..#.."),
    "'": ("..#..", "..#..", ".#...", ".....", ".....", ".....", "....."),
    "(": ("...#.", "..#..", ".#...", ".#...", ".#...", "..#..", "...#."),
    ")": (".#...", "..#..", "...#.", "...#.", "...#.", "..#..", ".#..."),
    "[": (".###.", ".#...", ".#...", ".#...", ".#...", ".#...", ".###."),
    "]": (".###.", "...#.", "...#.", "...#.", "...#.", "...#.", ".###."),
    "/": (".....", "....#", "...#.", "..#..", ".#...", "#....", "....."),
    "#": (".#.#.", ".#.#.", "#####", ".#.#.", "#####", ".#.#.", ".#.#."),
    "|": ("..#..",) * 7,
}
UNKNOWN_GLYPH = FONT["?"]


class Image:
    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(WHITE * (width * height))

    def dot(self, x: int, y: int, colour: Rgb) -> None:
        if 0 <= x < self.width and 0 <= y < self.height:
            offset = (y * self.width + x) * 3
            self.pixels[offset : offset + 3] = bytes(colour)

    def fill(self, left: int, top: int, width: int, height: int, colour: Rgb) -> None:
        for y in range(max(top, 0), min(top + height, self.height)):
            start = (y * self.width + max(left, 0)) * 3
            end = (y * self.width + min(left + width, self.width)) * 3
            self.pixels[start:end] = bytes(colour) * ((end - start) // 3)

    def line(self, x1: int, y1: int, x2: int, y2: int, colour: Rgb) -> None:
        """Horizontal or vertical lines only (the arrows are orthogonal)."""
        if x1 == x2:
            self.fill(x1, min(y1, y2), 1, abs(y2 - y1) + 1, colour)
        else:
            self.fill(min(x1, x2), y1, abs(x2 - x1) + 1, 1, colour)

    def text(self, left: int, top: int, text: str, colour: Rgb) -> None:
        for index, char in enumerate(text):
            glyph = FONT.get(char.upper(), UNKNOWN_GLYPH)
            for row, cells in enumerate(glyph):
                for column, cell in enumerate(cells):
                    if cell == "#":
                        self.dot(left + index * CHAR_W + column, top + row, colour)

    def png(self) -> bytes:
        return png_bytes(self.width, self.height, bytes(self.pixels), 3)


@dataclass(frozen=True)
class Box:
    task_id: str
    kind: str
    lines: tuple[str, ...]
    left: int
    top: int


def task_kind(task: dict[str, Any]) -> str:
    kind = str(task.get("type") or "")
    if kind in ("start", "title", "condition", "playbook"):
        return kind
    return "command" if (task.get("task") or {}).get("iscommand") else "script"


def wrap(text: str, width: int, lines: int) -> tuple[str, ...]:
    words, result, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width:
            current = candidate
            continue
        if current:
            result.append(current)
        current = word[:width]
    if current:
        result.append(current)
    if len(result) > lines:
        result = [*result[: lines - 1], result[lines - 1][: width - 3] + "..."]
    return tuple(result)


def layout(playbook: dict[str, Any]) -> list[Box]:
    positions = {}
    for task_id, task in playbook["tasks"].items():
        view = json.loads(task.get("view") or "{}").get("position", {})
        positions[str(task_id)] = (int(view.get("x", 0) * SCALE), int(view.get("y", 0) * SCALE))
    min_x = min(x for x, _ in positions.values())
    min_y = min(y for _, y in positions.values())
    boxes = []
    chars = (BOX_W - 10) // CHAR_W
    for task_id, task in playbook["tasks"].items():
        kind = task_kind(task)
        name = (task.get("task") or {}).get("name") or kind
        x, y = positions[str(task_id)]
        lines = (f"#{task_id} {kind.upper()}", *wrap(str(name), chars, 3))
        boxes.append(Box(str(task_id), kind, lines, x - min_x + MARGIN, y - min_y + MARGIN))
    return boxes


def draw(playbook: dict[str, Any]) -> Image:
    boxes = {box.task_id: box for box in layout(playbook)}
    width = max(box.left for box in boxes.values()) + BOX_W + MARGIN
    height = max(box.top for box in boxes.values()) + BOX_H + MARGIN
    image = Image(width, height)
    for task_id, task in playbook["tasks"].items():
        source = boxes[str(task_id)]
        for label, targets in (task.get("nexttasks") or {}).items():
            for target_id in targets or []:
                target = boxes[str(target_id)]
                _arrow(image, source, target, "" if label == "#none#" else ("else" if label == "#default#" else str(label)))
    for box in boxes.values():
        colour = KIND_COLOURS[box.kind]
        image.fill(box.left, box.top, BOX_W, BOX_H, colour)
        image.fill(box.left + 3, box.top + 3, BOX_W - 6, BOX_H - 6, WHITE)
        for index, text in enumerate(box.lines):
            image.text(box.left + 6, box.top + 5 + index * (CHAR_H + 1), text, colour if index == 0 else INK)
    return image


def _arrow(image: Image, source: Box, target: Box, label: str) -> None:
    start_x, start_y = source.left + BOX_W // 2, source.top + BOX_H
    end_x, end_y = target.left + BOX_W // 2, target.top
    label_at = (end_x + 4, end_y - 12)
    if end_y > start_y:
        middle = start_y + max((end_y - start_y) // 2, 4)
        image.line(start_x, start_y, start_x, middle, EDGE)
        image.line(start_x, middle, end_x, middle, EDGE)
        image.line(end_x, middle, end_x, end_y, EDGE)
    else:  # a target above or level with its source: go around on the right
        side = max(source.left, target.left) + BOX_W + 8
        image.line(start_x, start_y, start_x, start_y + 6, EDGE)
        image.line(start_x, start_y + 6, side, start_y + 6, EDGE)
        image.line(side, start_y + 6, side, end_y - 6, EDGE)
        image.line(side, end_y - 6, end_x, end_y - 6, EDGE)
        image.line(end_x, end_y - 6, end_x, end_y, EDGE)
    for offset in range(4):  # the arrow head
        image.line(end_x - offset, end_y - offset - 1, end_x + offset, end_y - offset - 1, EDGE)
    if label:
        image.text(*label_at, label[:24], LABEL)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m tools.playbook_image <playbook.yml> <output.png>", file=sys.stderr)
        return 2
    playbook = yaml.safe_load(Path(args[0]).read_text(encoding="utf-8"))
    Path(args[1]).write_bytes(draw(playbook).png())
    return 0


if __name__ == "__main__":
    sys.exit(main())
