"""HR-1: the sealed, verifiable reviewer draw for a review batch (pure: stdlib only, no Django).

The protocol (docs/adr/0008-sealed-draw.md, reference §5.4):

1. ``freeze()`` applies the avoidance rules (回避) to a frozen snapshot of the pool and the cases,
   records every exclusion with its rule code, checks that every quota can be met and returns a
   ``Manifest``. Nothing random has happened yet; an impossible quota raises ``Infeasible``.
2. The server draws ``new_secret()`` and publishes ``commitment(secret)`` (its SM3).
3. The witnesses enter their dice (``check_witness_input``).
4. ``seed()`` = SM3 over (protocol, manifest hash, revealed secret, witness inputs), each field
   length-prefixed. The server committed before it saw the dice; the witnesses never see the
   secret before they roll: neither side controls the seed.
5. ``run()`` ranks each category's experts once by the 256-bit integer
   SM3(seed ‖ category ‖ expert ref) and walks that ranking per case.
6. ``public_record()`` holds everything needed to replay the draw; ``verify_record()`` and the
   stdlib-only ``scripts/replay_draw.py`` recompute it.

Names never enter this module: experts are public pool refs ("E0007"); their names live,
encrypted, in the application. The strings it compares (firms, employers, relations, parties,
lawyers, judges) are normalised with ``normalise()``.

Every message meant for people is Chinese, like the rest of the product's source strings.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import secrets as _secrets
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

PROTOCOL = "HR-1/1"
RECORD_FORMAT = "wulian.draw-record/1"
CATEGORIES = ("deputy", "lawyer", "professor", "other")  # fixed processing order

#: Rule codes of exclusions, in the order they are checked.
RULE_CODES = (
    "inactive",
    "year_cap",
    "same_firm",
    "relation",
    "employer_is_party",
    "recent_judge",
    "recusal",
)

CATEGORY_LABELS = {
    "deputy": "人大代表",
    "lawyer": "律师",
    "professor": "高校教授",
    "other": "其他专家",
}
RULE_LABELS = {
    "inactive": "已暂停",
    "year_cap": "达到本年度评查上限",
    "same_firm": "与当事人代理律师同一律所",
    "relation": "申报有利害关系",
    "employer_is_party": "工作单位是本案当事人",
    "recent_judge": "近期评查过同一审判（检察）人员的案件",
    "recusal": "申报回避",
}

#: A witness enters exactly this many decimal digits (12 rolls of a ten-sided die).
WITNESS_DIGITS = 12
_SEPARATORS = re.compile(r"[\s,，、.。·\-_/]+")


# --------------------------------------------------------------------------------------------
# Primitives


def sm3(data: bytes) -> bytes:
    return hashlib.new("sm3", data).digest()


def sm3_hex(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def _lp(value: bytes | str) -> bytes:
    """One length-prefixed field: 4-byte big-endian length, then the bytes (str: UTF-8)."""
    raw = value.encode("utf-8") if isinstance(value, str) else value
    return len(raw).to_bytes(4, "big") + raw


def canonical_json(value: object) -> bytes:
    """Sorted keys, no spaces, UTF-8, non-ASCII kept as is: the bytes every hash is taken of."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


@lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """The comparable form of a person's or organisation's name or a case ref: NFKC (full-width
    letters, digits and brackets become half-width), no whitespace."""
    return "".join(unicodedata.normalize("NFKC", name or "").split())


def _norm_set(values: Iterable[str]) -> frozenset[str]:
    return frozenset(n for n in (normalise(v) for v in values) if n)


# --------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class Expert:
    """One pool entry, as frozen at manifest time (no names: refs only)."""

    ref: str  # stable public id of the pool entry, e.g. "E0007"
    category: str
    firm: str = ""  # law firm
    employer: str = ""
    relations: frozenset[str] = frozenset()  # declared relationships: names of people/organisations
    recusals: frozenset[str] = frozenset()  # case refs the expert declared recusal from
    recent_judges: frozenset[str] = frozenset()  # judges reviewed in the look-back window
    year_load: int = 0  # reviews already done this year
    active: bool = True  # a suspended expert is excluded ("inactive")

    def snapshot(self) -> dict:
        return {
            "ref": self.ref,
            "category": self.category,
            "firm": normalise(self.firm),
            "employer": normalise(self.employer),
            "relations": sorted(_norm_set(self.relations)),
            "recusals": sorted(_norm_set(self.recusals)),
            "recent_judges": sorted(_norm_set(self.recent_judges)),
            "year_load": int(self.year_load),
            "active": bool(self.active),
        }


@dataclass(frozen=True)
class CaseItem:
    ref: str  # the case number, e.g. "(2023)鄂02民初123号"
    parties: frozenset[str] = frozenset()  # parties (people and enterprises)
    lawyers: frozenset[str] = frozenset()  # lawyers of the parties
    firms: frozenset[str] = frozenset()  # their law firms
    judges: frozenset[str] = frozenset()  # judges / prosecutors

    def snapshot(self) -> dict:
        return {
            "ref": self.ref,
            "parties": sorted(_norm_set(self.parties)),
            "lawyers": sorted(_norm_set(self.lawyers)),
            "firms": sorted(_norm_set(self.firms)),
            "judges": sorted(_norm_set(self.judges)),
        }

    @property
    def digest(self) -> str:
        return sm3_hex(canonical_json(self.snapshot()))


@dataclass(frozen=True)
class Rules:
    reviewers_per_case: int
    minimums: Mapping[str, int] = field(default_factory=dict)  # category → at least this many
    reserves_per_category: int = 2  # ordered alternates per case and category
    max_cases_per_expert: int | None = None  # in this batch; None = computed fairly
    year_cap: int | None = None  # at or over this many reviews this year → ineligible

    def __post_init__(self) -> None:
        if not isinstance(self.reviewers_per_case, int) or self.reviewers_per_case < 1:
            raise ValueError("每案评查专家人数至少为1")
        for category, count in self.minimums.items():
            if category not in CATEGORIES:
                raise ValueError(f"未知的专家类别「{category}」")
            if not isinstance(count, int) or count < 0:
                raise ValueError(f"「{CATEGORY_LABELS[category]}」类的最少人数应为非负整数")
        total = sum(self.minimums.values())
        if total > self.reviewers_per_case:
            raise ValueError(
                f"各类别最少人数之和（{total}）超过每案评查专家人数（{self.reviewers_per_case}）"
            )
        if not isinstance(self.reserves_per_category, int) or self.reserves_per_category < 0:
            raise ValueError("每类候补人数应为非负整数")
        if self.max_cases_per_expert is not None and self.max_cases_per_expert < 1:
            raise ValueError("每名专家本批次最多评查案件数至少为1")
        if self.year_cap is not None and self.year_cap < 1:
            raise ValueError("年度评查上限至少为1")
        # One canonical form: categories in the fixed order, zero minimums dropped.
        object.__setattr__(
            self,
            "minimums",
            {c: self.minimums[c] for c in CATEGORIES if self.minimums.get(c, 0) > 0},
        )

    def to_json(self) -> dict:
        return {
            "reviewers_per_case": self.reviewers_per_case,
            "minimums": dict(self.minimums),
            "reserves_per_category": self.reserves_per_category,
            "max_cases_per_expert": self.max_cases_per_expert,
            "year_cap": self.year_cap,
        }

    @classmethod
    def from_json(cls, data: Mapping) -> Rules:
        return cls(
            reviewers_per_case=data["reviewers_per_case"],
            minimums=dict(data.get("minimums") or {}),
            reserves_per_category=data["reserves_per_category"],
            max_cases_per_expert=data.get("max_cases_per_expert"),
            year_cap=data.get("year_cap"),
        )


# --------------------------------------------------------------------------------------------
# Freezing eligibility


@dataclass(frozen=True)
class Problem:
    """A quota that cannot be met for one case: raised before any randomness."""

    case_ref: str
    category: str  # a category, or "all" for the panel size itself
    needed: int
    available: int
    excluded_by: Mapping[str, int]  # rule code → experts of that category it excluded

    def message(self) -> str:
        reasons = "、".join(
            f"{RULE_LABELS.get(rule, rule)}{count}人"
            for rule, count in sorted(self.excluded_by.items(), key=lambda kv: _rule_order(kv[0]))
            if count
        )
        why = f"已回避：{reasons}" if reasons else "专家库中人数不足"
        if self.category == "all":
            return (
                f"案件{self.case_ref}：每案需要{self.needed}名评查专家，"
                f"回避后仅剩{self.available}人可抽（{why}）"
            )
        label = CATEGORY_LABELS.get(self.category, self.category)
        return (
            f"案件{self.case_ref}：「{label}」类至少需要{self.needed}人，"
            f"回避后仅剩{self.available}人可抽（{why}）"
        )


def _rule_order(rule: str) -> int:
    return RULE_CODES.index(rule) if rule in RULE_CODES else len(RULE_CODES)


class Infeasible(Exception):
    """The quotas cannot be met after the exclusions; nothing random has been used."""

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
    case_ref: str | None  # None: excluded for the whole batch (inactive, year cap)
    rule: str
    detail: str

    def to_json(self) -> dict:
        return {
            "expert": self.expert_ref,
            "case": self.case_ref,
            "rule": self.rule,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class CaseDigest:
    """A case as the manifest holds it: its ref and the SM3 of its frozen participants."""

    ref: str
    digest: str


def _exclusion_key(e: Exclusion) -> tuple:
    return (e.case_ref is not None, e.case_ref or "", e.expert_ref, _rule_order(e.rule))


@dataclass(frozen=True)
class Manifest:
    """Everything decided before randomness. Per-case eligibility is ``pool`` (the batch-level
    eligible refs per category, sorted) minus that case's exclusions — the compact, equivalent
    form of ``eligible`` (which would be cases × experts long)."""

    draw_id: str
    pool_hash: str
    rules: Rules
    cases: tuple[CaseDigest, ...]
    pool: Mapping[str, tuple[str, ...]]  # category → sorted refs eligible for the batch
    exclusions: tuple[Exclusion, ...]
    batch_cap: int  # preferred maximum of cases per expert in this batch
    protocol: str = PROTOCOL

    # -- derived views -------------------------------------------------------------------
    @cached_property
    def category_of(self) -> dict[str, str]:
        return {ref: cat for cat, refs in self.pool.items() for ref in refs}

    @cached_property
    def excluded_for(self) -> dict[str, dict[str, str]]:
        """case ref → expert ref → first rule code that excluded it for that case."""
        out: dict[str, dict[str, str]] = {c.ref: {} for c in self.cases}
        for e in self.exclusions:
            if e.case_ref is not None:
                out.setdefault(e.case_ref, {}).setdefault(e.expert_ref, e.rule)
        return out

    @cached_property
    def batch_excluded(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for e in self.exclusions:
            if e.case_ref is None:
                out.setdefault(e.expert_ref, e.rule)
        return out

    def eligible_for(self, case_ref: str, category: str) -> tuple[str, ...]:
        excluded = self.excluded_for.get(case_ref, {})
        return tuple(r for r in self.pool.get(category, ()) if r not in excluded)

    @property
    def eligible(self) -> Mapping[str, Mapping[str, tuple[str, ...]]]:
        """case ref → category → sorted eligible expert refs."""
        return {
            c.ref: {cat: self.eligible_for(c.ref, cat) for cat in CATEGORIES} for c in self.cases
        }

    # -- serialisation --------------------------------------------------------------------
    def to_json(self) -> dict:
        return {
            "protocol": self.protocol,
            "draw_id": self.draw_id,
            "pool_hash": self.pool_hash,
            "categories": list(CATEGORIES),
            "rules": self.rules.to_json(),
            "cases": [{"ref": c.ref, "digest": c.digest} for c in self.cases],
            "pool": {cat: list(self.pool.get(cat, ())) for cat in CATEGORIES},
            "exclusions": [e.to_json() for e in self.exclusions],
            "batch_cap": self.batch_cap,
        }

    def canonical(self) -> bytes:
        return canonical_json(self.to_json())

    @property
    def hash(self) -> str:
        return sm3_hex(self.canonical())

    @classmethod
    def from_json(cls, data: Mapping | str | bytes) -> Manifest:
        """The manifest as written by ``to_json`` (order kept as given, so any edit changes the
        hash). Raises ``ValueError`` with a Chinese message when the shape is wrong."""
        if isinstance(data, (str, bytes)):
            data = json.loads(data)
        try:
            if list(data["categories"]) != list(CATEGORIES):
                raise ValueError("类别处理顺序与协议不符")
            return cls(
                protocol=str(data["protocol"]),
                draw_id=str(data["draw_id"]),
                pool_hash=str(data["pool_hash"]),
                rules=Rules.from_json(data["rules"]),
                cases=tuple(CaseDigest(str(c["ref"]), str(c["digest"])) for c in data["cases"]),
                pool={cat: tuple(str(r) for r in data["pool"].get(cat, ())) for cat in CATEGORIES},
                exclusions=tuple(
                    Exclusion(
                        expert_ref=str(e["expert"]),
                        case_ref=None if e["case"] is None else str(e["case"]),
                        rule=str(e["rule"]),
                        detail=str(e["detail"]),
                    )
                    for e in data["exclusions"]
                ),
                batch_cap=int(data["batch_cap"]),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"抽取清单格式错误：缺少或无法读取「{exc}」") from exc


def pool_hash(experts: Sequence[Expert]) -> str:
    """SM3 of the canonical pool snapshot (experts sorted by ref, normalised fields)."""
    return _pool_hash([e.snapshot() for e in experts])


def _pool_hash(snapshots: list[dict]) -> str:
    ordered = sorted(snapshots, key=lambda s: s["ref"])
    return sm3_hex(canonical_json({"protocol": PROTOCOL, "experts": ordered}))


def _quoted(values: Iterable[str]) -> str:
    return "、".join(f"「{v}」" for v in sorted(values))


def freeze(
    *, draw_id: str, experts: Sequence[Expert], cases: Sequence[CaseItem], rules: Rules
) -> Manifest:
    """Apply the avoidance rules, record each exclusion, check every quota. Raises ``Infeasible``
    (with one ``Problem`` per unmet quota) before any randomness; ``ValueError`` on bad input."""
    if not draw_id or not str(draw_id).strip():
        raise ValueError("缺少抽取编号")
    if not cases:
        raise ValueError("本批次没有案件")
    seen: set[str] = set()
    for e in experts:
        if not e.ref:
            raise ValueError("专家缺少编号")
        if e.ref in seen:
            raise ValueError(f"专家编号「{e.ref}」重复")
        if e.category not in CATEGORIES:
            raise ValueError(f"专家{e.ref}的类别「{e.category}」未知")
        seen.add(e.ref)
    case_refs = [c.ref for c in cases]
    if len(set(case_refs)) != len(case_refs):
        dupes = sorted({r for r in case_refs if case_refs.count(r) > 1})
        raise ValueError(f"案件{_quoted(dupes)}在本批次中重复")
    if any(not r for r in case_refs):
        raise ValueError("案件缺少案号")

    snapshots = {e.ref: e.snapshot() for e in experts}
    exclusions: list[Exclusion] = []
    pool: dict[str, list[str]] = {c: [] for c in CATEGORIES}
    batch_rule_count: dict[str, dict[str, int]] = {c: {} for c in CATEGORIES}
    active: list[Expert] = []
    for e in experts:
        rule = detail = None
        if not e.active:
            rule, detail = "inactive", "专家已暂停，不参加抽取"
        elif rules.year_cap is not None and e.year_load >= rules.year_cap:
            rule = "year_cap"
            detail = f"本年度已评查{e.year_load}件，达到上限{rules.year_cap}件"
        if rule:
            exclusions.append(Exclusion(e.ref, None, rule, detail or ""))
            counts = batch_rule_count[e.category]
            counts[rule] = counts.get(rule, 0) + 1
        else:
            pool[e.category].append(e.ref)
            active.append(e)

    # Inverted indexes over the batch-eligible experts: each case looks up only who it touches.
    by_firm: dict[str, list[Expert]] = {}
    by_relation: dict[str, list[Expert]] = {}
    by_employer: dict[str, list[Expert]] = {}
    by_judge: dict[str, list[Expert]] = {}
    by_recusal: dict[str, list[Expert]] = {}
    for e in active:
        snap = snapshots[e.ref]
        if firm := snap["firm"]:
            by_firm.setdefault(firm, []).append(e)
        if employer := snap["employer"]:
            by_employer.setdefault(employer, []).append(e)
        for name in snap["relations"]:
            by_relation.setdefault(name, []).append(e)
        for name in snap["recent_judges"]:
            by_judge.setdefault(name, []).append(e)
        for ref in snap["recusals"]:
            by_recusal.setdefault(ref, []).append(e)

    problems: list[Problem] = []
    digests: list[CaseDigest] = []
    for case in sorted(cases, key=lambda c: c.ref):
        parties, lawyers = _norm_set(case.parties), _norm_set(case.lawyers)
        firms, judges = _norm_set(case.firms), _norm_set(case.judges)
        hits: dict[tuple[str, str], set[str]] = {}  # (expert ref, rule) → matched names
        experts_of: dict[str, Expert] = {}

        def hit(found: list[Expert], rule: str, name: str, hits=hits, who=experts_of) -> None:
            for x in found:
                who[x.ref] = x
                hits.setdefault((x.ref, rule), set()).add(name)

        for name in firms:
            hit(by_firm.get(name, []), "same_firm", name)
        for name in parties | lawyers | judges | firms:
            hit(by_relation.get(name, []), "relation", name)
        for name in parties:
            hit(by_employer.get(name, []), "employer_is_party", name)
        for name in judges:
            hit(by_judge.get(name, []), "recent_judge", name)
        hit(by_recusal.get(normalise(case.ref), []), "recusal", case.ref)

        excluded_by_cat: dict[str, set[str]] = {c: set() for c in CATEGORIES}
        rule_count: dict[str, dict[str, int]] = {c: dict(batch_rule_count[c]) for c in CATEGORIES}
        for (ref, rule), names in sorted(
            hits.items(), key=lambda kv: (kv[0][0], _rule_order(kv[0][1]))
        ):
            exclusions.append(Exclusion(ref, case.ref, rule, _detail(rule, names)))
            cat = experts_of[ref].category
            excluded_by_cat[cat].add(ref)
            rule_count[cat][rule] = rule_count[cat].get(rule, 0) + 1

        available_total = 0
        for cat in CATEGORIES:
            available = len(pool[cat]) - len(excluded_by_cat[cat])
            available_total += available
            needed = rules.minimums.get(cat, 0)
            if available < needed:
                problems.append(Problem(case.ref, cat, needed, available, rule_count[cat]))
        if available_total < rules.reviewers_per_case:
            merged: dict[str, int] = {}
            for cat in CATEGORIES:
                for rule, n in rule_count[cat].items():
                    merged[rule] = merged.get(rule, 0) + n
            problems.append(
                Problem(case.ref, "all", rules.reviewers_per_case, available_total, merged)
            )
        digests.append(CaseDigest(case.ref, case.digest))

    if problems:
        raise Infeasible(problems)

    return Manifest(
        draw_id=str(draw_id),
        pool_hash=_pool_hash(list(snapshots.values())),
        rules=rules,
        cases=tuple(digests),
        pool={cat: tuple(sorted(pool[cat])) for cat in CATEGORIES},
        exclusions=tuple(sorted(exclusions, key=_exclusion_key)),
        batch_cap=_batch_cap(rules, len(cases), {c: len(pool[c]) for c in CATEGORIES}),
    )


def _detail(rule: str, names: set[str]) -> str:
    quoted = _quoted(names)
    if rule == "same_firm":
        return f"所在律师事务所{quoted}代理本案当事人"
    if rule == "relation":
        return f"申报与{quoted}存在利害关系"
    if rule == "employer_is_party":
        return f"工作单位{quoted}是本案当事人"
    if rule == "recent_judge":
        return f"近期评查过{quoted}承办的案件"
    if rule == "recusal":
        return "申报对本案回避"
    return quoted


def _batch_cap(rules: Rules, n_cases: int, per_category: Mapping[str, int]) -> int:
    """The preferred maximum of cases per expert: the given one, or the least that lets every
    seat and every category minimum be filled if the load were spread evenly."""
    if rules.max_cases_per_expert is not None:
        return rules.max_cases_per_expert
    total = sum(per_category.values())
    cap = math.ceil(rules.reviewers_per_case * n_cases / max(total, 1))
    for cat, minimum in rules.minimums.items():
        cap = max(cap, math.ceil(minimum * n_cases / max(per_category.get(cat, 0), 1)))
    return max(cap, 1)


# --------------------------------------------------------------------------------------------
# Randomness


def new_secret() -> bytes:
    return _secrets.token_bytes(32)


def commitment(secret: bytes) -> str:
    """What the server publishes before the witnesses roll: SM3 of its secret, hex."""
    return sm3_hex(secret)


def check_witness_input(value: str) -> str:
    """A witness's dice: exactly 12 decimal digits (12 rolls of a ten-sided die; a six-sided die's
    1–6 are digits too). Spaces and common separators are ignored, full-width digits accepted.
    Returns the 12 digits; raises ``ValueError`` with a Chinese message otherwise."""
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", value or ""))
    if not text:
        raise ValueError(f"请输入{WITNESS_DIGITS}位随机数字（掷{WITNESS_DIGITS}次骰子）")
    if not text.isascii() or not text.isdigit():
        bad = next(ch for ch in text if not ("0" <= ch <= "9"))
        raise ValueError(f"随机数只能包含数字0–9，不能包含「{bad}」")
    if len(text) != WITNESS_DIGITS:
        raise ValueError(f"随机数应为{WITNESS_DIGITS}位数字，现在是{len(text)}位")
    if len(set(text)) == 1:
        raise ValueError("随机数不能全部是同一个数字，请重新掷骰")
    return text


def seed(*, manifest_hash: str, secret: bytes, witness_inputs: Sequence[str]) -> bytes:
    """S = SM3(lp(PROTOCOL) ‖ lp(manifest hash, 32 bytes) ‖ lp(secret) ‖ lp(w1) ‖ lp(w2) …)."""
    try:
        mh = bytes.fromhex(manifest_hash)
    except ValueError as exc:
        raise ValueError("抽取清单哈希值应为64位十六进制数") from exc
    if len(mh) != 32:
        raise ValueError("抽取清单哈希值应为64位十六进制数")
    if len(secret) < 16:
        raise ValueError("服务器随机数过短")
    if not witness_inputs:
        raise ValueError("至少需要一名见证人输入随机数")
    data = _lp(PROTOCOL) + _lp(mh) + _lp(secret)
    for w in witness_inputs:
        data += _lp(check_witness_input(w))
    return sm3(data)


# --------------------------------------------------------------------------------------------
# The draw


@dataclass(frozen=True)
class Panel:
    case_ref: str
    members: tuple[str, ...]
    categories: tuple[str, ...]  # the category of each member, same order
    reserves: Mapping[str, tuple[str, ...]]  # category → ordered alternates

    def to_json(self) -> dict:
        return {
            "case": self.case_ref,
            "members": list(self.members),
            "categories": list(self.categories),
            "reserves": {cat: list(self.reserves.get(cat, ())) for cat in CATEGORIES},
        }

    @classmethod
    def from_json(cls, data: Mapping) -> Panel:
        return cls(
            case_ref=str(data["case"]),
            members=tuple(str(m) for m in data["members"]),
            categories=tuple(str(c) for c in data["categories"]),
            reserves={
                cat: tuple(str(r) for r in data["reserves"].get(cat, ())) for cat in CATEGORIES
            },
        )


@dataclass(frozen=True)
class Substitution:
    case_ref: str
    declined: str
    replacement: str
    category: str

    def to_json(self) -> dict:
        return {
            "case": self.case_ref,
            "declined": self.declined,
            "replacement": self.replacement,
            "category": self.category,
        }


@dataclass(frozen=True)
class Result:
    panels: tuple[Panel, ...]
    substitutions: tuple[Substitution, ...] = ()  # declines replaced by reserves, in order

    def to_json(self) -> dict:
        return {
            "panels": [p.to_json() for p in self.panels],
            "substitutions": [s.to_json() for s in self.substitutions],
        }

    @classmethod
    def from_json(cls, data: Mapping | str | bytes) -> Result:
        if isinstance(data, (str, bytes)):
            data = json.loads(data)
        try:
            return cls(
                panels=tuple(Panel.from_json(p) for p in data["panels"]),
                substitutions=tuple(
                    Substitution(
                        str(s["case"]),
                        str(s["declined"]),
                        str(s["replacement"]),
                        str(s["category"]),
                    )
                    for s in data.get("substitutions", ())
                ),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"抽取结果格式错误：缺少或无法读取「{exc}」") from exc

    def canonical(self) -> bytes:
        return canonical_json(self.to_json())

    @property
    def hash(self) -> str:
        return sm3_hex(self.canonical())

    def panel(self, case_ref: str) -> Panel:
        for p in self.panels:
            if p.case_ref == case_ref:
                return p
        raise SubstitutionError(f"本次抽取中没有案件{case_ref}")

    def original(self) -> Result:
        """The result as drawn, before any substitution (undoes them in reverse order)."""
        panels = {p.case_ref: p for p in self.panels}
        for s in reversed(self.substitutions):
            p = panels[s.case_ref]
            i = p.members.index(s.replacement)
            reserves = dict(p.reserves)
            reserves[s.category] = (s.replacement, *reserves.get(s.category, ()))
            panels[s.case_ref] = Panel(
                p.case_ref,
                (*p.members[:i], s.declined, *p.members[i + 1 :]),
                p.categories,
                reserves,
            )
        return Result(tuple(panels[p.case_ref] for p in self.panels))


def rank_key(seed_bytes: bytes, category: str, ref: str) -> bytes:
    """SM3(lp(seed) ‖ lp(category) ‖ lp(ref)): compared as bytes = as a 256-bit big-endian int."""
    return sm3(_lp(seed_bytes) + _lp(category) + _lp(ref))


def _ranking(seed_bytes: bytes, category: str, refs: Iterable[str]) -> list[tuple[bytes, str, str]]:
    prefix = hashlib.new("sm3", _lp(seed_bytes) + _lp(category))
    out = []
    for ref in refs:
        h = prefix.copy()
        h.update(_lp(ref))
        out.append((h.digest(), category, ref))
    out.sort()
    return out


class _Seats:
    """The panel of one case being filled: walks a ranking, skipping the excluded, the already
    seated and (unless told otherwise) those at the batch cap."""

    def __init__(self, excluded: Mapping[str, str], load: Mapping[str, int], cap: int) -> None:
        self.excluded, self.load, self.cap = excluded, load, cap
        self.members: list[str] = []
        self.categories: list[str] = []
        self.taken: set[str] = set()

    def walk(
        self, ranking: Sequence, first: int, need: int, category: str | None, *, ignore_cap: bool
    ) -> None:
        for i in range(first, len(ranking)):
            if len(self.members) >= need:
                return
            item = ranking[i]
            ref, cat = (item, category) if category else item
            if ref in self.excluded or ref in self.taken:
                continue
            if not ignore_cap and self.load.get(ref, 0) >= self.cap:
                continue
            self.members.append(ref)
            self.categories.append(cat)
            self.taken.add(ref)


def run(manifest: Manifest, seed_bytes: bytes) -> Result:
    """Rank each category once (SM3(seed ‖ category ‖ ref), ascending), then per case in manifest
    order: each category's minimum from its own ranking, the remaining seats from the merged
    ranking of all categories, then ``reserves_per_category`` ordered alternates per category.
    An expert already drawn for ``batch_cap`` cases is passed over while someone else eligible
    remains; when nobody else does, the walk takes the next eligible expert regardless (so a
    feasible manifest never fails after the seed)."""
    rules = manifest.rules
    cap = manifest.batch_cap
    ranked = {cat: _ranking(seed_bytes, cat, manifest.pool.get(cat, ())) for cat in CATEGORIES}
    rankings = {cat: [ref for _, _, ref in ranked[cat]] for cat in CATEGORIES}
    merged: list[tuple[str, str]] = []
    if rules.reviewers_per_case > sum(rules.minimums.values()):
        merged = [(ref, cat) for _, cat, ref in sorted(x for c in CATEGORIES for x in ranked[c])]
    load: dict[str, int] = {}
    # Index of the first entry that may still be under the cap, per ranking (loads only grow).
    start: dict[str, int] = {cat: 0 for cat in CATEGORIES}
    start_merged = 0

    panels: list[Panel] = []
    for case in manifest.cases:
        excluded = manifest.excluded_for.get(case.ref, {})
        seats = _Seats(excluded, load, cap)
        members, taken = seats.members, seats.taken

        # 1. Minimums, category by category in the fixed order.
        for cat in CATEGORIES:
            minimum = rules.minimums.get(cat, 0)
            if not minimum:
                continue
            target = len(members) + minimum
            ranking = rankings[cat]
            seats.walk(ranking, start[cat], target, cat, ignore_cap=False)
            if len(members) < target:
                seats.walk(ranking, 0, target, cat, ignore_cap=True)
        # 2. The remaining seats from the merged ranking.
        if len(members) < rules.reviewers_per_case:
            seats.walk(merged, start_merged, rules.reviewers_per_case, None, ignore_cap=False)
            if len(members) < rules.reviewers_per_case:
                seats.walk(merged, 0, rules.reviewers_per_case, None, ignore_cap=True)
        if len(members) < rules.reviewers_per_case:  # freeze() guarantees this cannot happen
            raise Infeasible([Problem(case.ref, "all", rules.reviewers_per_case, len(members), {})])
        for ref in members:
            load[ref] = load.get(ref, 0) + 1
        # 3. Reserves: next in each category's ranking, preferring those under the cap.
        reserves: dict[str, tuple[str, ...]] = {}
        for cat in CATEGORIES:
            chosen: list[str] = []
            for pass_ignoring_cap in (False, True):
                ranking = rankings[cat] if pass_ignoring_cap else rankings[cat][start[cat] :]
                for ref in ranking:
                    if len(chosen) >= rules.reserves_per_category:
                        break
                    if ref in excluded or ref in taken or ref in chosen:
                        continue
                    if not pass_ignoring_cap and load.get(ref, 0) >= cap:
                        continue
                    chosen.append(ref)
            reserves[cat] = tuple(chosen)
        panels.append(Panel(case.ref, tuple(members), tuple(seats.categories), reserves))
        # Advance the starts past experts now at the cap.
        for cat in CATEGORIES:
            ranking, i = rankings[cat], start[cat]
            while i < len(ranking) and load.get(ranking[i], 0) >= cap:
                i += 1
            start[cat] = i
        while start_merged < len(merged) and load.get(merged[start_merged][0], 0) >= cap:
            start_merged += 1
    return Result(tuple(panels))


def substitute(result: Result, *, case_ref: str, declined: str) -> tuple[Result, str]:
    """Replace a member who declined with the next reserve of the same category (never a new
    seed). Returns the new result (with the substitution recorded) and the replacement's ref."""
    panel = result.panel(case_ref)
    if declined not in panel.members:
        raise SubstitutionError(f"专家{declined}不是案件{case_ref}的抽中专家")
    i = panel.members.index(declined)
    category = panel.categories[i]
    queue = panel.reserves.get(category, ())
    if not queue:
        raise ReservesExhausted(
            f"案件{case_ref}的「{CATEGORY_LABELS.get(category, category)}」类候补专家已用完，"
            "需要另行补充抽取"
        )
    replacement = queue[0]
    reserves = dict(panel.reserves)
    reserves[category] = queue[1:]
    new_panel = Panel(
        case_ref,
        (*panel.members[:i], replacement, *panel.members[i + 1 :]),
        panel.categories,
        reserves,
    )
    panels = tuple(new_panel if p.case_ref == case_ref else p for p in result.panels)
    sub = Substitution(case_ref, declined, replacement, category)
    return Result(panels, (*result.substitutions, sub)), replacement


# --------------------------------------------------------------------------------------------
# The public record


def public_record(
    *,
    manifest: Manifest,
    commitment: str,
    secret: bytes,
    witness_inputs: Sequence[str],
    result: Result,
    aborted_previous: str | None = None,
) -> dict:
    """Everything needed to replay the draw, JSON-able and self-contained."""
    manifest_hash = manifest.hash
    inputs = [check_witness_input(w) for w in witness_inputs]
    s = seed(manifest_hash=manifest_hash, secret=secret, witness_inputs=inputs)
    return {
        "format": RECORD_FORMAT,
        "protocol": PROTOCOL,
        "draw_id": manifest.draw_id,
        "aborted_previous": aborted_previous,
        "manifest": manifest.to_json(),
        "manifest_hash": manifest_hash,
        "commitment": commitment,
        "secret": secret.hex(),
        "witness_inputs": inputs,
        "seed": s.hex(),
        "sealed_result_hash": result.original().hash,
        "result": result.to_json(),
        "result_hash": result.hash,
    }


def verify_record(record: dict) -> list[str]:
    """Replay a public record. [] when it replays exactly; otherwise Chinese problem lines, the
    first one being the first mismatch in protocol order."""
    problems: list[str] = []
    if not isinstance(record, Mapping):
        return ["抽取记录应为JSON对象"]
    if record.get("format") != RECORD_FORMAT or record.get("protocol") != PROTOCOL:
        return [
            f"记录格式「{record.get('format')}」/协议「{record.get('protocol')}」不受支持"
            f"（应为 {RECORD_FORMAT} / {PROTOCOL}）"
        ]
    try:
        raw_manifest = record["manifest"]
        manifest = Manifest.from_json(raw_manifest)
        stored = Result.from_json(record["result"])
        secret = bytes.fromhex(record["secret"])
    except (KeyError, ValueError, TypeError) as exc:
        return [f"记录无法读取：{exc}"]

    # 1. The manifest as hashed before any randomness.
    recomputed = sm3_hex(canonical_json(raw_manifest))
    if manifest.canonical() != canonical_json(raw_manifest):
        problems.append("抽取清单格式不规范：重新整理后的内容与记录不同")
    if recomputed != record.get("manifest_hash"):
        problems.append(
            f"抽取清单哈希值不符：记录为{record.get('manifest_hash')}，重新计算为{recomputed}"
            "（清单在封存后被改动）"
        )
    if manifest.draw_id != record.get("draw_id"):
        problems.append(f"抽取编号不符：记录为{record.get('draw_id')}，清单中为{manifest.draw_id}")
    # 2. The commitment made before the witnesses rolled.
    if commitment(secret) != record.get("commitment"):
        problems.append("服务器随机数与事先公布的承诺值不符")
    # 3. The witnesses' inputs and the seed.
    inputs = list(record.get("witness_inputs") or [])
    if not inputs:
        problems.append("记录中没有见证人输入的随机数")
    for n, w in enumerate(inputs, 1):
        try:
            if check_witness_input(w) != w:
                problems.append(f"第{n}名见证人的随机数未按规范记录")
        except ValueError as exc:
            problems.append(f"第{n}名见证人的随机数无效：{exc}")
    if problems:
        return problems
    s = seed(manifest_hash=recomputed, secret=secret, witness_inputs=inputs)
    if s.hex() != record.get("seed"):
        problems.append(f"种子不符：记录为{record.get('seed')}，重新计算为{s.hex()}")
    # 4. The draw itself, then the substitutions in order.
    replayed = run(manifest, s)
    if replayed.hash != record.get("sealed_result_hash"):
        problems.append("封存时的抽取结果哈希值与重算结果不符")
    try:
        for sub in stored.substitutions:
            replayed, replacement = substitute(
                replayed, case_ref=sub.case_ref, declined=sub.declined
            )
            if replacement != sub.replacement or replayed.substitutions[-1] != sub:
                problems.append(
                    f"案件{sub.case_ref}的替补不符：记录为{sub.replacement}，应为{replacement}"
                )
                break
    except SubstitutionError as exc:
        problems.append(f"替补记录无法重放：{exc}")
    problems.extend(_compare(stored, replayed))
    if stored.hash != record.get("result_hash"):
        problems.append("抽取结果哈希值不符（结果在记录后被改动）")
    # 5. Independent checks of the stored result: quotas and exclusions.
    problems.extend(_check_result(manifest, stored))
    # 6. Who actually sits: the invitations and their answers, the seats (when recorded).
    if record.get("seating") is not None:
        problems.extend(check_seating(stored, record["seating"]))
    return problems


def seating_expected(result: Result) -> dict:
    """What the seating must be, derived from a (verified) result: everyone ever drawn onto a
    panel — its members, and every member who declined and was replaced by the next reserve of
    his category — is invited once; exactly those replaced have declined; the seats of each
    case are its final members."""
    declined = sorted({s.declined for s in result.substitutions})
    invited = sorted({*(r for p in result.panels for r in p.members), *declined})
    return {
        "invited": invited,
        "declined": declined,
        "seats": {p.case_ref: list(p.members) for p in result.panels},
    }


def check_seating(result: Result, seating: Mapping) -> list[str]:
    """Compare the recorded seating (`{"invitations": [{"invitation", "expert", "state"}],
    "seats": {case: [refs]} or None}`) with what the result says it must be. Each problem names
    the invitation (or case) it is about."""
    out: list[str] = []
    expected = seating_expected(result)
    invited, declined = set(expected["invited"]), set(expected["declined"])
    try:
        invitations = [
            (str(i["invitation"]), str(i["expert"]), str(i["state"]))
            for i in seating.get("invitations") or []
        ]
    except (KeyError, TypeError, AttributeError) as exc:
        return [f"邀请记录无法读取：{exc}"]
    seen: dict[str, str] = {}
    for number, ref, state in invitations:
        if ref in seen:
            out.append(f"邀请#{number}：专家{ref}已有邀请#{seen[ref]}，同一专家不应被邀请两次")
            continue
        seen[ref] = number
        if ref not in invited:
            out.append(f"邀请#{number}：专家{ref}不是抽取结果（含替补）中的专家")
        elif state == "declined" and ref not in declined:
            out.append(f"邀请#{number}：专家{ref}已谢绝，但抽取结果中没有由候补专家替补他")
        elif state != "declined" and ref in declined:
            out.append(f"邀请#{number}：抽取结果中专家{ref}已谢绝并被替补，但邀请记录为“{state}”")
    for ref in expected["invited"]:
        if ref not in seen:
            out.append(f"专家{ref}在抽取结果中，但没有邀请记录")
    seats = seating.get("seats")
    if seats is not None:
        for case_ref, members in expected["seats"].items():
            got = sorted(seats.get(case_ref) or [])
            if got != sorted(members):
                out.append(
                    f"案件{case_ref}的评查席位与抽取结果不符：席位为{'、'.join(got) or '无'}，"
                    f"应为{'、'.join(sorted(members))}"
                )
    return out


def _compare(stored: Result, replayed: Result) -> list[str]:
    out: list[str] = []
    mine = {p.case_ref: p for p in replayed.panels}
    if [p.case_ref for p in stored.panels] != [p.case_ref for p in replayed.panels]:
        out.append("抽取结果中的案件与抽取清单不符")
    for p in stored.panels:
        q = mine.get(p.case_ref)
        if q is None:
            continue
        if p.members != q.members or p.categories != q.categories:
            out.append(
                f"案件{p.case_ref}的抽中专家不符：记录为{'、'.join(p.members)}，"
                f"重算为{'、'.join(q.members)}"
            )
        elif p.to_json()["reserves"] != q.to_json()["reserves"]:
            out.append(f"案件{p.case_ref}的候补专家不符")
    return out


def _check_result(manifest: Manifest, result: Result) -> list[str]:
    out: list[str] = []
    rules = manifest.rules
    for p in result.panels:
        excluded = manifest.excluded_for.get(p.case_ref, {})
        if len(p.members) != rules.reviewers_per_case or len(set(p.members)) != len(p.members):
            out.append(f"案件{p.case_ref}的抽中专家人数应为{rules.reviewers_per_case}名不同专家")
        counts: dict[str, int] = {}
        for ref in p.members:
            cat = manifest.category_of.get(ref)
            if cat is not None:
                counts[cat] = counts.get(cat, 0) + 1
        for cat, minimum in rules.minimums.items():
            if counts.get(cat, 0) < minimum:
                out.append(
                    f"案件{p.case_ref}：「{CATEGORY_LABELS[cat]}」类仅{counts.get(cat, 0)}人，"
                    f"少于至少{minimum}人"
                )
        drawn = [*p.members, *(r for refs in p.reserves.values() for r in refs)]
        for ref in drawn:
            rule = excluded.get(ref) or manifest.batch_excluded.get(ref)
            if rule:
                label = RULE_LABELS.get(rule, rule)
                out.append(f"专家{ref}被抽中审查案件{p.case_ref}，但已因「{label}」回避")
            elif ref not in manifest.category_of:
                out.append(f"专家{ref}不在本次抽取的专家范围内")
    return out
