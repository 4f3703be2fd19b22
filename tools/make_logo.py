"""Draw the integration logo: a purple shield and a two-line "SENTINEL / ONE" wordmark, 120x50 RGBA PNG.

XSOAR requires integration images of exactly 120x50 pixels (validator IM111). The logo is drawn from code so that the
repository holds no binary asset of unknown origin; only the standard library is used (zlib for the IDAT stream, struct
for the chunk framing). The output is byte-for-byte deterministic.

    python tools/make_logo.py [output.png]
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

WIDTH, HEIGHT = 120, 50
DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "Packs/SentinelOne/Integrations/SentinelOne_V2/SentinelOne_V2_image.png"

Rgba = tuple[int, int, int, int]
TRANSPARENT: Rgba = (0, 0, 0, 0)
PURPLE: Rgba = (107, 47, 186, 255)
DARK_PURPLE: Rgba = (72, 24, 135, 255)
WHITE: Rgba = (255, 255, 255, 255)

# A small variable-width bitmap font: just the letters of the wordmark, 5 rows each, '#' = ink.
GLYPHS: dict[str, tuple[str, ...]] = {
    "S": (".###", "#...", ".##.", "...#", "###."),
    "E": ("####", "#...", "###.", "#...", "####"),
    "N": ("#..#", "##.#", "#.##", "#..#", "#..#"),
    "T": ("###", ".#.", ".#.", ".#.", ".#."),
    "I": ("#", "#", "#", "#", "#"),
    "L": ("#...", "#...", "#...", "#...", "####"),
    "O": (".##.", "#..#", "#..#", "#..#", ".##."),
}
GLYPH_SCALE = 2  # each font cell becomes a 2x2 block
GLYPH_GAP = 1  # font cells between letters

Canvas = list[list[Rgba]]


def blank_canvas() -> Canvas:
    return [[TRANSPARENT] * WIDTH for _ in range(HEIGHT)]


def shield_half_width(row: int, top: int, height: int, max_half: int) -> int:
    """Half-width of the shield at a row: straight sides for the upper 55%, then tapering to a point."""
    shoulder = int(height * 0.55)
    offset = row - top
    if offset < shoulder:
        return max_half
    remaining = height - offset
    return max(0, round(max_half * remaining / (height - shoulder)))


def draw_shield(canvas: Canvas, center_x: int, top: int, height: int, max_half: int) -> None:
    for row in range(top, top + height):
        half = shield_half_width(row, top, height, max_half)
        for x in range(center_x - half, center_x + half + 1):
            # A two-pixel darker rim gives the shape an edge on light and dark backgrounds alike.
            inner = shield_half_width(row, top, height, max_half - 2) if row < top + height - 2 else -1
            on_rim = row < top + 2 or abs(x - center_x) > inner
            canvas[row][x] = DARK_PURPLE if on_rim else PURPLE
    # A white "1" in the middle of the shield: stem, flag and foot.
    stem_top, stem_bottom = top + 9, top + 30
    for row in range(stem_top, stem_bottom):
        for x in range(center_x - 2, center_x + 2):
            canvas[row][x] = WHITE
    for step in range(5):
        for x in range(center_x - 2 - step - 2, center_x - 2 - step):
            canvas[stem_top + step][x] = WHITE
    for row in range(stem_bottom, stem_bottom + 3):
        for x in range(center_x - 7, center_x + 7):
            canvas[row][x] = WHITE


def text_width(text: str) -> int:
    cells = sum(len(GLYPHS[letter][0]) for letter in text) + GLYPH_GAP * (len(text) - 1)
    return cells * GLYPH_SCALE


def draw_text(canvas: Canvas, text: str, left: int, top: int, color: Rgba) -> None:
    x_cell = 0
    for letter in text:
        glyph = GLYPHS[letter]
        for row_index, row in enumerate(glyph):
            for col_index, cell in enumerate(row):
                if cell != "#":
                    continue
                for dy in range(GLYPH_SCALE):
                    for dx in range(GLYPH_SCALE):
                        y = top + row_index * GLYPH_SCALE + dy
                        x = left + (x_cell + col_index) * GLYPH_SCALE + dx
                        canvas[y][x] = color
        x_cell += len(glyph[0]) + GLYPH_GAP


def draw_logo() -> Canvas:
    canvas = blank_canvas()
    draw_shield(canvas, center_x=20, top=3, height=44, max_half=17)
    text_left = 44
    draw_text(canvas, "SENTINEL", text_left, 12, DARK_PURPLE)
    draw_text(canvas, "ONE", text_left, 28, PURPLE)
    return canvas


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)


# PNG colour types by channels per pixel: RGB and RGBA.
COLOUR_TYPES = {3: 2, 4: 6}


def png_bytes(width: int, height: int, pixels: bytes, channels: int) -> bytes:
    """8-bit RGB (3 channels) or RGBA (4) pixels, row after row, as a PNG: no interlace, filter type 0 on every row,
    zlib level 9, so the same pixels always give the same bytes (tools/playbook_image.py draws with it too)."""
    stride = width * channels
    raw = b"".join(b"\x00" + pixels[row * stride : (row + 1) * stride] for row in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, COLOUR_TYPES[channels], 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib.compress(raw, 9)) + png_chunk(b"IEND", b"")


def encode_png(canvas: Canvas) -> bytes:
    """Encode an RGBA canvas as a PNG."""
    pixels = bytes(channel for row in canvas for pixel in row for channel in pixel)
    return png_bytes(len(canvas[0]), len(canvas), pixels, 4)


def main() -> None:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT
    output.write_bytes(encode_png(draw_logo()))
    print(f"wrote {output} ({WIDTH}x{HEIGHT})")


if __name__ == "__main__":
    main()
