"""National cryptography (国密) behind one small interface, so that a certified hardware
module can replace the software implementation later.

- SM3 (hash): hashlib, from OpenSSL 3.
- SM2 (signatures of audit checkpoints): gmssl, pure Python.
- SM4-GCM (confidential fields at rest) is added with the clue records (Foundation II).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def sm3_hex(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


@dataclass(frozen=True)
class SM2KeyPair:
    private_hex: str
    public_hex: str


def sm2_generate() -> SM2KeyPair:
    from gmssl import sm2
    from gmssl.sm2 import default_ecc_table

    n = int(default_ecc_table["n"], 16)
    d = secrets.randbelow(n - 1) + 1
    private_hex = f"{d:064x}"
    signer = sm2.CryptSM2(private_key=private_hex, public_key="")
    public_hex = signer._kg(d, default_ecc_table["g"])
    return SM2KeyPair(private_hex=private_hex, public_hex=public_hex)


def sm2_sign(private_hex: str, public_hex: str, data: bytes) -> str:
    from gmssl import sm2

    signer = sm2.CryptSM2(private_key=private_hex, public_key=public_hex)
    return signer.sign_with_sm3(data, secrets.token_hex(32))


def sm2_verify(public_hex: str, data: bytes, signature: str) -> bool:
    from gmssl import sm2

    verifier = sm2.CryptSM2(private_key="", public_key=public_hex)
    try:
        return bool(verifier.verify_with_sm3(signature, data))
    except (ValueError, TypeError):
        return False


def read_key_file(path: str | Path, what: str) -> str:
    try:
        value = Path(path).read_text().strip()
    except OSError as exc:
        raise ImproperlyConfigured(f"Cannot read the {what} at {path}: {exc}") from None
    if not value or any(c not in "0123456789abcdefABCDEF" for c in value):
        raise ImproperlyConfigured(f"The {what} at {path} is not a hex key.")
    return value
