"""Builders for the judicial tests and the route and policy matrices: experts, cases and
batches built directly; draws, reviews and suggestions taken through the services (the states
they produce — manifests, sealed results — are only valid when the engine made them).

The smallest realistic batch: one case at the court, three reviewers per case (at least one
lawyer and one professor), and a pool of exactly three experts — the `expert` persona (a
lawyer), a professor and a deputy — so that the draw must seat all three and the `expert`
persona is always a reviewer.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from tests.clues.helpers import use_test_keyring
from tests.factories import PersonFactory
from tests.personas import Personas
from wulian.core.choices import ExpertCategory
from wulian.core.models import ExpertProfile, Person
from wulian.judicial import caseno, services
from wulian.judicial.choices import DEFAULT_RUBRIC, CaseKind, InvitationState, PartyRole
from wulian.judicial.models import (
    Case,
    CourtSuggestion,
    Draw,
    Expert,
    Invitation,
    PanelSeat,
    Petition,
    Problem,
    ReviewBatch,
)

DIGITS_WITNESS = "314159265358"
DIGITS_SECOND = "271828182845"


def make_expert(
    *,
    name: str = "",
    category: str = ExpertCategory.LAWYER,
    firm: str = "",
    employer: str = "",
    person: Person | None = None,
) -> Expert:
    person = person or PersonFactory(name=name or "专家")
    if category == ExpertCategory.LAWYER:
        firm = firm or f"湖北{person.name}律师事务所"
        employer = employer or firm
    profile, _created = ExpertProfile.objects.update_or_create(
        person=person,
        defaults={
            "category": category,
            "specialties": ["民事"],
            "employer": employer or "湖北师范大学",
            "law_firm": firm,
        },
    )
    # One pool entry per person (the route rows and the crawl test build several worlds on
    # the `expert` persona).
    expert, _created = Expert.objects.get_or_create(
        profile=profile, defaults={"joined_on": date(2023, 3, 1)}
    )
    return expert


def small_pool(p: Personas) -> list[Expert]:
    """The `expert` persona (lawyer), a professor and a deputy."""
    return [
        make_expert(person=p.users["expert"].person, category=ExpertCategory.LAWYER),
        make_expert(name="李教授", category=ExpertCategory.PROFESSOR, employer="湖北师范大学"),
        make_expert(name="王代表", category=ExpertCategory.DEPUTY, employer="黄石某某公司"),
    ]


def make_case(
    p: Personas,
    number: str = "",
    *,
    court: str = "court",
    kind: str = CaseKind.ENTERPRISE_TRIAL,
    parties: list[dict[str, Any]] | None = None,
    judges: list[str] | None = None,
    lawyers: list[dict[str, str]] | None = None,
    batch: ReviewBatch | None = None,
) -> Case:
    parsed = caseno.parse(number or _free_number())
    parties = parties or [
        {"name": "黄石某某机械有限公司", "role": PartyRole.DEFENDANT, "enterprise": True},
        {"name": "张三", "role": PartyRole.PLAINTIFF, "enterprise": False},
    ]
    return Case.objects.create(
        number=parsed.canonical,
        year=parsed.year,
        court_code=parsed.court_code,
        case_type=parsed.case_type,
        case_type_code=parsed.case_type_code,
        serial=parsed.serial,
        court=p.orgs[court],
        kind=kind,
        cause="买卖合同纠纷",
        parties=parties,
        involves_enterprise=any(x["enterprise"] for x in parties),
        judges=judges or ["赵法官"],
        lawyers=lawyers or [],
        filed_by_org=p.orgs["congress_body"],
        filed_by=p.users["congress_clerk"],
        batch=batch,
    )


def make_batch(p: Personas, *, cases: int = 1, **fields: Any) -> ReviewBatch:
    batch = ReviewBatch.objects.create(
        title=fields.pop("title", "2023年涉企案件质量评查"),
        year=fields.pop("year", 2023),
        organiser_org=p.orgs["congress_body"],
        witness_org=p.orgs["stationed_group"],
        reviewers_per_case=fields.pop("reviewers_per_case", 3),
        minimums=fields.pop("minimums", {"lawyer": 1, "professor": 1}),
        reserves_per_category=fields.pop("reserves_per_category", 2),
        rubric=fields.pop("rubric", [dict(c) for c in DEFAULT_RUBRIC]),
        created_by=p.users["congress_clerk"],
        **fields,
    )
    for _i in range(cases):
        make_case(p, _free_number(), batch=batch)
    return batch


def _free_number() -> str:
    """（2023）鄂02民初123号, or the next serial not yet taken (several worlds in one database:
    the route rows, the crawl test)."""
    taken = set(Case.objects.filter(year=2023).values_list("number", flat=True))
    serial = 123
    while f"（2023）鄂02民初{serial}号" in taken:
        serial += 1
    return f"（2023）鄂02民初{serial}号"


def frozen_draw(p: Personas, *, batch: ReviewBatch | None = None) -> Draw:
    use_test_keyring()
    if batch is None:
        small_pool(p)
        batch = make_batch(p)
    return services.draw_freeze(
        actor=p.users["congress_clerk"], batch_id=batch.pk, version=batch.version
    )


def committed_draw(p: Personas, **kw: Any) -> Draw:
    d = frozen_draw(p, **kw)
    return services.draw_commit(actor=p.users["congress_clerk"], draw_id=d.pk, version=d.version)


def witnessed_draw(p: Personas, **kw: Any) -> Draw:
    d = committed_draw(p, **kw)
    services.draw_enter_input(actor=p.users["stationed"], draw_id=d.pk, value=DIGITS_WITNESS)
    services.draw_enter_input(actor=p.users["congress_clerk"], draw_id=d.pk, value=DIGITS_SECOND)
    return Draw.objects.get(pk=d.pk)


def sealed_draw(p: Personas, **kw: Any) -> Draw:
    d = witnessed_draw(p, **kw)
    return services.draw_run(actor=p.users["congress_clerk"], draw_id=d.pk, version=d.version)


def abort_requested(p: Personas, d: Draw | None = None, reason: str = "专家无法联系") -> Draw:
    """The organiser asks to abort the draw (a sealed draw unless one is given)."""
    d = d or sealed_draw(p)
    return services.draw_abort_request(
        actor=p.users["congress_clerk"], draw_id=d.pk, version=d.version, reason=reason
    )


def abort(p: Personas, d: Draw, reason: str = "专家无法联系") -> Draw:
    """Both signatures: the organiser asks, the stationed group's witness confirms."""
    d = abort_requested(p, d, reason)
    return services.draw_abort_confirm(actor=p.users["stationed"], draw_id=d.pk, version=d.version)


def accept_all(d: Draw) -> None:
    for inv in Invitation.objects.filter(draw=d, state=InvitationState.INVITED).select_related(
        "expert__profile__person__user"
    ):
        user = inv.expert.profile.person.user
        if user is None:
            Invitation.objects.filter(pk=inv.pk).update(state=InvitationState.ACCEPTED)
        else:
            services.invitation_accept(actor=user, invitation_id=inv.pk, version=inv.version)


def reviewing_batch(p: Personas, **kw: Any) -> ReviewBatch:
    d = sealed_draw(p, **kw)
    accept_all(d)
    batch = ReviewBatch.objects.get(pk=d.batch_id)
    return services.batch_open_review(
        actor=p.users["congress_clerk"], batch_id=batch.pk, version=batch.version
    )


def expert_seat(p: Personas, batch: ReviewBatch) -> PanelSeat:
    return PanelSeat.objects.get(
        case__batch=batch, expert__profile__person=p.users["expert"].person
    )


def score_all(batch: ReviewBatch, totals: tuple[int, ...] = (35, 25, 12, 12)) -> None:
    """Every seat scored directly (the scoring service is tested on its own)."""
    from wulian.judicial.models import Score

    codes = [c["code"] for c in batch.rubric]
    for seat in PanelSeat.objects.filter(case__batch=batch):
        values = dict(zip(codes, totals, strict=True))
        Score.objects.create(
            seat=seat, values=values, total=sum(values.values()), submitted_at=timezone.now()
        )


def graded_case(p: Personas, batch: ReviewBatch) -> Case:
    score_all(batch)
    case = batch.cases.first()
    return services.case_grade(
        actor=p.users["congress_clerk"],
        case_id=case.pk,
        version=case.version,
        grade="flawed",
        summary="程序基本合法，文书说理不充分。",
    )


def make_problem(case: Case, p: Personas, *, misconduct: bool = False) -> Problem:
    return Problem.objects.create(
        case=case,
        criterion="procedure",
        description="执行款项未及时发放给申请执行人。",
        is_misconduct=misconduct,
        created_by=p.users["congress_clerk"],
    )


def make_suggestion(p: Personas, batch: ReviewBatch, **fields: Any) -> CourtSuggestion:
    return CourtSuggestion.objects.create(
        batch=batch,
        addressee=p.orgs["court"],
        title=fields.pop("title", "关于规范执行案款管理的建议"),
        content="建议建立执行案款专人专管制度。",
        created_by=p.users["congress_clerk"],
        **fields,
    )


def make_petition(p: Personas, **fields: Any) -> Petition:
    use_test_keyring()
    return Petition.objects.create(
        registering_org=p.orgs["congress_body"],
        received_on=date(2023, 5, 8),
        petitioner="刘某",
        petitioner_phone="13800000000",
        summary="反映执行案件长期未执行到位。",
        registered_by=p.users["congress_clerk"],
        **fields,
    )
