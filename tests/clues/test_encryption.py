"""SM4-GCM at rest: the clue's confidential columns hold tokens, never the text (and nothing
else in the database holds it either); tokens are bound to their column, altered tokens and
unknown keys fail loudly; keys live in a file, rotate, and old values are re-encrypted."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from tests.clues.helpers import (
    APPROVAL,
    EVIDENCE,
    FEEDBACK,
    NOTE,
    POST,
    SECRET,
    SUBJECT,
    make_clue,
    proposer,
)
from wulian.core import crypto
from wulian.core.clues import services
from wulian.core.clues.choices import ClueState
from wulian.core.clues.models import Clue

ENCRYPTED = ("subject_name", "subject_post", "content", "evidence", "disposition_note", "feedback")


def raw(clue: Clue, *columns: str) -> tuple:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(quote(c) for c in columns)} FROM clues_clue WHERE id = %s",  # noqa: S608
            [clue.pk],
        )
        return cursor.fetchone()


def test_sm4_matches_the_gbt_32907_example():
    """The cipher underneath is SM4 (GB/T 32907-2016 appendix A, one block)."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()  # noqa: S305 - test vector
    assert (encryptor.update(key) + encryptor.finalize()).hex() == (
        "681edf34d206965e86b3e94f536e4246"
    )


def test_the_columns_hold_tokens_not_text(personas):
    clue = make_clue(personas, ClueState.FEEDBACK_GIVEN)
    values = raw(clue, *ENCRYPTED)
    for column, value in zip(ENCRYPTED, values, strict=True):
        assert value.startswith("sm4g:test-1:"), column
        for text in (SUBJECT, POST, SECRET, EVIDENCE, NOTE, FEEDBACK):
            assert text not in value
    again = make_clue(personas, ClueState.DRAFT)
    assert raw(again, "content") != raw(clue, "content")  # a fresh nonce each time
    loaded = Clue.objects.get(pk=clue.pk)
    assert (loaded.subject_name, loaded.content, loaded.feedback) == (SUBJECT, SECRET, FEEDBACK)


def test_no_table_holds_the_clue_text_after_a_whole_lifecycle(personas):
    """A dump of the database contains none of the confidential text (等保 8.1.4.8)."""
    p = personas
    clue = services.clue_draft(
        actor=p.congress_clerk,
        data={
            "sending_org_id": p.orgs["congress_body"].pk,
            "receiving_org_id": p.orgs["cdi"].pk,
            "subject_name": SUBJECT,
            "subject_post": POST,
            "violation_type": "integrity",
            "content": SECRET,
            "evidence": EVIDENCE,
        },
    )
    services.clue_transfer(actor=p.congress_clerk, clue_id=clue.pk, version=1)
    services.clue_open(actor=p.cdi_clue, clue_id=clue.pk)
    services.clue_receive(actor=p.cdi_clue, clue_id=clue.pk, version=2)
    services.clue_propose(
        actor=proposer(p), clue_id=clue.pk, version=3, disposition="hold", note=NOTE
    )
    services.clue_approve(actor=p.cdi_clue, clue_id=clue.pk, version=4, note=APPROVAL)
    services.clue_give_feedback(actor=p.cdi_clue, clue_id=clue.pk, version=5, feedback=FEEDBACK)
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
            for row in cursor.fetchall():
                cells = " ".join(str(c) for c in row)
                found += [
                    (table, t)
                    for t in (SUBJECT, POST, SECRET, EVIDENCE, NOTE, APPROVAL)
                    if t in cells
                ]
    assert not found, found


def test_a_token_does_not_decrypt_in_another_column(personas):
    clue = make_clue(personas, ClueState.DRAFT)
    (token,) = raw(clue, "content")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE clues_clue SET evidence = %s WHERE id = %s", [token, clue.pk])
    with pytest.raises(crypto.FieldDecryptionError):
        Clue.objects.get(pk=clue.pk)
    assert Clue.objects.only("id", "content").get(pk=clue.pk).content == SECRET


def test_altered_tokens_and_unknown_keys_fail_loudly():
    aad = b"clues_clue.content"
    token = crypto.sm4_encrypt("机密", aad=aad)
    assert crypto.sm4_decrypt(token, aad=aad) == "机密"
    prefix, kid, blob = token.split(":")
    flipped = blob[:-2] + ("A" if blob[-2] != "A" else "B") + blob[-1]
    for bad in (
        f"{prefix}:{kid}:{flipped}",
        f"{prefix}:nobody:{blob}",
        f"{prefix}:{kid}:",
        "plain text",
    ):
        with pytest.raises(crypto.FieldDecryptionError):
            crypto.sm4_decrypt(bad, aad=aad)
    with pytest.raises(crypto.FieldDecryptionError):
        crypto.sm4_decrypt(token, aad=b"clues_clue.evidence")


def test_encrypted_columns_cannot_be_searched(personas):
    with pytest.raises(FieldError):
        list(Clue.objects.filter(content__icontains="好处费"))


@pytest.fixture
def key_file(settings, tmp_path):
    settings.FIELD_KEY_FILE = str(tmp_path / "keys" / "field-sm4.key")
    crypto.reset_field_keyring(None)
    yield settings.FIELD_KEY_FILE
    crypto.reset_field_keyring(None)


def test_keys_generate_creates_a_private_file_once(key_file, capsys):
    call_command("keys", "generate")
    mode = stat.S_IMODE(os.stat(key_file).st_mode)
    assert mode == 0o600
    first = Path(key_file).read_text()
    call_command("keys", "generate")
    assert Path(key_file).read_text() == first
    ring = crypto.field_keyring()
    assert len(ring.keys) == 1 and first.startswith(ring.current + ":")
    assert ring.keys[ring.current].hex() not in capsys.readouterr().out


def test_a_missing_or_broken_key_file_stops_with_a_clear_message(key_file):
    with pytest.raises(ImproperlyConfigured, match="wulian keys generate"):
        crypto.sm4_encrypt("x", aad=b"t.c")
    os.makedirs(os.path.dirname(key_file), exist_ok=True)
    with open(key_file, "w") as fh:
        fh.write("k1:not-hex\n")
    crypto.reset_field_keyring(None)
    with pytest.raises(ImproperlyConfigured, match="line 1"):
        crypto.field_keyring()


def test_rotation_keeps_old_values_readable_and_reencrypt_moves_them(personas, key_file):
    call_command("keys", "generate")
    clue = make_clue(personas, ClueState.DRAFT)  # make_clue installs the test key …
    crypto.reset_field_keyring(None)  # … so write this one with the file's key instead
    Clue.objects.filter(pk=clue.pk).update(
        content=SECRET, subject_name=SUBJECT, subject_post=POST, evidence=EVIDENCE
    )
    old_kid = crypto.field_keyring().current
    call_command("keys", "generate", "--rotate")
    new_kid = crypto.field_keyring().current
    assert new_kid != old_kid
    assert crypto.token_key_id(raw(clue, "content")[0]) == old_kid
    assert Clue.objects.only("id", "content").get(pk=clue.pk).content == SECRET
    call_command("keys", "reencrypt")
    assert crypto.token_key_id(raw(clue, "content")[0]) == new_kid
    assert crypto.token_key_id(raw(clue, "subject_name")[0]) == new_kid
    assert Clue.objects.only("id", "content").get(pk=clue.pk).content == SECRET
