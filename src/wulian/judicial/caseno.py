"""Chinese case numbers (案号): parse and validate (pure, stdlib only). Skeleton."""

from __future__ import annotations

from dataclasses import dataclass


class CaseNumberError(ValueError):
    """A malformed case number; str(error) is a Chinese sentence that says what is wrong."""


@dataclass(frozen=True)
class CaseNumber:
    year: int
    court_code: str
    court_province: str
    case_type_code: str
    case_type: str
    serial: int
    canonical: str
    authority: str = "court"  # "court" or "procuratorate"


def parse(text: str) -> CaseNumber:
    raise NotImplementedError
