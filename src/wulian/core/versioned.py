"""One way to save a change to a versioned record (issue 12).

A service that changes a record with a `version` (optimistic locking, docs/adr/0017) sets a
few fields, moves the version on and saves just those fields — the same four to twelve lines
in every service. `save` says it once: the fields and their new values, nothing else.
"""

from __future__ import annotations

from typing import Any


def save(row: Any, /, *already: str, **changes: Any) -> None:
    """Set `changes` on `row`, move `row.version` on, and save those fields — with the ones
    named in `already` (set on the row before) and `version` and `updated_at`. Nothing else
    on the row is written (`update_fields`)."""
    for field, value in changes.items():
        setattr(row, field, value)
    row.version += 1
    row.save(update_fields=[*already, *changes, "version", "updated_at"])
