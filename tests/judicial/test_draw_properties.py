"""The HR-1 draw engine: properties (hypothesis) and each avoidance rule on its own."""

from __future__ import annotations

import copy
import json
import random

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from wulian.judicial import draw
from wulian.judicial.draw import CaseItem, Expert, Rules

NAMES = ["甲公司", "乙公司", "张三", "李四", "王法官", "赵法官", "钱律师", "孙律师"]
FIRMS = ["一律所", "二律所", "三律所"]
CASE_REFS = ["(2023)鄂02民初1号", "(2023)鄂02民初2号", "(2023)鄂02执3号", "(2023)鄂02行终4号"]
WITNESS = ("123456789012",)
SECRET = b"\x07" * 32
OTHER = ["无关单位一", "无关单位二", "无关人员一", "无关人员二", "无关人员三", "无关人员四"]


@st.composite
def experts(draw_, min_size: int = 0, max_size: int = 30) -> list[Expert]:
    n = draw_(st.integers(min_size, max_size))
    out = []
    for i in range(n):
        category = draw_(st.sampled_from(draw.CATEGORIES))
        out.append(
            Expert(
                ref=f"E{i:03d}",
                category=category,
                firm=draw_(st.sampled_from(["", *FIRMS])) if category == "lawyer" else "",
                employer=draw_(st.sampled_from(["", "", "甲公司", "某大学", "乙公司"])),
                relations=frozenset(
                    draw_(st.lists(st.sampled_from(NAMES + FIRMS + OTHER), max_size=2))
                ),
                recusals=frozenset(draw_(st.lists(st.sampled_from(CASE_REFS), max_size=1))),
                recent_judges=frozenset(
                    draw_(st.lists(st.sampled_from(["王法官", "赵法官"]), max_size=1))
                ),
                year_load=draw_(st.integers(0, 4)),
                active=draw_(st.booleans()) if i % 5 == 0 else True,
            )
        )
    return out


@st.composite
def cases(draw_) -> list[CaseItem]:
    refs = draw_(st.lists(st.sampled_from(CASE_REFS), min_size=1, max_size=4, unique=True))
    return [
        CaseItem(
            ref=ref,
            parties=frozenset(draw_(st.lists(st.sampled_from(NAMES[:4]), max_size=2))),
            lawyers=frozenset(draw_(st.lists(st.sampled_from(NAMES[6:]), max_size=1))),
            firms=frozenset(draw_(st.lists(st.sampled_from(FIRMS), max_size=1))),
            judges=frozenset(draw_(st.lists(st.sampled_from(NAMES[4:6]), max_size=1))),
        )
        for ref in refs
    ]


@st.composite
def rules(draw_) -> Rules:
    per_case = draw_(st.integers(1, 4))
    minimums: dict[str, int] = {}
    left = per_case
    for category in draw_(st.lists(st.sampled_from(draw.CATEGORIES), unique=True, max_size=3)):
        n = draw_(st.integers(0, left))
        minimums[category] = n
        left -= n
    return Rules(
        reviewers_per_case=per_case,
        minimums=minimums,
        reserves_per_category=draw_(st.integers(0, 3)),
        max_cases_per_expert=draw_(st.none() | st.integers(1, 3)),
        year_cap=draw_(st.none() | st.integers(1, 6)),
    )


def oracle_eligible(e: Expert, c: CaseItem, r: Rules) -> bool:
    """Eligibility written out plainly, independently of freeze()'s indexes."""
    if not e.active or (r.year_cap is not None and e.year_load >= r.year_cap):
        return False
    if e.firm and e.firm in c.firms:
        return False
    if e.relations & (c.parties | c.lawyers | c.judges | c.firms):
        return False
    if e.employer and e.employer in c.parties:
        return False
    if e.recent_judges & c.judges:
        return False
    return c.ref not in e.recusals


def feasible(pool: list[Expert], batch: list[CaseItem], r: Rules) -> bool:
    for c in batch:
        eligible = [e for e in pool if oracle_eligible(e, c, r)]
        if len(eligible) < r.reviewers_per_case:
            return False
        for category, n in r.minimums.items():
            if sum(e.category == category for e in eligible) < n:
                return False
    return True


def do_draw(manifest: draw.Manifest, witness=WITNESS, secret=SECRET) -> draw.Result:
    s = draw.seed(manifest_hash=manifest.hash, secret=secret, witness_inputs=witness)
    return draw.run(manifest, s)


def record_of(manifest, result, witness=WITNESS, secret=SECRET) -> dict:
    return draw.public_record(
        manifest=manifest,
        commitment=draw.commitment(secret),
        secret=secret,
        witness_inputs=witness,
        result=result,
    )


PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# The tests that need a feasible batch (most random batches are): fewer examples.
FILTERED = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


# --- properties ----------------------------------------------------------------------------------


@PROPS
@given(pool=experts(), batch=cases(), r=rules(), secret=st.binary(min_size=32, max_size=32))
def test_feasible_iff_no_infeasible_and_quotas_met_and_exclusions_respected(pool, batch, r, secret):
    event("feasible" if feasible(pool, batch, r) else "infeasible")
    if not feasible(pool, batch, r):
        with pytest.raises(draw.Infeasible) as exc:
            draw.freeze(draw_id="D", experts=pool, cases=batch, rules=r)
        assert exc.value.problems
        return
    manifest = draw.freeze(draw_id="D", experts=pool, cases=batch, rules=r)
    result = do_draw(manifest, secret=secret)
    by_ref = {e.ref: e for e in pool}
    by_case = {c.ref: c for c in batch}
    assert sorted(p.case_ref for p in result.panels) == sorted(by_case)
    for panel in result.panels:
        case = by_case[panel.case_ref]
        assert len(panel.members) == r.reviewers_per_case == len(set(panel.members))
        for category, n in r.minimums.items():
            assert sum(by_ref[m].category == category for m in panel.members) >= n
        assert [by_ref[m].category for m in panel.members] == list(panel.categories)
        for ref in panel.members:
            assert oracle_eligible(by_ref[ref], case, r)
        for category, refs in panel.reserves.items():
            assert len(refs) <= r.reserves_per_category
            assert not set(refs) & set(panel.members)
            for ref in refs:
                assert by_ref[ref].category == category
                assert oracle_eligible(by_ref[ref], case, r)
        # The exclusions recorded are exactly the oracle's ineligible experts.
        recorded = {e.expert_ref for e in manifest.exclusions if e.case_ref in (None, case.ref)}
        assert recorded == {e.ref for e in pool if not oracle_eligible(e, case, r)}
    assert draw.verify_record(record_of(manifest, result, secret=secret)) == []


@FILTERED
@given(pool=experts(min_size=12), batch=cases(), r=rules(), data=st.data())
def test_same_inputs_same_result_in_any_input_order(pool, batch, r, data):
    assume(feasible(pool, batch, r))
    manifest = draw.freeze(draw_id="D", experts=pool, cases=batch, rules=r)
    shuffled = draw.freeze(
        draw_id="D",
        experts=data.draw(st.permutations(pool)),
        cases=data.draw(st.permutations(batch)),
        rules=r,
    )
    assert shuffled.canonical() == manifest.canonical()
    assert do_draw(manifest) == do_draw(shuffled)
    assert draw.Manifest.from_json(json.loads(manifest.canonical())).hash == manifest.hash


@PROPS
@given(
    a=st.text("0123456789", min_size=12, max_size=12),
    b=st.text("0123456789", min_size=12, max_size=12),
    h=st.binary(min_size=32, max_size=32),
)
def test_a_different_witness_input_gives_a_different_seed(a, b, h):
    assume(len(set(a)) > 1 and len(set(b)) > 1 and a != b)
    one = draw.seed(manifest_hash=h.hex(), secret=SECRET, witness_inputs=[a])
    two = draw.seed(manifest_hash=h.hex(), secret=SECRET, witness_inputs=[b])
    assert one != two
    # The order of the witnesses and the split between them matter too.
    assert draw.seed(manifest_hash=h.hex(), secret=SECRET, witness_inputs=[a, b]) != draw.seed(
        manifest_hash=h.hex(), secret=SECRET, witness_inputs=[b, a]
    )


@FILTERED
@given(pool=experts(min_size=12), batch=cases(), r=rules(), data=st.data())
def test_verify_record_fails_on_any_alteration(pool, batch, r, data):
    assume(feasible(pool, batch, r))
    manifest = draw.freeze(draw_id="D", experts=pool, cases=batch, rules=r)
    result = do_draw(manifest)
    good = record_of(manifest, result)
    assert draw.verify_record(good) == []
    how = data.draw(
        st.sampled_from(["manifest", "secret", "witness", "seed", "swap", "result_hash", "rules"])
    )
    bad = copy.deepcopy(good)
    if how == "manifest":  # eligibility edited after the hash was taken
        bad["manifest"]["exclusions"].append(
            {"expert": "E999", "case": None, "rule": "recusal", "detail": ""}
        )
    elif how == "rules":
        bad["manifest"]["rules"]["reserves_per_category"] += 1
    elif how == "secret":
        bad["secret"] = bytes(32).hex()
    elif how == "witness":
        bad["witness_inputs"] = ["987654321098"]
    elif how == "seed":
        bad["seed"] = "ab" * 32
    elif how == "result_hash":
        bad["result_hash"] = "cd" * 32
    else:  # swap a member for someone else in the pool
        panel = bad["result"]["panels"][0]
        others = [
            ref
            for refs in bad["manifest"]["pool"].values()
            for ref in refs
            if ref not in panel["members"]
        ]
        assume(others)
        panel["members"][0] = data.draw(st.sampled_from(others))
    assert draw.verify_record(bad) != []


@FILTERED
@given(pool=experts(min_size=12), batch=cases(), r=rules(), data=st.data())
def test_substitution_takes_the_next_reserve_of_the_same_category(pool, batch, r, data):
    assume(feasible(pool, batch, r))
    manifest = draw.freeze(draw_id="D", experts=pool, cases=batch, rules=r)
    result = do_draw(manifest)
    panel = data.draw(st.sampled_from(result.panels))
    i = data.draw(st.integers(0, len(panel.members) - 1))
    declined, category = panel.members[i], panel.categories[i]
    queue = panel.reserves[category]
    if not queue:
        with pytest.raises(draw.ReservesExhausted):
            draw.substitute(result, case_ref=panel.case_ref, declined=declined)
        return
    after, replacement = draw.substitute(result, case_ref=panel.case_ref, declined=declined)
    assert replacement == queue[0]
    new = after.panel(panel.case_ref)
    assert new.members[i] == replacement and declined not in new.members
    assert new.categories == panel.categories
    assert new.reserves[category] == queue[1:]
    assert after.original() == result
    assert draw.verify_record(record_of(manifest, after)) == []


# --- refusals before randomness ------------------------------------------------------------------


def test_infeasible_names_category_and_exclusions_before_any_randomness(monkeypatch):
    def no_randomness(*args, **kwargs):
        raise AssertionError("freeze() must not use randomness")

    monkeypatch.setattr(draw._secrets, "token_bytes", no_randomness)
    monkeypatch.setattr(random, "random", no_randomness)
    pool = [
        Expert("L1", "lawyer", firm="一律所"),
        Expert("L2", "lawyer", firm="一律所"),
        Expert("L3", "lawyer", recusals=frozenset({"(2023)鄂02民初1号"})),
        Expert("P1", "professor"),
        Expert("P2", "professor"),
        Expert("D1", "deputy"),
    ]
    case = CaseItem("(2023)鄂02民初1号", firms=frozenset({"一律所"}))
    with pytest.raises(draw.Infeasible) as exc:
        draw.freeze(
            draw_id="D",
            experts=pool,
            cases=[case],
            rules=Rules(reviewers_per_case=3, minimums={"lawyer": 1, "professor": 1}),
        )
    [problem] = exc.value.problems
    assert problem.case_ref == "(2023)鄂02民初1号"
    assert problem.category == "lawyer"
    assert (problem.needed, problem.available) == (1, 0)
    assert problem.excluded_by == {"same_firm": 2, "recusal": 1}
    assert problem.message() == (
        "案件(2023)鄂02民初1号：「律师」类至少需要1人，回避后仅剩0人可抽"
        "（已回避：与当事人代理律师同一律所2人、申报回避1人）"
    )
    assert problem.message() in str(exc.value)


def test_infeasible_panel_size_and_empty_category():
    pool = [Expert("D1", "deputy"), Expert("D2", "deputy", active=False)]
    with pytest.raises(draw.Infeasible) as exc:
        draw.freeze(
            draw_id="D",
            experts=pool,
            cases=[CaseItem("A")],
            rules=Rules(reviewers_per_case=2, minimums={"professor": 1}),
        )
    by_category = {p.category: p for p in exc.value.problems}
    assert by_category["professor"].message().endswith("（专家库中人数不足）")
    assert by_category["all"].excluded_by == {"inactive": 1}
    assert "每案需要2名评查专家，回避后仅剩1人可抽" in by_category["all"].message()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"reviewers_per_case": 0}, "每案评查专家人数至少为1"),
        ({"reviewers_per_case": 2, "minimums": {"judge": 1}}, "未知的专家类别「judge」"),
        (
            {"reviewers_per_case": 2, "minimums": {"lawyer": 2, "professor": 1}},
            "各类别最少人数之和（3）超过每案评查专家人数（2）",
        ),
        ({"reviewers_per_case": 2, "reserves_per_category": -1}, "每类候补人数应为非负整数"),
        ({"reviewers_per_case": 2, "year_cap": 0}, "年度评查上限至少为1"),
    ],
)
def test_bad_rules_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Rules(**kwargs)


def test_bad_batches_are_refused():
    r = Rules(reviewers_per_case=1)
    with pytest.raises(ValueError, match="本批次没有案件"):
        draw.freeze(draw_id="D", experts=[Expert("A", "deputy")], cases=[], rules=r)
    with pytest.raises(ValueError, match="专家编号「A」重复"):
        draw.freeze(
            draw_id="D",
            experts=[Expert("A", "deputy"), Expert("A", "lawyer")],
            cases=[CaseItem("X")],
            rules=r,
        )
    with pytest.raises(ValueError, match="在本批次中重复"):
        draw.freeze(
            draw_id="D", experts=[Expert("A", "deputy")], cases=[CaseItem("X")] * 2, rules=r
        )
    with pytest.raises(ValueError, match="类别「judge」未知"):
        draw.freeze(draw_id="D", experts=[Expert("A", "judge")], cases=[CaseItem("X")], rules=r)
    with pytest.raises(ValueError, match="缺少抽取编号"):
        draw.freeze(draw_id=" ", experts=[Expert("A", "deputy")], cases=[CaseItem("X")], rules=r)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("123456789012", "123456789012"),
        ("1234 5678 9012", "123456789012"),
        ("１２３４５６７８９０１２", "123456789012"),
        ("1-2-3-4-5-6-1-2-3-4-5-6", "123456123456"),
    ],
)
def test_witness_input_is_normalised(value, expected):
    assert draw.check_witness_input(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "请输入12位随机数字"),
        ("12345678901", "应为12位数字，现在是11位"),
        ("1234567890123", "现在是13位"),
        ("12345678901a", "不能包含「a」"),
        ("111111111111", "不能全部是同一个数字"),
    ],
)
def test_malformed_witness_input_is_refused(value, message):
    with pytest.raises(ValueError, match=message):
        draw.check_witness_input(value)


def test_seed_refuses_missing_inputs():
    with pytest.raises(ValueError, match="至少需要一名见证人"):
        draw.seed(manifest_hash="00" * 32, secret=SECRET, witness_inputs=[])
    with pytest.raises(ValueError, match="64位十六进制"):
        draw.seed(manifest_hash="xyz", secret=SECRET, witness_inputs=WITNESS)
    with pytest.raises(ValueError, match="过短"):
        draw.seed(manifest_hash="00" * 32, secret=b"x", witness_inputs=WITNESS)


def test_new_secret_and_commitment():
    one, two = draw.new_secret(), draw.new_secret()
    assert len(one) == 32 and one != two
    assert len(draw.commitment(one)) == 64 and draw.commitment(one) != draw.commitment(two)


def test_substitution_refusals():
    pool = [Expert(f"L{i}", "lawyer") for i in range(3)]
    manifest = draw.freeze(
        draw_id="D",
        experts=pool,
        cases=[CaseItem("X")],
        rules=Rules(reviewers_per_case=2, reserves_per_category=1),
    )
    result = do_draw(manifest)
    outsider = next(e.ref for e in pool if e.ref not in result.panels[0].members)
    with pytest.raises(draw.SubstitutionError, match="不是案件X的抽中专家"):
        draw.substitute(result, case_ref="X", declined=outsider)
    with pytest.raises(draw.SubstitutionError, match="没有案件Y"):
        draw.substitute(result, case_ref="Y", declined=outsider)
    result, _ = draw.substitute(result, case_ref="X", declined=result.panels[0].members[0])
    with pytest.raises(draw.ReservesExhausted, match="「律师」类候补专家已用完"):
        draw.substitute(result, case_ref="X", declined=result.panels[0].members[1])


def test_the_batch_cap_spreads_the_load():
    pool = [Expert(f"E{i:02d}", "deputy") for i in range(12)]
    batch = [CaseItem(f"C{i}") for i in range(4)]
    manifest = draw.freeze(
        draw_id="D", experts=pool, cases=batch, rules=Rules(reviewers_per_case=3)
    )
    assert manifest.batch_cap == 1
    result = do_draw(manifest)
    members = [m for p in result.panels for m in p.members]
    assert len(members) == len(set(members)) == 12
    # When honouring the cap would leave a seat empty, the cap gives way (no failure after the
    # seed): 12 seats, 5 eligible experts, explicit cap 1.
    manifest = draw.freeze(
        draw_id="D",
        experts=pool[:5],
        cases=batch,
        rules=Rules(reviewers_per_case=3, max_cases_per_expert=1),
    )
    result = do_draw(manifest)
    assert all(len(p.members) == 3 for p in result.panels)


def test_verify_record_reports_an_excluded_expert_and_an_unmet_quota():
    pool = [Expert("L1", "lawyer", firm="一律所"), Expert("L2", "lawyer"), Expert("D1", "deputy")]
    case = CaseItem("X", firms=frozenset({"一律所"}))
    manifest = draw.freeze(
        draw_id="D",
        experts=pool,
        cases=[case],
        rules=Rules(reviewers_per_case=2, minimums={"lawyer": 1}),
    )
    record = record_of(manifest, do_draw(manifest))
    assert record["result"]["panels"][0]["members"] == ["L2", "D1"]
    record["result"]["panels"][0]["members"] = ["L1", "D1"]
    problems = draw.verify_record(record)
    assert "专家L1被抽中审查案件X，但已因「与当事人代理律师同一律所」回避" in problems
    record["result"]["panels"][0]["members"] = ["D1"]
    record["result"]["panels"][0]["categories"] = ["deputy"]
    problems = draw.verify_record(record)
    assert "案件X：「律师」类仅0人，少于至少1人" in problems


def test_verify_record_first_line_is_the_first_mismatch():
    pool = [Expert(f"E{i}", "deputy") for i in range(4)]
    manifest = draw.freeze(
        draw_id="D", experts=pool, cases=[CaseItem("X")], rules=Rules(reviewers_per_case=2)
    )
    record = record_of(manifest, do_draw(manifest))
    record["manifest"]["pool"]["deputy"].pop()
    assert draw.verify_record(record)[0].startswith("抽取清单哈希值不符")
    record = record_of(manifest, do_draw(manifest))
    record["secret"] = "00" * 32
    assert draw.verify_record(record) == ["服务器随机数与事先公布的承诺值不符"]
    assert draw.verify_record({"format": "x"})[0].startswith("记录格式")


# --- each avoidance rule -------------------------------------------------------------------------


def excluded(expert: Expert, case: CaseItem, **rule_kwargs) -> list[draw.Exclusion]:
    manifest = draw.freeze(
        draw_id="D",
        experts=[expert, Expert("ZZ", "other")],
        cases=[case],
        rules=Rules(reviewers_per_case=1, **rule_kwargs),
    )
    return [e for e in manifest.exclusions if e.expert_ref == expert.ref]


CASE = CaseItem(
    "(2023)鄂02民初123号",
    parties=frozenset({"黄石某建材有限公司", "张三"}),
    lawyers=frozenset({"李律师"}),
    firms=frozenset({"湖北甲律师事务所"}),
    judges=frozenset({"王法官"}),
)


def test_same_firm_as_a_partys_lawyer():
    [e] = excluded(Expert("E1", "lawyer", firm="湖北甲律师事务所"), CASE)
    assert (e.rule, e.case_ref, e.detail) == (
        "same_firm",
        CASE.ref,
        "所在律师事务所「湖北甲律师事务所」代理本案当事人",
    )
    assert excluded(Expert("E1", "lawyer", firm="湖北乙律师事务所"), CASE) == []


@pytest.mark.parametrize("name", ["张三", "李律师", "王法官", "湖北甲律师事务所"])
def test_declared_relationship_with_a_party_lawyer_judge_or_firm(name):
    [e] = excluded(Expert("E1", "professor", relations=frozenset({name})), CASE)
    assert (e.rule, e.detail) == ("relation", f"申报与「{name}」存在利害关系")


def test_employer_is_a_party():
    [e] = excluded(Expert("E1", "deputy", employer="黄石某建材有限公司"), CASE)
    assert (e.rule, e.detail) == ("employer_is_party", "工作单位「黄石某建材有限公司」是本案当事人")


def test_reviewed_the_same_judge_recently():
    [e] = excluded(Expert("E1", "deputy", recent_judges=frozenset({"王法官"})), CASE)
    assert (e.rule, e.detail) == ("recent_judge", "近期评查过「王法官」承办的案件")
    assert excluded(Expert("E1", "deputy", recent_judges=frozenset({"赵法官"})), CASE) == []


def test_declared_recusal_matches_whatever_the_brackets():
    [e] = excluded(Expert("E1", "deputy", recusals=frozenset({"（2023）鄂02民初123号"})), CASE)
    assert (e.rule, e.detail) == ("recusal", "申报对本案回避")


def test_year_cap_is_frozen_as_a_batch_exclusion():
    [e] = excluded(Expert("E1", "deputy", year_load=5), CASE, year_cap=5)
    assert (e.rule, e.case_ref, e.detail) == ("year_cap", None, "本年度已评查5件，达到上限5件")
    assert excluded(Expert("E1", "deputy", year_load=4), CASE, year_cap=5) == []
    assert excluded(Expert("E1", "deputy", year_load=40), CASE) == []


def test_suspended_expert_is_excluded():
    [e] = excluded(Expert("E1", "deputy", active=False), CASE)
    assert (e.rule, e.case_ref) == ("inactive", None)


def test_names_are_compared_normalised():
    [e] = excluded(Expert("E1", "lawyer", firm=" 湖北甲律师事务所 "), CASE)
    assert e.rule == "same_firm"
    [e] = excluded(Expert("E1", "deputy", relations=frozenset({"张 三"})), CASE)
    assert e.rule == "relation"


def test_several_rules_for_one_expert_are_each_recorded():
    expert = Expert(
        "E1",
        "lawyer",
        firm="湖北甲律师事务所",
        relations=frozenset({"张三", "王法官"}),
        recusals=frozenset({CASE.ref}),
    )
    found = excluded(expert, CASE)
    assert [(e.rule, e.detail) for e in found] == [
        ("same_firm", "所在律师事务所「湖北甲律师事务所」代理本案当事人"),
        ("relation", "申报与「张三」、「王法官」存在利害关系"),
        ("recusal", "申报对本案回避"),
    ]


def test_an_excluded_expert_stays_eligible_for_other_cases():
    pool = [Expert("L1", "lawyer", firm="一律所"), Expert("L2", "lawyer")]
    batch = [CaseItem("A", firms=frozenset({"一律所"})), CaseItem("B")]
    manifest = draw.freeze(
        draw_id="D", experts=pool, cases=batch, rules=Rules(reviewers_per_case=1)
    )
    assert manifest.eligible == {
        "A": {"deputy": (), "lawyer": ("L2",), "professor": (), "other": ()},
        "B": {"deputy": (), "lawyer": ("L1", "L2"), "professor": (), "other": ()},
    }
    assert manifest.pool_hash == draw.pool_hash(list(reversed(pool)))
