"""Password-protected zips with traditional PKWARE encryption ("ZipCrypto"), which stdlib `zipfile` can read.

The console delivers fetched files this way, and the integration may only use stdlib `zipfile` to open them, so the
simulator must write them. `zipfile` decrypts ZipCrypto but cannot encrypt, hence this small writer
(APPNOTE.TXT §6.1: the three CRC-32-driven keys, a 12-byte encryption header whose last byte is the high byte of the
member's CRC, then the deflated data XORed with the key stream).
"""

from __future__ import annotations

import random
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

ENCRYPTED = 0x1
UTF8_NAMES = 0x800
DEFLATED = 8
VERSION_NEEDED = 20
LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
CENTRAL_HEADER = struct.Struct("<IHHHHHHIIIHHHHHII")
END_OF_DIRECTORY = struct.Struct("<IHHHHIIH")


def crc32_byte(crc: int, byte: int) -> int:
    return zlib.crc32(bytes([byte]), crc ^ 0xFFFFFFFF) ^ 0xFFFFFFFF


class ZipCryptoCipher:
    def __init__(self, password: bytes) -> None:
        self.keys = [0x12345678, 0x23456789, 0x34567890]
        for byte in password:
            self._update(byte)

    def _update(self, byte: int) -> None:
        key0, key1, key2 = self.keys
        key0 = crc32_byte(key0, byte)
        key1 = (key1 + (key0 & 0xFF)) & 0xFFFFFFFF
        key1 = (key1 * 134775813 + 1) & 0xFFFFFFFF
        key2 = crc32_byte(key2, (key1 >> 24) & 0xFF)
        self.keys = [key0, key1, key2]

    def _stream_byte(self) -> int:
        temp = (self.keys[2] | 2) & 0xFFFF
        return ((temp * (temp ^ 1)) >> 8) & 0xFF

    def encrypt(self, plain: bytes) -> bytes:
        out = bytearray(len(plain))
        for index, byte in enumerate(plain):
            out[index] = byte ^ self._stream_byte()
            self._update(byte)
        return bytes(out)


@dataclass(frozen=True)
class ZipMember:
    name: str
    content: bytes


def dos_date_time(moment: datetime) -> tuple[int, int]:
    year = max(moment.year, 1980)
    date = ((year - 1980) << 9) | (moment.month << 5) | moment.day
    time = (moment.hour << 11) | (moment.minute << 5) | (moment.second // 2)
    return date, time


def encrypted_zip(members: Iterable[ZipMember], password: str, modified: datetime, rng: random.Random) -> bytes:
    """A zip archive whose members are deflated and ZipCrypto-encrypted with `password` (UTF-8)."""
    secret = password.encode("utf-8")
    dos_date, dos_time = dos_date_time(modified)
    archive = bytearray()
    directory = bytearray()
    count = 0
    for member in members:
        name = member.name.encode("utf-8")
        crc = zlib.crc32(member.content) & 0xFFFFFFFF
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        deflated = compressor.compress(member.content) + compressor.flush()
        cipher = ZipCryptoCipher(secret)
        # The header's last byte lets readers reject a wrong password before decompressing.
        header = rng.randbytes(11) + bytes([crc >> 24])
        payload = cipher.encrypt(header) + cipher.encrypt(deflated)
        flags = ENCRYPTED | UTF8_NAMES
        offset = len(archive)
        archive += LOCAL_HEADER.pack(
            0x04034B50, VERSION_NEEDED, flags, DEFLATED, dos_time, dos_date, crc, len(payload), len(member.content), len(name), 0
        )
        archive += name + payload
        directory += CENTRAL_HEADER.pack(
            0x02014B50,
            VERSION_NEEDED,
            VERSION_NEEDED,
            flags,
            DEFLATED,
            dos_time,
            dos_date,
            crc,
            len(payload),
            len(member.content),
            len(name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        directory += name
        count += 1
    directory_offset = len(archive)
    archive += directory
    archive += END_OF_DIRECTORY.pack(0x06054B50, 0, 0, count, count, len(directory), directory_offset, 0)
    return bytes(archive)
