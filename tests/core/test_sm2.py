"""SM2 signatures of audit checkpoints verify for every key: gmssl's constructor strips a
point prefix with `lstrip("04")`, which ate the leading digits of a public key whose x began
with "04" — one key in ~256 could not verify its own signatures (a checkpoint test failed once
in CI)."""

from __future__ import annotations

from wulian.core import crypto


def _key_whose_x_begins_with_04() -> crypto.SM2KeyPair:
    for _ in range(20_000):
        pair = crypto.sm2_generate()
        if pair.public_hex.startswith("04"):
            return pair
    raise AssertionError("no such key in 20,000 tries")


def test_a_key_whose_x_begins_with_04_verifies_its_signature():
    pair = _key_whose_x_begins_with_04()
    data = "检查点 #42".encode()
    signature = crypto.sm2_sign(pair.private_hex, pair.public_hex, data)
    assert crypto.sm2_verify(pair.public_hex, data, signature)
    assert crypto.sm2_verify("04" + pair.public_hex, data, signature)  # a prefixed key too
    assert not crypto.sm2_verify(pair.public_hex, data + b"!", signature)
