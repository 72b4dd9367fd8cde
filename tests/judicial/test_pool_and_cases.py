"""The expert pool and case filing: success (state, one audit event) and refusals (no access,
bad input, wrong state, stale version); the .xlsx imports (all or nothing, row by row); pool
versions (a snapshot per distinct pool, never rewritten)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook

from tests.judicial import helpers as h
from wulian.core.choices import ExpertCategory
from wulian.core.errors import AccessDenied, ConcurrentEdit, TransitionNotAllowed, ValidationFailed
from wulian.core.models import AuditEvent, ExpertProfile, Person
from wulian.judicial import services
from wulian.judicial.choices import BatchState, CaseKind, ExpertStatus, PartyRole
from wulian.judicial.models import Case, Expert, PoolVersion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("judicial_env")]


def only_event(code: str) -> AuditEvent:
    events = list(AuditEvent.objects.filter(action=code))
    assert len(events) == 1, [e.action for e in events]
    return events[0]


def expert_data(**over: Any) -> dict[str, Any]:
    return {
        "name": "周律师",
        "category": ExpertCategory.LAWYER,
        "specialties": ["民事", "执行"],
        "employer": "湖北众邦律师事务所",
        "law_firm": "湖北众邦律师事务所",
        "availability": "available",
        **over,
    }


def case_data(p, **over: Any) -> dict[str, Any]:
    return {
        "number": "(2023)鄂02民初123号",
        "court_id": p.orgs["court"].pk,
        "kind": CaseKind.ENTERPRISE_TRIAL,
        "cause": "买卖合同纠纷",
        "parties": "黄石某某机械有限公司（被告，企业）\n张三（原告）",
        "judges": "赵法官",
        "lawyers": "李四（湖北磁湖律师事务所，代理张三）",
        **over,
    }


# --- Pool ---------------------------------------------------------------------------------


def test_expert_add_creates_person_profile_and_entry(p):
    expert = services.expert_add(actor=p.users["congress_clerk"], data=expert_data())
    assert expert.profile.person.name == "周律师"
    assert expert.profile.law_firm == "湖北众邦律师事务所"
    assert expert.status == ExpertStatus.ACTIVE
    assert only_event("judicial.expert.added").after_data["category"] == "lawyer"


def test_expert_add_for_an_existing_person_once(p):
    person = p.users["expert"].person
    services.expert_add(
        actor=p.users["congress_clerk"], data=expert_data(person_id=person.pk, name="")
    )
    assert ExpertProfile.objects.get(person=person).category == "lawyer"
    with pytest.raises(ValidationFailed) as exc:
        services.expert_add(actor=p.users["congress_clerk"], data=expert_data(person_id=person.pk))
    assert "已在专家库中" in exc.value.message


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"category": "judge"}, "category"),
        ({"law_firm": ""}, "law_firm"),
        ({"availability": "sometimes"}, "availability"),
        ({"specialties": ["x" * 21]}, "specialties"),
    ],
)
def test_expert_add_refuses_bad_input_and_saves_nothing(p, over, field):
    with pytest.raises(ValidationFailed) as exc:
        services.expert_add(actor=p.users["congress_clerk"], data=expert_data(**over))
    assert field in exc.value.field_errors
    assert not Expert.objects.exists() and not Person.objects.filter(name="周律师").exists()


@pytest.mark.parametrize("who", ["stationed", "cdi_officer", "unit_a", "court_clerk", "expert"])
def test_only_the_congress_side_manages_the_pool(p, who):
    with pytest.raises(AccessDenied):
        services.expert_add(actor=p.users[who], data=expert_data())


def test_expert_update_and_a_stale_version(p):
    expert = h.make_expert(name="钱律师")
    services.expert_update(
        actor=p.users["congress_clerk"],
        expert_id=expert.pk,
        version=1,
        data=expert_data(availability="unavailable"),
    )
    event = only_event("judicial.expert.updated")
    assert event.after_data["availability"] == "unavailable"
    with pytest.raises(ConcurrentEdit):
        services.expert_update(
            actor=p.users["congress_clerk"], expert_id=expert.pk, version=1, data=expert_data()
        )


def test_suspend_and_reinstate(p):
    expert = h.make_expert(name="孙律师")
    expert = services.expert_suspend(
        actor=p.users["congress_clerk"], expert_id=expert.pk, version=1, reason="长期出国"
    )
    assert expert.status == ExpertStatus.SUSPENDED
    assert not ExpertProfile.objects.get(pk=expert.profile_id).is_active
    assert only_event("judicial.expert.suspended").after_data["reason"] == "长期出国"
    with pytest.raises(TransitionNotAllowed):
        services.expert_suspend(
            actor=p.users["congress_clerk"], expert_id=expert.pk, version=2, reason="x"
        )
    expert = services.expert_reinstate(
        actor=p.users["congress_clerk"], expert_id=expert.pk, version=2
    )
    assert expert.status == ExpertStatus.ACTIVE


def test_a_suspended_expert_is_excluded_from_the_draw(p):
    pool = h.small_pool(p)
    services.expert_suspend(
        actor=p.users["congress_clerk"], expert_id=pool[1].pk, version=1, reason="暂停"
    )
    batch = h.make_batch(p)
    with pytest.raises(ValidationFailed) as exc:
        services.draw_freeze(actor=p.users["congress_clerk"], batch_id=batch.pk, version=1)
    assert "已暂停1人" in exc.value.message


def test_conflicts(p):
    expert = h.make_expert(name="吴教授", category=ExpertCategory.PROFESSOR)
    c = services.conflict_declare(
        actor=p.users["congress_clerk"],
        expert_id=expert.pk,
        data={"kind": "relative", "counterpart": "黄石某某机械有限公司"},
    )
    assert only_event("judicial.expert.conflict_declared").after_data["kind"] == "relative"
    with pytest.raises(ValidationFailed) as exc:
        services.conflict_declare(
            actor=p.users["congress_clerk"], expert_id=expert.pk, data={"kind": "recusal"}
        )
    assert "case" in exc.value.field_errors
    with pytest.raises(ValidationFailed):
        services.conflict_declare(
            actor=p.users["congress_clerk"], expert_id=expert.pk, data={"kind": "relative"}
        )
    services.conflict_withdraw(actor=p.users["congress_clerk"], conflict_id=c.pk)
    with pytest.raises(TransitionNotAllowed):
        services.conflict_withdraw(actor=p.users["congress_clerk"], conflict_id=c.pk)


def test_a_declared_relation_and_a_recusal_exclude_the_expert(p):
    pool = h.small_pool(p)
    batch = h.make_batch(p)
    case = batch.cases.get()
    services.conflict_declare(
        actor=p.users["congress_clerk"],
        expert_id=pool[1].pk,
        data={"kind": "recusal", "case_id": case.pk},
    )
    with pytest.raises(ValidationFailed) as exc:
        services.draw_freeze(actor=p.users["congress_clerk"], batch_id=batch.pk, version=1)
    assert "申报回避1人" in exc.value.message


def test_rating_after_the_review(p):
    batch = h.reviewing_batch(p)
    seat = h.expert_seat(p, batch)
    services.expert_rate(
        actor=p.users["congress_clerk"], expert_id=seat.expert_id, batch_id=batch.pk, score=5
    )
    expert = Expert.objects.get(pk=seat.expert_id)
    assert (expert.rating_count, expert.rating) == (1, 5.0)
    assert only_event("judicial.expert.rated").after_data["score"] == 5
    with pytest.raises(TransitionNotAllowed):
        services.expert_rate(
            actor=p.users["congress_clerk"], expert_id=seat.expert_id, batch_id=batch.pk, score=4
        )
    with pytest.raises(ValidationFailed):
        services.expert_rate(
            actor=p.users["congress_clerk"], expert_id=seat.expert_id, batch_id=batch.pk, score=9
        )
    outsider = h.make_expert(name="未参加")
    with pytest.raises(ValidationFailed):
        services.expert_rate(
            actor=p.users["congress_clerk"], expert_id=outsider.pk, batch_id=batch.pk, score=3
        )


def test_pool_versions_are_reused_for_an_identical_pool_and_added_for_a_changed_one(p):
    h.small_pool(p)
    v1 = services.pool_version_create(actor=p.users["congress_clerk"], year=2023)
    v1b = services.pool_version_create(actor=p.users["congress_clerk"], year=2023)
    assert v1.pk == v1b.pk and v1.number == 1 and v1.expert_count == 3
    assert AuditEvent.objects.filter(action="judicial.pool.versioned").count() == 1
    h.make_expert(name="新专家", category=ExpertCategory.OTHER, employer="某单位")
    v2 = services.pool_version_create(actor=p.users["congress_clerk"], year=2023)
    assert v2.number == 2 and v2.hash != v1.hash
    assert PoolVersion.objects.get(pk=v1.pk).snapshot == v1.snapshot


# --- Imports ------------------------------------------------------------------------------


def workbook(sheet: str, header: list[str], rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


EXPERT_HEADER = ["姓名", "专家类别", "专业领域", "工作单位", "律师事务所"]


def test_expert_import_all_rows(p):
    data = workbook(
        "专家",
        EXPERT_HEADER,
        [
            ["甲律师", "律师", "民事、商事", "湖北众邦律师事务所", "湖北众邦律师事务所"],
            ["乙教授", "高校教授", "行政", "湖北师范大学", None],
            ["丙代表", "人大代表", "执行", "黄石某公司", None],
        ],
    )
    result = services.experts_import(actor=p.users["congress_clerk"], file=data, filename="x.xlsx")
    assert result.ok, result.errors
    assert Expert.objects.count() == 3
    assert only_event("judicial.experts.imported").after_data["experts_added"] == 3
    assert Expert.objects.get(profile__person__name="甲律师").profile.specialties == [
        "民事",
        "商事",
    ]


def test_expert_import_is_all_or_nothing_with_errors_by_row(p):
    data = workbook(
        "专家",
        EXPERT_HEADER,
        [
            ["甲律师", "律师", "民事", "湖北众邦律师事务所", "湖北众邦律师事务所"],
            ["乙律师", "律师", "民事", "某所", None],
            ["丙", "法官", None, None, None],
            ["甲律师", "律师", "民事", "湖北众邦律师事务所", "湖北众邦律师事务所"],
        ],
    )
    result = services.experts_import(actor=p.users["congress_clerk"], file=data)
    assert not result.ok
    where = {(e.row, e.column) for e in result.errors}
    assert (3, "律师事务所") in where
    assert (4, "专家类别") in where
    assert (5, "姓名") in where
    assert not Expert.objects.exists()
    assert not AuditEvent.objects.filter(action="judicial.experts.imported").exists()


def test_import_refuses_a_file_that_is_not_a_workbook(p):
    with pytest.raises(ValidationFailed) as exc:
        services.experts_import(actor=p.users["congress_clerk"], file=b"not a workbook")
    assert "xlsx" in exc.value.message


CASE_HEADER = ["案号", "承办单位代码", "评查类别", "案由", "当事人", "承办人员", "代理律师"]


def test_case_import_all_or_nothing(p):
    good = [
        "(2023)鄂02民初5号",
        "FY",
        "涉企审判案件",
        "买卖合同纠纷",
        "某公司（被告，企业）、张三（原告）",
        "赵法官",
        "李四（某律所，代理张三）",
    ]
    bad = ["2023鄂02民初6号", "FY", "执行案件", None, "某公司", "钱法官", None]
    unknown = ["(2023)鄂02执7号", "NOPE", "执行案件", None, "某公司", "钱法官", None]
    result = services.cases_import(
        actor=p.users["stationed"], file=workbook("案件", CASE_HEADER, [good, bad, unknown])
    )
    assert not result.ok
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert "年份" in messages[(3, "案号")]
    assert (4, "承办单位代码") in messages
    assert not Case.objects.exists()
    result = services.cases_import(
        actor=p.users["stationed"], file=workbook("案件", CASE_HEADER, [good])
    )
    assert result.ok
    case = Case.objects.get()
    assert case.number == "（2023）鄂02民初5号" and case.involves_enterprise
    assert case.filed_by_org == p.orgs["stationed_group"]


# --- Cases --------------------------------------------------------------------------------


def test_file_a_case(p):
    case = services.case_file(actor=p.users["congress_clerk"], data=case_data(p))
    assert case.number == "（2023）鄂02民初123号"
    assert (case.year, case.court_code, case.case_type_code, case.serial) == (
        2023,
        "鄂02",
        "民初",
        123,
    )
    assert case.involves_enterprise
    assert case.parties[0] == {
        "name": "黄石某某机械有限公司",
        "role": PartyRole.DEFENDANT,
        "enterprise": True,
    }
    assert case.lawyers == [{"name": "李四", "firm": "湖北磁湖律师事务所", "party": "张三"}]
    assert only_event("judicial.case.filed").after_data["number"] == case.number


@pytest.mark.parametrize(
    ("over", "field", "words"),
    [
        ({"number": "2023鄂02民初123号"}, "number", "年份"),
        ({"number": ""}, "number", "请填写案号"),
        ({"kind": "other"}, "kind", "评查类别"),
        ({"parties": "张三（原告）"}, "parties", "企业当事人"),
        ({"parties": "张三（证人）"}, "parties", "不是当事人身份"),
        ({"judges": ""}, "judges", "法官"),
        ({"lawyers": "李四"}, "lawyers", "律师事务所"),
        ({"lawyers": "李四（某所，代理王五）"}, "lawyers", "不在当事人中"),
        ({"court_id": None}, "court", "法院或检察院"),
    ],
)
def test_filing_refuses_bad_input_with_a_message_on_its_field(p, over, field, words):
    data = case_data(p, **over)
    with pytest.raises(ValidationFailed) as exc:
        services.case_file(actor=p.users["congress_clerk"], data=data)
    assert words in " ".join(exc.value.field_errors[field])
    assert not Case.objects.exists()


def test_a_malformed_case_number_gets_the_parsers_message(p):
    from wulian.judicial import caseno

    with pytest.raises(caseno.CaseNumberError) as parser:
        caseno.parse("2023鄂02民初123号")
    with pytest.raises(ValidationFailed) as exc:
        services.case_file(
            actor=p.users["congress_clerk"], data=case_data(p, number="2023鄂02民初123号")
        )
    assert exc.value.field_errors["number"] == [str(parser.value)]


def test_a_case_number_is_filed_once(p):
    services.case_file(actor=p.users["congress_clerk"], data=case_data(p))
    with pytest.raises(ValidationFailed) as exc:
        services.case_file(
            actor=p.users["congress_clerk"], data=case_data(p, number="（2023）鄂02民初123号")
        )
    assert "已经备案" in exc.value.field_errors["number"][0]


def test_a_court_number_cannot_be_filed_at_a_procuratorate(p):
    from tests.factories import OrganisationFactory
    from wulian.core.choices import OrgKind

    jcy = OrganisationFactory(kind=OrgKind.PROCURATORATE, code="JCY", name="市检察院")
    with pytest.raises(ValidationFailed) as exc:
        services.case_file(actor=p.users["congress_clerk"], data=case_data(p, court_id=jcy.pk))
    assert "court" in exc.value.field_errors


@pytest.mark.parametrize("who", ["cdi_officer", "unit_a", "court_clerk", "expert", "deputy"])
def test_only_the_congress_side_and_the_group_file_cases(p, who):
    with pytest.raises(AccessDenied):
        services.case_file(actor=p.users[who], data=case_data(p))


def test_a_case_is_not_edited_once_its_batchs_draw_is_frozen(p):
    d = h.frozen_draw(p)
    case = d.batch.cases.get()
    assert d.batch.state == BatchState.DRAWING
    with pytest.raises((TransitionNotAllowed, AccessDenied)):
        services.case_update(
            actor=p.users["congress_clerk"],
            case_id=case.pk,
            version=case.version,
            data=case_data(p, number=case.number, cause="改过的案由"),
        )
    assert Case.objects.get(pk=case.pk).cause == "买卖合同纠纷"
