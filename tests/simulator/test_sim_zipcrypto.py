"""The ZipCrypto writer: stdlib zipfile must open it with the password and reject a wrong one."""

from __future__ import annotations

import io
import random
import zipfile
from datetime import datetime

import pytest

from s1sim.uploads import archive_path
from s1sim.zipcrypto import ZipCryptoCipher, ZipMember, encrypted_zip

MODIFIED = datetime(2024, 5, 1, 12, 30, 44)


def build(password: str, members: list[ZipMember]) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(encrypted_zip(members, password, MODIFIED, random.Random(7))))


def test_stdlib_zipfile_reads_every_member_with_the_password() -> None:
    payload = bytes(range(256)) * 40
    archive = build("Sim-Passw0rd!", [ZipMember("manifest.json", b'{"files": []}'), ZipMember("C/data/blob.bin", payload)])

    assert archive.read("C/data/blob.bin", pwd=b"Sim-Passw0rd!") == payload
    assert archive.read("manifest.json", pwd=b"Sim-Passw0rd!") == b'{"files": []}'
    info = archive.getinfo("C/data/blob.bin")
    assert (info.compress_type, info.flag_bits & 0x1, info.file_size, info.date_time) == (
        zipfile.ZIP_DEFLATED,
        1,
        len(payload),
        (2024, 5, 1, 12, 30, 44),
    )
    assert info.compress_size < len(payload)


@pytest.mark.parametrize("wrong", [b"sim-passw0rd!", b"x", b"Sim-Passw0rd"])
def test_a_wrong_password_is_rejected(wrong: bytes) -> None:
    archive = build("Sim-Passw0rd!", [ZipMember("a.txt", b"secret")])

    with pytest.raises(RuntimeError, match="Bad password for file 'a.txt'"):
        archive.read("a.txt", pwd=wrong)


def test_unicode_password_and_names() -> None:
    archive = build("Pässwörd-1234", [ZipMember("C/Users/zoë/naïve.txt", "héllo".encode())])

    assert archive.namelist() == ["C/Users/zoë/naïve.txt"]
    assert archive.read("C/Users/zoë/naïve.txt", pwd="Pässwörd-1234".encode()) == "héllo".encode()


def test_empty_member_and_empty_archive() -> None:
    assert build("Abcdefgh1!", [ZipMember("empty.txt", b"")]).read("empty.txt", pwd=b"Abcdefgh1!") == b""
    assert build("Abcdefgh1!", []).namelist() == []


def test_cipher_matches_the_appnote_key_schedule() -> None:
    cipher = ZipCryptoCipher(b"")
    assert cipher.keys == [0x12345678, 0x23456789, 0x34567890]
    # Encrypting then feeding the same plaintext through a fresh cipher's decrypt must round-trip.
    plain = b"The quick brown fox"
    encrypted = ZipCryptoCipher(b"key").encrypt(plain)
    decryptor = ZipCryptoCipher(b"key")
    recovered = bytearray()
    for byte in encrypted:
        temp = (decryptor.keys[2] | 2) & 0xFFFF
        value = byte ^ (((temp * (temp ^ 1)) >> 8) & 0xFF)
        decryptor._update(value)
        recovered.append(value)
    assert bytes(recovered) == plain != encrypted


@pytest.mark.parametrize(
    ("path", "inside"),
    [
        ("C:\\Users\\x\\file.txt", "C/Users/x/file.txt"),
        ("d:/data/a.bin", "D/data/a.bin"),
        ("\\Device\\HarddiskVolume3\\Users\\bob\\Downloads\\invoice.doc", "C/Users/bob/Downloads/invoice.doc"),
        ("/etc/passwd", "etc/passwd"),
    ],
)
def test_archive_path_puts_the_drive_letter_first(path: str, inside: str) -> None:
    assert archive_path(path) == inside
