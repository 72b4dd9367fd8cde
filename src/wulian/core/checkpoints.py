"""Signed checkpoints of the audit chain head, exported where the application cannot
rewrite them.

A checkpoint is the canonical JSON statement {"at", "chain", "head_hash", "seq"} signed with
SM2. The private key lives in a file outside the database (WULIAN_AUDIT_SIGNING_KEY_FILE); the
statement and its signature are written as a new read-only file to the export directory
(WULIAN_AUDIT_CHECKPOINT_DIR — in production a directory on another host or an append-only
mount the web processes cannot rewrite) and, optionally, sent to a remote syslog sink.
`wulian audit verify` reads the newest valid exported checkpoint, so an attacker who deletes
the tail of the chain (and the checkpoint rows in the database) is still caught.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wulian.core import crypto, jobs
from wulian.core.models import AuditCheckpoint, AuditHead

CHAIN_NAME = "wulian-audit"
log = logging.getLogger(__name__)


class CheckpointError(Exception):
    pass


@dataclass(frozen=True)
class SignedCheckpoint:
    seq: int
    head_hash: str
    at: str
    signature: str
    public_key: str
    source: str = ""

    def statement(self) -> bytes:
        return statement_bytes(self.seq, self.head_hash, self.at)

    def check_signature(self, expected_key: str | None = None) -> None:
        """Raise CheckpointError unless the file is signed with the configured audit key."""
        expected_key = expected_key or public_key()
        if self.public_key.lower() != expected_key.lower() or not crypto.sm2_verify(
            expected_key, self.statement(), self.signature
        ):
            raise CheckpointError(f"{self.source}: signature does not verify with the audit key")


def statement_bytes(seq: int, head_hash: str, at: str) -> bytes:
    return json.dumps(
        {"at": at, "chain": CHAIN_NAME, "head_hash": head_hash, "seq": seq},
        sort_keys=True,
        separators=(",", ":"),
    ).encode()


def _keys() -> tuple[str, str]:
    private = crypto.read_key_file(settings.AUDIT_SIGNING_KEY_FILE, "audit signing key")
    public = crypto.read_key_file(settings.AUDIT_VERIFY_KEY_FILE, "audit verification key")
    return private, public


def public_key() -> str:
    return crypto.read_key_file(settings.AUDIT_VERIFY_KEY_FILE, "audit verification key")


def keygen(*, directory: Path | None = None, force: bool = False) -> tuple[Path, Path]:
    """Create the SM2 key pair for checkpoints (private key mode 0600)."""
    private_path = Path(settings.AUDIT_SIGNING_KEY_FILE)
    public_path = Path(settings.AUDIT_VERIFY_KEY_FILE)
    if private_path.exists() and not force:
        return private_path, public_path
    pair = crypto.sm2_generate()
    private_path.parent.mkdir(parents=True, exist_ok=True)
    public_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(pair.private_hex + "\n")
    public_path.write_text(pair.public_hex + "\n")
    return private_path, public_path


def _export_dir() -> Path:
    path = Path(settings.AUDIT_CHECKPOINT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _export(cp: SignedCheckpoint) -> str:
    body = {
        "chain": CHAIN_NAME,
        "seq": cp.seq,
        "head_hash": cp.head_hash,
        "at": cp.at,
        "signature": cp.signature,
        "public_key": cp.public_key,
        "algorithm": "SM2-with-SM3",
    }
    path = _export_dir() / f"checkpoint-{cp.seq:012d}-{cp.at.replace(':', '')}.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    with os.fdopen(fd, "w") as fh:
        json.dump(body, fh, sort_keys=True)
    exported = str(path)
    if settings.AUDIT_CHECKPOINT_SYSLOG:
        host, _, port = settings.AUDIT_CHECKPOINT_SYSLOG.partition(":")
        handler = logging.handlers.SysLogHandler(address=(host, int(port or 514)))
        try:
            handler.emit(
                logging.makeLogRecord(
                    {"msg": "wulian-audit-checkpoint " + json.dumps(body, sort_keys=True)}
                )
            )
            exported += f"; syslog {settings.AUDIT_CHECKPOINT_SYSLOG}"
        finally:
            handler.close()
    return exported


def checkpoint_create(*, reason: str = "manual") -> AuditCheckpoint | None:
    """Sign and export the current head, and record the checkpoint as the next event of the
    chain (so that a checkpoint file that goes missing is a failure of `wulian audit verify`,
    not a warning). Returns None when the chain is empty."""
    from wulian.core import audit

    private, public = _keys()
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(id=1).first()
        if head is None or head.seq == 0:
            return None
        at = timezone.now().isoformat(timespec="seconds")
        signature = crypto.sm2_sign(private, public, statement_bytes(head.seq, head.hash, at))
        cp = SignedCheckpoint(head.seq, head.hash, at, signature, public)
        exported = _export(cp)
        row = AuditCheckpoint.objects.create(
            seq=head.seq,
            head_hash=head.hash,
            at=datetime.fromisoformat(at),
            signature=signature,
            public_key=public,
            exported_to=exported[:300],
            reason=reason,
        )
        audit.record(
            action=audit.CHECKPOINT_ACTION,
            target=("core.auditcheckpoint", row.pk, f"#{cp.seq}"),
            after={
                "seq": cp.seq,
                "head_hash": cp.head_hash,
                "at": cp.at,
                "file": Path(exported.split(";")[0]).name,
                "reason": reason,
            },
        )
        return row


@jobs.job("audit.checkpoint", every_seconds=10)
def checkpoint_if_due() -> AuditCheckpoint | None:
    """Called by the worker: a checkpoint when the chain moved (other than by the last
    checkpoint's own event) and either AUDIT_CHECKPOINT_EVENTS events or
    AUDIT_CHECKPOINT_MINUTES have passed since the last one; and one at the end of each day
    (the first run after local midnight)."""
    from wulian.core.audit import CHECKPOINT_ACTION
    from wulian.core.models import AuditEvent

    head = AuditHead.objects.filter(id=1).first()
    if head is None or head.seq == 0:
        return None
    last = AuditCheckpoint.objects.order_by("-seq", "-at").first()
    if last is None:
        return checkpoint_create(reason="periodic")
    moved = (
        AuditEvent.objects.filter(seq__gt=last.seq)
        .exclude(action=CHECKPOINT_ACTION)
        .values("seq")[: settings.AUDIT_CHECKPOINT_EVENTS]
        .count()
    )
    if not moved:
        return None
    now = timezone.now()
    if timezone.localdate(last.at) != timezone.localdate(now):
        return checkpoint_create(reason="day_end")
    if moved >= settings.AUDIT_CHECKPOINT_EVENTS or now - last.at >= timedelta(
        minutes=settings.AUDIT_CHECKPOINT_MINUTES
    ):
        return checkpoint_create(reason="periodic")
    return None


def _device(path: Path) -> int | None:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate.stat().st_dev
    return None


def on_the_databases_disk() -> bool:
    """The embedded tier: the chain is in a SQLite file and its checkpoints are written to the
    same disk, with no syslog copy — whoever can rewrite the one can delete the other, so the
    checkpoints protect little (the audit page and README say so, and how to send them away)."""
    from django.db import connection

    if connection.vendor != "sqlite" or settings.AUDIT_CHECKPOINT_SYSLOG:
        return False
    database = Path(str(connection.settings_dict["NAME"]))
    if not database.is_absolute() or "memory" in str(database):
        database = Path(settings.VAR_DIR)
    return _device(database) == _device(Path(settings.AUDIT_CHECKPOINT_DIR))


def exported_checkpoints(directory: Path | None = None) -> list[SignedCheckpoint]:
    """All exported checkpoints in ascending seq. The newest one's signature is checked here (a
    file that does not verify raises CheckpointError naming it); the older ones are vouched for
    by the chain, which records each checkpoint as an event covered by the newest signature —
    `wulian audit verify` checks an older file's signature only when it disagrees with the
    chain (SM2 in pure Python takes ~25 ms a file; there is one a minute)."""
    directory = directory or Path(settings.AUDIT_CHECKPOINT_DIR)
    if not directory.exists():
        return []
    expected_key = public_key()
    found: list[SignedCheckpoint] = []
    for path in sorted(directory.glob("checkpoint-*.json")):
        try:
            data: dict[str, Any] = json.loads(path.read_text())
            cp = SignedCheckpoint(
                seq=int(data["seq"]),
                head_hash=str(data["head_hash"]),
                at=str(data["at"]),
                signature=str(data["signature"]),
                public_key=str(data["public_key"]),
                source=str(path),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise CheckpointError(f"{path}: not a checkpoint file ({exc})") from None
        if cp.public_key.lower() != expected_key.lower():
            raise CheckpointError(f"{path}: signed with another key than the audit key")
        found.append(cp)
    found.sort(key=lambda c: (c.seq, c.at))
    if found:
        found[-1].check_signature(expected_key)
    return found
