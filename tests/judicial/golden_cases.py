"""Fixed inputs of the draw's golden vectors (tests/judicial/golden/*.json).

The records are regenerated only on purpose — a change of protocol, with a new PROTOCOL string:

    .venv/bin/python -m tests.judicial.golden_cases --write
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from wulian.judicial import draw

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
SECRET = bytes(range(32))
WITNESSES = ("314159265358", "271828182845")


def _small() -> dict:
    """12 experts, 2 cases, one same-firm and one relation exclusion."""
    experts = [
        draw.Expert("E01", "deputy", employer="黄石市第一中学"),
        draw.Expert("E02", "deputy", relations=frozenset({"黄石某建材有限公司"})),
        draw.Expert("E03", "deputy"),
        draw.Expert("E04", "deputy"),
        draw.Expert("E05", "lawyer", firm="湖北甲律师事务所"),
        draw.Expert("E06", "lawyer", firm="湖北乙律师事务所"),
        draw.Expert("E07", "lawyer", firm="湖北丙律师事务所"),
        draw.Expert("E08", "lawyer", firm="湖北丁律师事务所"),
        draw.Expert("E09", "professor", employer="湖北师范大学"),
        draw.Expert("E10", "professor", employer="湖北理工学院"),
        draw.Expert("E11", "professor", employer="湖北师范大学"),
        draw.Expert("E12", "professor", employer="湖北理工学院"),
    ]
    cases = [
        draw.CaseItem(
            "(2023)鄂02民初123号",
            parties=frozenset({"黄石某建材有限公司", "张三"}),
            lawyers=frozenset({"李律师"}),
            firms=frozenset({"湖北甲律师事务所"}),
            judges=frozenset({"王法官"}),
        ),
        draw.CaseItem(
            "(2023)鄂02执恢12号",
            parties=frozenset({"黄石某机械制造有限公司"}),
            judges=frozenset({"赵法官"}),
        ),
    ]
    rules = draw.Rules(reviewers_per_case=3, minimums={"lawyer": 1, "professor": 1})
    manifest = draw.freeze(draw_id="HS-2023-T1", experts=experts, cases=cases, rules=rules)
    return _record(manifest)


def article_pool() -> list[draw.Expert]:
    """54 experts as in Huangshi's 2023 pool: 18 deputies, 18 lawyers, 18 professors."""
    experts = []
    for i in range(1, 55):
        category = ("deputy", "lawyer", "professor")[(i - 1) // 18]
        experts.append(
            draw.Expert(
                ref=f"E{i:04d}",
                category=category,
                firm=f"湖北律师事务所{i % 6}" if category == "lawyer" else "",
                employer={"deputy": f"黄石企业{i % 5}", "professor": f"高校{i % 3}"}.get(
                    category, ""
                ),
                recent_judges=frozenset({"周法官"}) if i in (3, 21, 40) else frozenset(),
                recusals=frozenset({"(2023)鄂0202执456号"}) if i == 22 else frozenset(),
                year_load=i % 4,
            )
        )
    return experts


def article_cases() -> list[draw.CaseItem]:
    kinds = ["民初", "民终", "执", "执恢", "执异", "行初", "民申", "执监", "民初", "执"]
    cases = []
    for n, kind in enumerate(kinds, 1):
        court = "鄂0202" if kind in ("执", "执恢") else "鄂02"
        cases.append(
            draw.CaseItem(
                ref=f"(2023){court}{kind}{n * 7}号",
                parties=frozenset({f"黄石企业{n % 5}", f"当事人{n}"}),
                lawyers=frozenset({f"律师{n}"}),
                firms=frozenset({f"湖北律师事务所{n % 6}"}),
                judges=frozenset({"周法官" if n % 4 == 0 else f"法官{n}"}),
            )
        )
    cases.append(
        draw.CaseItem(
            "(2023)鄂0202执456号",
            parties=frozenset({"某公司"}),
            judges=frozenset({"周法官"}),
        )
    )
    return cases


def _article() -> dict:
    """The 2023 shape: 54 experts, 11 cases, 3 reviewers (≥1 lawyer, ≥1 professor), a year cap,
    every avoidance rule exercised, one decline replaced by a reserve."""
    rules = draw.Rules(reviewers_per_case=3, minimums={"lawyer": 1, "professor": 1}, year_cap=3)
    manifest = draw.freeze(
        draw_id="HS-2023-01", experts=article_pool(), cases=article_cases(), rules=rules
    )
    return _record(manifest, substitutions=[(1, 0)])


def _aborted() -> dict:
    """A new draw that references an aborted one; 'other' experts; an explicit batch cap."""
    experts = [draw.Expert(f"X{i:02d}", ("other", "lawyer")[i % 2]) for i in range(1, 13)]
    experts.append(draw.Expert("X13", "lawyer", active=False))
    cases = [draw.CaseItem(f"(2024)鄂02执监{n}号") for n in (3, 4, 5)]
    rules = draw.Rules(
        reviewers_per_case=2,
        minimums={"other": 1},
        reserves_per_category=1,
        max_cases_per_expert=1,
    )
    manifest = draw.freeze(draw_id="HS-2024-02", experts=experts, cases=cases, rules=rules)
    return _record(manifest, aborted_previous="HS-2024-01", witnesses=("112358132134",))


def _record(
    manifest: draw.Manifest,
    *,
    substitutions: list[tuple[int, int]] = (),
    aborted_previous: str | None = None,
    witnesses: tuple[str, ...] = WITNESSES,
) -> dict:
    result = draw.run(
        manifest, draw.seed(manifest_hash=manifest.hash, secret=SECRET, witness_inputs=witnesses)
    )
    for panel_index, member_index in substitutions:
        panel = result.panels[panel_index]
        result, _ = draw.substitute(
            result, case_ref=panel.case_ref, declined=panel.members[member_index]
        )
    return draw.public_record(
        manifest=manifest,
        commitment=draw.commitment(SECRET),
        secret=SECRET,
        witness_inputs=witnesses,
        result=result,
        aborted_previous=aborted_previous,
    )


GOLDEN: dict[str, Callable[[], dict]] = {
    "small": _small,
    "article_2023": _article,
    "aborted_redraw": _aborted,
}


def dump(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    if "--write" not in sys.argv:
        sys.exit("usage: python -m tests.judicial.golden_cases --write")
    GOLDEN_DIR.mkdir(exist_ok=True)
    for name, build in GOLDEN.items():
        (GOLDEN_DIR / f"{name}.json").write_text(dump(build()), encoding="utf-8")
        print("wrote", name)
