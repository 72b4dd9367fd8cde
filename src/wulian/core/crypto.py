"""National cryptography (国密) behind one small interface, so that a certified hardware
module can replace the software implementation later.

- SM3 (hash): hashlib, from OpenSSL 3.
- SM2 (signatures of audit checkpoints): gmssl, pure Python.
- SM4-GCM (confidential fields at rest: clue content and the like): `cryptography`, with the
  keys in a file outside the database (`sm4_encrypt` / `sm4_decrypt`, used by
  `wulian.core.fields.EncryptedTextField`).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

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


def _sm2(private_hex: str, public_hex: str) -> Any:
    """gmssl's CryptSM2 with the public key set as the point x‖y (128 hex digits). Its
    constructor strips an uncompressed-point prefix with `lstrip("04")`, which also eats the
    leading 0s and 4s of an x that begins with "04…": one key in ~256 then failed to verify
    its own signatures. An explicit "04" prefix on a 130-digit key is removed exactly once."""
    from gmssl import sm2

    point = public_hex[2:] if len(public_hex) == 130 and public_hex.startswith("04") else public_hex
    crypt = sm2.CryptSM2(private_key=private_hex, public_key="")
    crypt.public_key = point
    return crypt


def sm2_sign(private_hex: str, public_hex: str, data: bytes) -> str:
    signer = _sm2(private_hex, public_hex)
    return signer.sign_with_sm3(data, secrets.token_hex(32))


def sm2_verify(public_hex: str, data: bytes, signature: str) -> bool:
    verifier = _sm2("", public_hex)
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


# --- SM4-GCM: confidential fields at rest ---------------------------------------------------
#
# A token is "sm4g:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>": a 12-byte random nonce, the
# 16-byte GCM tag, and associated data that binds the token to where it is stored (table and
# column), so that a token copied into another column does not decrypt. The key file lives
# outside the database (WULIAN_FIELD_KEY_FILE) and holds one key per line,
# "<key id>:<32 hex digits>", newest first: the first key encrypts, every key decrypts. Rotation:
# `wulian keys generate --rotate` (adds a key in front), then `wulian keys reencrypt`.

FIELD_TOKEN_PREFIX = "sm4g"  # noqa: S105 - a token format marker, not a secret
SM4_NONCE_BYTES = 12
SM4_TAG_BYTES = 16
_KEY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")


class FieldDecryptionError(Exception):
    """A stored token that does not decrypt: an unknown key id, another column's token, or
    bytes altered after writing. Never silently ignored."""


@dataclass(frozen=True)
class FieldKeyring:
    current: str  # the key id that encrypts
    keys: dict[str, bytes]


def parse_field_keys(text: str, where: str = "the field key file") -> FieldKeyring:
    keys: dict[str, bytes] = {}
    order: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        kid, sep, hexkey = line.partition(":")
        kid, hexkey = kid.strip(), hexkey.strip()
        if not sep or not _KEY_ID.match(kid) or not re.fullmatch(r"[0-9a-fA-F]{32}", hexkey):
            raise ImproperlyConfigured(
                f"{where}, line {number}: expected '<key id>:<32 hex digits>' "
                "(key id: lower-case letters, digits and '-')."
            )
        if kid in keys:
            raise ImproperlyConfigured(f"{where}: key id {kid!r} appears twice.")
        keys[kid] = bytes.fromhex(hexkey)
        order.append(kid)
    if not order:
        raise ImproperlyConfigured(f"{where} holds no key. Run `wulian keys generate`.")
    return FieldKeyring(current=order[0], keys=keys)


_keyring: FieldKeyring | None = None


def field_keyring() -> FieldKeyring:
    """The SM4 field keys, read once per process from settings.FIELD_KEY_FILE."""
    global _keyring
    if _keyring is None:
        from django.conf import settings

        path = Path(settings.FIELD_KEY_FILE)
        try:
            text = path.read_text()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"Cannot read the field encryption key file at {path}: {exc}. "
                "Create it with `wulian keys generate` (and keep a copy in the site's key escrow)."
            ) from None
        _keyring = parse_field_keys(text, str(path))
    return _keyring


def reset_field_keyring(ring: FieldKeyring | None = None) -> None:
    """Forget the cached keys (after a rotation), or install a keyring (tests)."""
    global _keyring
    _keyring = ring


def new_field_key_line() -> str:
    kid = f"k{date.today():%Y%m%d}-{secrets.token_hex(3)}"
    return f"{kid}:{secrets.token_hex(16)}"


def write_field_key_file(path: str | Path, *, rotate: bool = False) -> tuple[Path, str, bool]:
    """Create the key file (mode 0600) with one key, or with rotate=True put a new key in
    front of the existing ones. Returns (path, current key id, whether a key was added)."""
    path = Path(path)
    existing = path.read_text() if path.exists() else ""
    if existing.strip() and not rotate:
        return path, parse_field_keys(existing, str(path)).current, False
    line = new_field_key_line()
    body = line + "\n" + existing
    parse_field_keys(body, str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(body)
    os.replace(tmp, path)
    return path, line.partition(":")[0], True


def _sm4_gcm(key: bytes, nonce: bytes, tag: bytes | None = None):
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    return Cipher(algorithms.SM4(key), modes.GCM(nonce, tag))


def sm4_encrypt(plaintext: str, *, aad: bytes) -> str:
    ring = field_keyring()
    nonce = secrets.token_bytes(SM4_NONCE_BYTES)
    encryptor = _sm4_gcm(ring.keys[ring.current], nonce).encryptor()
    encryptor.authenticate_additional_data(aad)
    body = encryptor.update(plaintext.encode()) + encryptor.finalize()
    blob = base64.urlsafe_b64encode(nonce + body + encryptor.tag).decode().rstrip("=")
    return f"{FIELD_TOKEN_PREFIX}:{ring.current}:{blob}"


def sm4_seal_with(key: bytes, plaintext: bytes, *, aad: bytes) -> str:
    """SM4-GCM with a key of the caller's own (not the field key): nonce, body and tag, base64."""
    nonce = secrets.token_bytes(SM4_NONCE_BYTES)
    encryptor = _sm4_gcm(key, nonce).encryptor()
    encryptor.authenticate_additional_data(aad)
    body = encryptor.update(plaintext) + encryptor.finalize()
    return base64.urlsafe_b64encode(nonce + body + encryptor.tag).decode().rstrip("=")


def sm4_open_with(key: bytes, sealed: str, *, aad: bytes) -> bytes:
    from cryptography.exceptions import InvalidTag

    raw = base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4))
    nonce, body, tag = (
        raw[:SM4_NONCE_BYTES],
        raw[SM4_NONCE_BYTES:-SM4_TAG_BYTES],
        raw[-SM4_TAG_BYTES:],
    )
    decryptor = _sm4_gcm(key, nonce, tag).decryptor()
    decryptor.authenticate_additional_data(aad)
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag:
        raise FieldDecryptionError("the sealed value does not open with this key") from None


def token_key_id(token: str) -> str:
    prefix, _sep, rest = token.partition(":")
    if prefix != FIELD_TOKEN_PREFIX:
        raise FieldDecryptionError("not an SM4 field token")
    return rest.partition(":")[0]


def sm4_decrypt(token: str, *, aad: bytes) -> str:
    from cryptography.exceptions import InvalidTag

    kid = token_key_id(token)
    blob = token.split(":", 2)[2] if token.count(":") >= 2 else ""
    key = field_keyring().keys.get(kid)
    if key is None:
        raise FieldDecryptionError(f"unknown field key id {kid!r}: is the key file complete?")
    try:
        raw = base64.urlsafe_b64decode(blob + "=" * (-len(blob) % 4))
    except ValueError:
        raise FieldDecryptionError("malformed SM4 field token") from None
    if len(raw) < SM4_NONCE_BYTES + SM4_TAG_BYTES:
        raise FieldDecryptionError("truncated SM4 field token")
    nonce, body, tag = (
        raw[:SM4_NONCE_BYTES],
        raw[SM4_NONCE_BYTES:-SM4_TAG_BYTES],
        raw[-SM4_TAG_BYTES:],
    )
    decryptor = _sm4_gcm(key, nonce, tag).decryptor()
    decryptor.authenticate_additional_data(aad)
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except InvalidTag:
        raise FieldDecryptionError(
            "SM4 field token does not authenticate (altered, or from another column)"
        ) from None
