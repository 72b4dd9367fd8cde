"""GB/T 9704-2012 official documents (公文) as .docx, with python-docx. Skeleton."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date


class OfficialDocument:
    def __init__(
        self,
        *,
        issuer: str,
        number: str = "",
        title: str,
        recipients: str = "",
        secrecy: str = "",
        urgency: str = "",
    ) -> None:
        raise NotImplementedError

    def paragraph(self, text: str) -> None:
        raise NotImplementedError

    def heading1(self, text: str) -> None:
        raise NotImplementedError

    def heading2(self, text: str) -> None:
        raise NotImplementedError

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        raise NotImplementedError

    def attachments(self, names: Sequence[str]) -> None:
        raise NotImplementedError

    def signature(self, *, org: str, date: date) -> None:
        raise NotImplementedError

    def record(self, *, printer: str, date: date, copies_to: str = "") -> None:
        raise NotImplementedError

    def to_bytes(self) -> bytes:
        raise NotImplementedError
