"""Findings and rectification services: each step's success (state, exactly one audit event of
its code with before/after, the deadlines, the notifications) and its refusals (no access,
wrong state by the transition table, bad input, stale version)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.attachments.files import PDF
from tests.rectification.helpers import make_finding, make_rectification, raise_data
from wulian.core import records
from wulian.core.attachments.models import Attachment
from wulian.core.deadlines.models import Deadline
from wulian.core.errors import (
    AccessDenied,
    ConcurrentEdit,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.models import AuditEvent
from wulian.core.notifications.models import OutboxMessage
from wulian.core.rectification import services
from wulian.core.rectification.choices import (
    DEADLINE_COMMITMENT,
    DEADLINE_RECTIFICATION,
    TRANSITIONS,
    RectificationState,
    Step,
)
from wulian.core.rectification.models import Finding, ProgressReport, Rectification

S = RectificationState


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def only_event(code: str) -> AuditEvent:
    events = list(AuditEvent.objects.filter(action=code))
    assert len(events) == 1, [e.action for e in events]
    return events[0]


def recipients(kind: str) -> set[str]:
    return set(
        OutboxMessage.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def deadlines(rect: Rectification) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for kind, state in (
        Deadline.objects.filter(**records.reference(rect))
        .order_by("id")
        .values_list("kind", "state")
    ):
        out.setdefault(kind, []).append(state)
    return out


def pdf(name: str = "整改台账.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# --- Raising a finding ---------------------------------------------------------------------


def test_raise_creates_one_rectification_per_unit_with_its_deadlines(personas):
    p = personas
    record = p.orgs["unit_a"]
    finding = services.finding_raise(actor=p.congress_clerk, record=record, data=raise_data(p))
    assert finding.record == record
    assert finding.found_by == p.congress_clerk.person
    rects = list(finding.rectifications.order_by("id"))
    assert [r.responsible_org for r in rects] == [p.orgs["unit_a"], p.orgs["unit_b"]]
    assert {r.state for r in rects} == {S.AWAITING_COMMITMENT}
    assert {(r.raising_org_id, r.year) for r in rects} == {(p.orgs["congress_body"].pk, 2026)}
    for rect in rects:
        assert deadlines(rect) == {DEADLINE_COMMITMENT: ["open"], DEADLINE_RECTIFICATION: ["open"]}
        rule = Deadline.objects.get(**records.reference(rect), kind=DEADLINE_RECTIFICATION)
        assert (rule.rule_kind, rule.rule_amount) == ("months", 3)
    ev = only_event("rectification.finding.raised")
    assert ev.target_type == "rectification.finding" and ev.target_id == str(finding.pk)
    assert ev.after_data["record"] == f"core.organisation#{record.pk}"
    assert [r["id"] for r in ev.after_data["rectifications"]] == [r.pk for r in rects]
    assert recipients("rectification.finding.raised") == {"unit_a", "unit_b"}


@pytest.mark.parametrize(
    "who", ["unit_a", "cdi_clue", "deputy", "expert", "court_clerk", "sysadmin"]
)
def test_only_supervising_staff_raise_findings(personas, who):
    p = personas
    with pytest.raises(AccessDenied):
        services.finding_raise(actor=p.users[who], record=p.orgs["unit_a"], data=raise_data(p))
    assert not Finding.objects.exists()


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"title": " "}, "title"),
        ({"description": ""}, "description"),
        ({"found_at": date(2026, 12, 1)}, "found_at"),
        ({"responsible_org_ids": []}, "responsible_orgs"),
        ({"responsible_org_ids": [999_999]}, "responsible_orgs"),
        ({"severity": "catastrophic"}, "severity"),
        ({"rectification_months": 0}, "rectification_months"),
        ({"found_by_org_id": None}, "found_by_org"),
    ],
)
def test_raise_refuses_bad_input_on_its_field(personas, over, field):
    p = personas
    with pytest.raises(ValidationFailed) as exc:
        services.finding_raise(
            actor=p.congress_clerk, record=p.orgs["unit_a"], data=raise_data(p, **over)
        )
    assert field in exc.value.field_errors
    assert not Finding.objects.exists() and not Deadline.objects.exists()


def test_raise_refuses_a_raising_org_the_actor_does_not_work_in(personas):
    p = personas
    with pytest.raises(ValidationFailed) as exc:
        services.finding_raise(
            actor=p.congress_clerk,
            record=p.orgs["unit_a"],
            data=raise_data(p, found_by_org_id=p.orgs["cdi"].pk),
        )
    assert "found_by_org" in exc.value.field_errors


def test_a_finding_is_never_less_sensitive_than_its_record(personas):
    from tests.activities.helpers import make_activity

    p = personas
    activity = make_activity(p, sensitivity="sensitive")
    with pytest.raises(ValidationFailed) as exc:
        services.finding_raise(actor=p.congress_clerk, record=activity, data=raise_data(p))
    assert "sensitivity" in exc.value.field_errors
    finding = services.finding_raise(
        actor=p.congress_clerk, record=activity, data=raise_data(p, sensitivity="confidential")
    )
    assert finding.sensitivity == "confidential"


def test_finding_update_and_its_refusals(personas):
    p = personas
    finding = make_finding(p)
    services.finding_update(
        actor=p.congress_clerk, finding_id=finding.pk, version=1, data={"title": "补贴发放延迟"}
    )
    finding.refresh_from_db()
    assert finding.title == "补贴发放延迟" and finding.version == 2
    ev = only_event("rectification.finding.updated")
    assert ev.before_data == {"title": "养老服务补贴发放不及时"}
    assert ev.after_data == {"title": "补贴发放延迟"}
    with pytest.raises(ConcurrentEdit):
        services.finding_update(actor=p.congress_clerk, finding_id=finding.pk, version=1, data={})
    with pytest.raises(AccessDenied):
        services.finding_update(actor=p.unit_a, finding_id=finding.pk, version=2, data={})


# --- The responsible unit ------------------------------------------------------------------


def _raised(p) -> Rectification:
    finding = services.finding_raise(
        actor=p.congress_clerk,
        record=p.orgs["unit_a"],
        data=raise_data(p, responsible_org_ids=[p.orgs["unit_a"].pk]),
    )
    return finding.rectifications.get()


def test_commit_starts_the_rectification_and_meets_the_commitment_deadline(personas):
    p = personas
    rect = _raised(p)
    services.rectification_commit(
        actor=p.unit_a,
        rectification_id=rect.pk,
        version=1,
        commitment="逐户核对并补发，建立月度台账。",
        planned_completion=date(2026, 8, 31),
    )
    rect.refresh_from_db()
    assert rect.state == S.IN_PROGRESS and rect.committed_by == p.unit_a and rect.version == 2
    ev = only_event("rectification.rectification.committed")
    assert ev.before_data["state"] == S.AWAITING_COMMITMENT
    assert ev.after_data["state"] == S.IN_PROGRESS
    assert ev.after_data["planned_completion"] == "2026-08-31"
    assert deadlines(rect) == {DEADLINE_COMMITMENT: ["met"], DEADLINE_RECTIFICATION: ["open"]}
    assert recipients("rectification.rectification.committed") == {"congress_clerk"}


def test_commit_refusals(personas):
    p = personas
    rect = _raised(p)
    args = {
        "rectification_id": rect.pk,
        "commitment": "措施",
        "planned_completion": date(2026, 8, 1),
    }
    for who in ("congress_clerk", "unit_b", "stationed"):
        with pytest.raises(AccessDenied):
            services.rectification_commit(actor=p.users[who], version=1, **args)
    with pytest.raises(ConcurrentEdit):
        services.rectification_commit(actor=p.unit_a, version=7, **args)
    for over, field in (
        ({"commitment": "  "}, "commitment"),
        ({"planned_completion": None}, "planned_completion"),
        ({"planned_completion": date(2026, 6, 1)}, "planned_completion"),  # in the past
        ({"planned_completion": date(2027, 1, 31)}, "planned_completion"),  # after the deadline
    ):
        with pytest.raises(ValidationFailed) as exc:
            services.rectification_commit(actor=p.unit_a, version=1, **{**args, **over})
        assert field in exc.value.field_errors
    assert Rectification.objects.get(pk=rect.pk).state == S.AWAITING_COMMITMENT
    assert not AuditEvent.objects.filter(action="rectification.rectification.committed").exists()


def test_progress_report_with_evidence(personas):
    p = personas
    rect = make_rectification(p, state=S.IN_PROGRESS)
    report = services.rectification_report_progress(
        actor=p.unit_a,
        rectification_id=rect.pk,
        version=1,
        text="已完成两个街道的补发。",
        files=[pdf(), pdf("补发名单.pdf")],
    )
    rect.refresh_from_db()
    assert rect.state == S.IN_PROGRESS and rect.version == 2 and rect.last_report_at
    files = Attachment.objects.filter(**records.reference(report))
    assert sorted(files.values_list("original_name", flat=True)) == ["整改台账.pdf", "补发名单.pdf"]
    ev = only_event("rectification.rectification.progress_reported")
    assert ev.after_data["report"] == report.pk
    assert sorted(ev.after_data["attachments"]) == sorted(files.values_list("pk", flat=True))
    assert recipients("rectification.rectification.progress_reported") == {"congress_clerk"}


def test_a_refused_file_refuses_the_whole_report(personas, settings, tmp_path):
    p = personas
    rect = make_rectification(p, state=S.IN_PROGRESS)
    bad = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationFailed):
        services.rectification_report_progress(
            actor=p.unit_a, rectification_id=rect.pk, version=1, text="进展", files=[pdf(), bad]
        )
    assert not ProgressReport.objects.exists() and not Attachment.objects.exists()
    assert Rectification.objects.get(pk=rect.pk).version == 1
    media = tmp_path / "media"
    assert not media.exists() or not [f for f in media.rglob("*") if f.is_file()]


def test_submit_meets_the_rectification_deadline(personas):
    p = personas
    rect = _raised(p)
    services.rectification_commit(
        actor=p.unit_a,
        rectification_id=rect.pk,
        version=1,
        commitment="措施",
        planned_completion=date(2026, 8, 1),
    )
    services.rectification_submit(
        actor=p.unit_a, rectification_id=rect.pk, version=2, summary="全部补发到位。", files=[pdf()]
    )
    rect.refresh_from_db()
    assert rect.state == S.SUBMITTED and rect.submitted_at
    final = ProgressReport.objects.get(rectification=rect)
    assert final.is_final and Attachment.objects.filter(**records.reference(final)).count() == 1
    ev = only_event("rectification.rectification.submitted")
    assert (ev.before_data, ev.after_data["state"]) == ({"state": S.IN_PROGRESS}, S.SUBMITTED)
    assert deadlines(rect) == {DEADLINE_COMMITMENT: ["met"], DEADLINE_RECTIFICATION: ["met"]}
    assert recipients("rectification.rectification.submitted") == {"congress_clerk"}


# --- The raising organisation --------------------------------------------------------------


def test_close_is_the_raising_organisations(personas):
    p = personas
    rect = make_rectification(p, state=S.SUBMITTED)
    for who in ("unit_a", "cdi_officer", "stationed"):
        with pytest.raises(AccessDenied):
            services.rectification_close(actor=p.users[who], rectification_id=rect.pk, version=1)
    services.rectification_close(
        actor=p.congress_clerk, rectification_id=rect.pk, version=1, note="经现场核查，整改到位。"
    )
    rect.refresh_from_db()
    assert rect.state == S.CLOSED and rect.closed_by == p.congress_clerk
    ev = only_event("rectification.rectification.verified_closed")
    assert (ev.before_data, ev.after_data["state"]) == ({"state": S.SUBMITTED}, S.CLOSED)
    assert recipients("rectification.rectification.verified_closed") == {"unit_a"}
    with pytest.raises(ConcurrentEdit):
        services.rectification_close(actor=p.congress_clerk, rectification_id=rect.pk, version=1)


def test_reopen_sends_it_back_with_a_new_deadline_and_the_unit_commits_again(personas):
    p = personas
    rect = _raised(p)
    services.rectification_commit(
        actor=p.unit_a,
        rectification_id=rect.pk,
        version=1,
        commitment="措施",
        planned_completion=date(2026, 8, 1),
    )
    services.rectification_submit(
        actor=p.unit_a, rectification_id=rect.pk, version=2, summary="完成"
    )
    with pytest.raises(ValidationFailed):
        services.rectification_reopen(
            actor=p.congress_clerk, rectification_id=rect.pk, version=3, reason=""
        )
    services.rectification_reopen(
        actor=p.congress_clerk, rectification_id=rect.pk, version=3, reason="台账不完整", months=2
    )
    rect.refresh_from_db()
    assert rect.state == S.REOPENED and rect.reopen_count == 1
    assert deadlines(rect)[DEADLINE_RECTIFICATION] == ["met", "open"]
    ev = only_event("rectification.rectification.reopened")
    assert ev.before_data == {"state": S.SUBMITTED, "reopen_count": 0}
    assert ev.after_data["months"] == 2
    assert recipients("rectification.rectification.reopened") == {"unit_a"}
    services.rectification_commit(
        actor=p.unit_a,
        rectification_id=rect.pk,
        version=4,
        commitment="补充完善台账",
        planned_completion=timezone.localdate() + timedelta(days=30),
    )
    assert Rectification.objects.get(pk=rect.pk).state == S.IN_PROGRESS


STEPS = {
    Step.COMMIT: lambda p, r: services.rectification_commit(
        actor=p.unit_a,
        rectification_id=r.pk,
        version=1,
        commitment="x",
        planned_completion=date(2026, 7, 1),
    ),
    Step.REPORT: lambda p, r: services.rectification_report_progress(
        actor=p.unit_a, rectification_id=r.pk, version=1, text="x"
    ),
    Step.SUBMIT: lambda p, r: services.rectification_submit(
        actor=p.unit_a, rectification_id=r.pk, version=1, summary="x"
    ),
    Step.CLOSE: lambda p, r: services.rectification_close(
        actor=p.congress_clerk, rectification_id=r.pk, version=1
    ),
    Step.REOPEN: lambda p, r: services.rectification_reopen(
        actor=p.congress_clerk, rectification_id=r.pk, version=1, reason="x"
    ),
}
NOT_ALLOWED = [
    (state, step) for state in S.values for step in Step.values if (state, step) not in TRANSITIONS
]


@pytest.mark.parametrize(("state", "step"), NOT_ALLOWED)
def test_every_step_outside_the_transition_table_is_refused(personas, state, step):
    rect = make_rectification(personas, state=state)
    with pytest.raises(TransitionNotAllowed) as exc:
        STEPS[step](personas, rect)
    assert Rectification(state=state).get_state_display() in exc.value.message
    assert Rectification.objects.get(pk=rect.pk).state == state
    assert not AuditEvent.objects.filter(action__startswith="rectification.").exists()


def test_a_deadline_in_a_year_the_calendar_lacks_is_provisional_not_refused(personas):
    """The commitment deadline counts working days: with the year missing from the calendar
    it is counted provisionally (暂定) and the raise goes through (ADR 0016)."""
    from django.utils import timezone

    from wulian.core.deadlines import workcalendar
    from wulian.core.deadlines.models import CalendarDay, CalendarYear

    year = timezone.localdate().year
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarYear.objects.filter(year=year).delete()
    workcalendar.invalidate()
    p = personas
    finding = services.finding_raise(
        actor=p.congress_clerk, record=p.orgs["unit_a"], data=raise_data(p)
    )
    rects = Rectification.objects.filter(finding=finding)
    assert rects.exists()
    counted = Deadline.objects.filter(object_id__in=rects.values("pk"), rule_kind="working_days")
    assert counted.exists() and all(d.provisional for d in counted)
