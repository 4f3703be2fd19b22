"""A self-signed certificate for `--https`, made at start with the `openssl` CLI.

(Werkzeug's `ssl_context="adhoc"` would need the `cryptography` package, which the project does not install.)
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class CertificateError(RuntimeError):
    pass


@dataclass(frozen=True)
class Certificate:
    cert_file: str
    key_file: str
    directory: str

    def remove(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def make_self_signed(host: str = "127.0.0.1", directory: str | None = None) -> Certificate:
    """Write a fresh self-signed certificate + key for `host` (valid 2 days, SAN for the IP / localhost)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise CertificateError("HTTPS needs the openssl CLI, which is not on PATH")
    folder = Path(directory or tempfile.mkdtemp(prefix="s1sim-tls-"))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    san = f"IP:{host}" if host.replace(".", "").isdigit() else f"DNS:{host}"
    command = [
        openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
        "-subj", f"/CN={host}", "-addext", f"subjectAltName={san},DNS:localhost,IP:127.0.0.1",
        "-keyout", str(key_file), "-out", str(cert_file),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise CertificateError(f"openssl failed: {result.stderr.strip()}")
    return Certificate(str(cert_file), str(key_file), str(folder))
