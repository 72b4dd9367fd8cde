"""HR-1: the sealed, verifiable reviewer draw (pure: stdlib only, no Django).

Skeleton — interfaces fixed, bodies being filled in. See docs/adr/0008-sealed-draw.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

PROTOCOL = "HR-1/1"
CATEGORIES = ("deputy", "lawyer", "professor", "other")

RULE_CODES = (
    "inactive",
    "year_cap",
    "same_firm",
    "relation",
    "employer_is_party",
    "recent_judge",
    "recusal",
)


@dataclass(frozen=True)
class Expert:
    ref: str
    category: str
    firm: str = ""
    employer: str = ""
    relations: frozenset[str] = frozenset()
    recusals: frozenset[str] = frozenset()
    recent_judges: frozenset[str] = frozenset()
    year_load: int = 0
    active: bool = True


@dataclass(frozen=True)
class CaseItem:
    ref: str
    parties: frozenset[str] = frozenset()
    lawyers: frozenset[str] = frozenset()
    firms: frozenset[str] = frozenset()
    judges: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rules:
    reviewers_per_case: int
    minimums: Mapping[str, int] = field(default_factory=dict)
    reserves_per_category: int = 2
    max_cases_per_expert: int | None = None
    year_cap: int | None = None


@dataclass(frozen=True)
class Problem:
    case_ref: str
    category: str
    needed: int
    available: int
    excluded_by: Mapping[str, int]

    def message(self) -> str:
        raise NotImplementedError


class Infeasible(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("；".join(p.message() for p in problems))


class SubstitutionError(ValueError):
    pass


class ReservesExhausted(SubstitutionError):
    pass


@dataclass(frozen=True)
class Exclusion:
    expert_ref: str
    case_ref: str | None
    rule: str
    detail: str


@dataclass(frozen=True)
class CaseDigest:
    ref: str
    digest: str


@dataclass(frozen=True)
class Manifest:
    draw_id: str
    pool_hash: str
    rules: Rules
    cases: tuple[CaseDigest, ...]
    pool: Mapping[str, tuple[str, ...]]
    exclusions: tuple[Exclusion, ...]
    batch_cap: int

    @property
    def eligible(self) -> Mapping[str, Mapping[str, tuple[str, ...]]]:
        raise NotImplementedError

    def canonical(self) -> bytes:
        raise NotImplementedError

    @property
    def hash(self) -> str:
        raise NotImplementedError

    def to_json(self) -> dict:
        raise NotImplementedError

    @classmethod
    def from_json(cls, data: dict | str | bytes) -> Manifest:
        raise NotImplementedError


@dataclass(frozen=True)
class Panel:
    case_ref: str
    members: tuple[str, ...]
    categories: tuple[str, ...]
    reserves: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Substitution:
    case_ref: str
    declined: str
    replacement: str
    category: str


@dataclass(frozen=True)
class Result:
    panels: tuple[Panel, ...]
    substitutions: tuple[Substitution, ...] = ()

    def canonical(self) -> bytes:
        raise NotImplementedError

    @property
    def hash(self) -> str:
        raise NotImplementedError


def pool_hash(experts: Sequence[Expert]) -> str:
    raise NotImplementedError


def freeze(
    *, draw_id: str, experts: Sequence[Expert], cases: Sequence[CaseItem], rules: Rules
) -> Manifest:
    raise NotImplementedError


def new_secret() -> bytes:
    raise NotImplementedError


def commitment(secret: bytes) -> str:
    raise NotImplementedError


def check_witness_input(value: str) -> str:
    raise NotImplementedError


def seed(*, manifest_hash: str, secret: bytes, witness_inputs: Sequence[str]) -> bytes:
    raise NotImplementedError


def run(manifest: Manifest, seed_bytes: bytes) -> Result:
    raise NotImplementedError


def substitute(result: Result, *, case_ref: str, declined: str) -> tuple[Result, str]:
    raise NotImplementedError


def public_record(
    *,
    manifest: Manifest,
    commitment: str,
    secret: bytes,
    witness_inputs: Sequence[str],
    result: Result,
    aborted_previous: str | None = None,
) -> dict:
    raise NotImplementedError


def verify_record(record: dict) -> list[str]:
    raise NotImplementedError
