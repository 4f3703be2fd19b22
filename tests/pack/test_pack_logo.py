"""The integration logo is a valid 120x50 PNG (validator IM111) and is exactly what tools/make_logo.py draws."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from tools import make_logo

ROOT = Path(__file__).resolve().parents[2]
LOGO = ROOT / "Packs" / "SentinelOne" / "Integrations" / "SentinelOne_V2" / "SentinelOne_V2_image.png"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def read_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """Split a PNG into (type, payload) chunks, checking each chunk's CRC."""
    assert data[:8] == PNG_SIGNATURE
    chunks, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        payload = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert crc == zlib.crc32(kind + payload) & 0xFFFFFFFF, f"bad CRC in {kind!r}"
        chunks.append((kind, payload))
        offset += 12 + length
    assert offset == len(data)
    return chunks


def decode_rgba(data: bytes) -> tuple[int, int, list[list[tuple[int, ...]]]]:
    chunks = read_chunks(data)
    kinds = [kind for kind, _ in chunks]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND"
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, colour, compression, filtering, interlace) == (8, 6, 0, 0, 0)
    raw = zlib.decompress(b"".join(payload for kind, payload in chunks if kind == b"IDAT"))
    stride = 1 + width * 4
    assert len(raw) == height * stride
    rows = []
    for y in range(height):
        line = raw[y * stride : (y + 1) * stride]
        assert line[0] == 0, "the writer uses filter type 0 on every row"
        rows.append([tuple(line[1 + x * 4 : 5 + x * 4]) for x in range(width)])
    return width, height, rows


def test_logo_is_a_valid_120_by_50_rgba_png():
    width, height, rows = decode_rgba(LOGO.read_bytes())
    assert (width, height) == (120, 50)
    assert len(rows) == 50 and all(len(row) == 120 for row in rows)


def test_logo_is_a_purple_mark_on_a_transparent_background():
    _, _, rows = decode_rgba(LOGO.read_bytes())
    pixels = [pixel for row in rows for pixel in row]
    assert rows[0][0] == rows[0][119] == rows[49][0] == rows[49][119] == (0, 0, 0, 0)
    assert pixels.count(make_logo.PURPLE) > 500
    assert pixels.count(make_logo.DARK_PURPLE) > 200
    assert make_logo.WHITE in pixels  # the "1" inside the shield
    assert set(pixels) == {make_logo.TRANSPARENT, make_logo.PURPLE, make_logo.DARK_PURPLE, make_logo.WHITE}


def test_committed_logo_is_what_the_script_draws():
    assert LOGO.read_bytes() == make_logo.encode_png(make_logo.draw_logo())


def test_the_wordmark_fits_beside_the_shield():
    assert 44 + make_logo.text_width("SENTINEL") <= make_logo.WIDTH
