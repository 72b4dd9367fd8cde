"""The bulletin services: each success and each refusal (no access, wrong state, bad input),
nothing half-saved; the receipt deadline's reminder and escalation with the clock set."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.bulletins.helpers import make_bulletin
from wulian.core.access import actor_for
from wulian.core.bulletins import services
from wulian.core.bulletins.choices import DEADLINE_RECEIPT, BulletinSensitivity, BulletinState
from wulian.core.bulletins.models import Bulletin, BulletinRecipient
from wulian.core.deadlines import rules
from wulian.core.deadlines.choices import DeadlineState
from wulian.core.deadlines.models import Deadline
from wulian.core.errors import (
    AccessDenied,
    ConcurrentEdit,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.models import AuditEvent
from wulian.core.notifications.models import OutboxMessage

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def _data(p, **kw):
    return {
        "issuer_id": p.orgs["congress_body"].pk,
        "title": "关于代表建议办理情况的通报",
        "body": "本季度共交办代表建议52件。",
        "recipient_ids": [p.orgs["cdi"].pk, p.orgs["unit_a"].pk],
        **kw,
    }


def _actions(target: Bulletin) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            target_type="bulletins.bulletin", target_id=str(target.pk)
        ).values_list("action", flat=True)
    )


# --- Draft ------------------------------------------------------------------------------


def test_a_draft_is_saved_with_its_recipients_and_audited(personas):
    p = personas
    b = services.bulletin_create(actor=actor_for(p.congress_clerk), data=_data(p))
    assert b.state == BulletinState.DRAFT and b.number is None
    assert b.receipt_working_days == 3 and b.feedback_working_days == 10
    assert sorted(b.recipients.values_list("organisation_id", flat=True)) == sorted(
        [p.orgs["cdi"].pk, p.orgs["unit_a"].pk]
    )
    assert _actions(b) == ["bulletins.bulletin.drafted"]


def test_a_handling_unit_may_not_draft(personas):
    with pytest.raises(AccessDenied):
        services.bulletin_create(actor=actor_for(personas.unit_a), data=_data(personas))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": " "}, "title"),
        ({"body": ""}, "body"),
        ({"sensitivity": "secret"}, "sensitivity"),
        ({"receipt_working_days": 0}, "receipt_working_days"),
        ({"feedback_working_days": 99}, "feedback_working_days"),
    ],
)
def test_bad_input_is_refused_field_by_field(personas, change, field):
    with pytest.raises(ValidationFailed) as exc:
        services.bulletin_create(
            actor=actor_for(personas.congress_clerk), data=_data(personas, **change)
        )
    assert field in exc.value.field_errors
    assert not Bulletin.objects.exists()


def test_the_issuer_must_be_the_drafters_own_organisation(personas):
    p = personas
    with pytest.raises(ValidationFailed) as exc:
        services.bulletin_create(
            actor=actor_for(p.congress_clerk), data=_data(p, issuer_id=p.orgs["cdi"].pk)
        )
    assert "issuer" in exc.value.field_errors


def test_the_issuer_is_not_its_own_recipient(personas):
    p = personas
    with pytest.raises(ValidationFailed) as exc:
        services.bulletin_create(
            actor=actor_for(p.congress_clerk),
            data=_data(p, recipient_ids=[p.orgs["congress_body"].pk]),
        )
    assert "印发单位不能同时是接收单位" in exc.value.field_errors["recipients"][0]


def test_a_clue_grade_bulletin_goes_only_to_the_cdi(personas):
    p = personas
    with pytest.raises(ValidationFailed) as exc:
        services.bulletin_create(
            actor=actor_for(p.congress_clerk),
            data=_data(p, sensitivity=BulletinSensitivity.CLUE),
        )
    assert "纪委监委" in exc.value.field_errors["recipients"][0]
    ok = services.bulletin_create(
        actor=actor_for(p.congress_clerk),
        data=_data(p, sensitivity=BulletinSensitivity.CLUE, recipient_ids=[p.orgs["cdi"].pk]),
    )
    assert ok.sensitivity == BulletinSensitivity.CLUE


def test_a_draft_is_edited_with_a_version_check(personas):
    p = personas
    actor = actor_for(p.congress_clerk)
    b = make_bulletin(p, issued=False)
    changed = services.bulletin_update(
        actor=actor,
        bulletin_id=b.pk,
        version=b.version,
        data=_data(p, title="新标题", recipient_ids=[p.orgs["unit_b"].pk]),
    )
    assert changed.version == b.version + 1 and changed.title == "新标题"
    assert list(changed.recipients.values_list("organisation_id", flat=True)) == [
        p.orgs["unit_b"].pk
    ]
    with pytest.raises(ConcurrentEdit):
        services.bulletin_update(actor=actor, bulletin_id=b.pk, version=b.version, data=_data(p))
    assert Bulletin.objects.get(pk=b.pk).title == "新标题"
    assert "bulletins.bulletin.updated" in _actions(b)


def test_only_the_issuer_edits_and_only_a_draft(personas):
    p = personas
    b = make_bulletin(p, issued=False)
    with pytest.raises(AccessDenied):
        services.bulletin_update(
            actor=actor_for(p.cdi_officer), bulletin_id=b.pk, version=b.version, data=_data(p)
        )
    issued = make_bulletin(p)
    with pytest.raises(TransitionNotAllowed):
        services.bulletin_update(
            actor=actor_for(p.congress_clerk),
            bulletin_id=issued.pk,
            version=issued.version,
            data=_data(p),
        )


# --- Issue ------------------------------------------------------------------------------


def test_issuing_numbers_the_bulletin_and_opens_one_receipt_deadline_per_recipient(personas):
    p = personas
    first = make_bulletin(p)
    second = make_bulletin(p)
    assert (first.number, second.number) == (1, 2)
    assert first.number_label == "〔2026〕第1期"
    assert first.state == BulletinState.ISSUED and first.issued_at is not None
    for rec in first.recipients.all():
        deadline = Deadline.objects.get(object_id=rec.pk, kind=DEADLINE_RECEIPT)
        assert deadline.responsible_org_id == rec.organisation_id
        assert deadline.assigner_org_id == p.orgs["congress_body"].pk
        # 3 working days from Monday 15 June 2026: Thursday 18 June, end of day.
        assert deadline.due_at.astimezone(SH).date().isoformat() == "2026-06-18"
        assert rec.receipt_due_at == deadline.due_at
        # 10 working days: Monday 29 June (the Dragon Boat holiday 19 June is skipped).
        assert rec.feedback_due_at is not None
    told = set(
        OutboxMessage.objects.filter(kind="bulletins.bulletin.issued").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"cdi_officer", "cdi_clue", "unit_a"} <= told
    assert "unit_b" not in told
    assert "bulletins.bulletin.issued" in _actions(first)


def test_a_series_numbers_its_own_issues(personas):
    p = personas
    series = services.series_create(
        actor=actor_for(p.congress_clerk),
        issuer_id=p.orgs["congress_body"].pk,
        name="联合监督工作通报",
        cadence="quarterly",
    )
    make_bulletin(p)  # ad hoc: numbered apart
    b = make_bulletin(p, series_id=series.pk)
    assert b.series_id == series.pk and b.number == 1
    with pytest.raises(ValidationFailed):
        services.series_create(
            actor=actor_for(p.congress_clerk),
            issuer_id=p.orgs["congress_body"].pk,
            name="联合监督工作通报",
            cadence="monthly",
        )
    with pytest.raises(ValidationFailed) as exc:
        services.series_create(
            actor=actor_for(p.congress_clerk),
            issuer_id=p.orgs["congress_body"].pk,
            name="月报",
            cadence="weekly",
        )
    assert "cadence" in exc.value.field_errors


def test_issuing_without_recipients_is_refused_and_nothing_changes(personas):
    p = personas
    b = make_bulletin(p, issued=False, recipients=())
    with pytest.raises(ValidationFailed) as exc:
        services.bulletin_issue(
            actor=actor_for(p.congress_clerk), bulletin_id=b.pk, version=b.version
        )
    assert "接收单位" in exc.value.message
    b.refresh_from_db()
    assert b.state == BulletinState.DRAFT and b.number is None
    assert not Deadline.objects.exists()


def test_only_the_issuer_issues_and_only_once(personas):
    p = personas
    b = make_bulletin(p, issued=False)
    with pytest.raises(AccessDenied):
        services.bulletin_issue(actor=actor_for(p.cdi_officer), bulletin_id=b.pk, version=b.version)
    issued = services.bulletin_issue(
        actor=actor_for(p.congress_clerk), bulletin_id=b.pk, version=b.version
    )
    with pytest.raises(TransitionNotAllowed):
        services.bulletin_issue(
            actor=actor_for(p.congress_clerk), bulletin_id=b.pk, version=issued.version
        )
    with pytest.raises(ConcurrentEdit):
        services.bulletin_issue(
            actor=actor_for(p.congress_clerk), bulletin_id=b.pk, version=b.version
        )


def test_another_app_issues_a_bulletin_in_one_call_with_a_link(personas):
    p = personas
    b = services.issue_bulletin(
        actor_for(p.congress_clerk),
        issuer_id=p.orgs["congress_body"].pk,
        title="关于代表反映比较集中的建议的通报",
        body="代表反映集中的问题如下。",
        recipient_ids=[p.orgs["cdi"].pk],
        linked_record=p.orgs["unit_a"],
    )
    assert b.state == BulletinState.ISSUED and b.linked_record == p.orgs["unit_a"]
    with pytest.raises(ValidationFailed):
        services.issue_bulletin(
            actor_for(p.congress_clerk),
            issuer_id=p.orgs["congress_body"].pk,
            title="无接收单位",
            body="正文",
            recipient_ids=[],
        )
    assert Bulletin.objects.count() == 1  # the refused one left no draft behind


# --- Receipt ----------------------------------------------------------------------------


def test_a_recipient_signs_once_and_the_deadline_is_met(personas):
    p = personas
    b = make_bulletin(p)
    rec = services.bulletin_sign(
        actor=actor_for(p.unit_a), bulletin_id=b.pk, organisation_id=p.orgs["unit_a"].pk
    )
    assert rec.signed_at is not None and not rec.signed_late
    assert Deadline.objects.get(object_id=rec.pk, kind=DEADLINE_RECEIPT).state == DeadlineState.MET
    with pytest.raises(TransitionNotAllowed) as exc:
        services.bulletin_sign(
            actor=actor_for(p.unit_a), bulletin_id=b.pk, organisation_id=p.orgs["unit_a"].pk
        )
    assert "不能重复签收" in exc.value.message
    assert "bulletins.bulletin.signed" in _actions(b)


def test_a_receipt_for_an_organisation_not_on_the_list_is_refused(personas):
    p = personas
    b = make_bulletin(p)
    with pytest.raises(ValidationFailed) as exc:
        services.bulletin_sign(
            actor=actor_for(p.cdi_officer), bulletin_id=b.pk, organisation_id=p.orgs["unit_b"].pk
        )
    assert "不在本通报的分送范围内" in exc.value.message
    with pytest.raises(ValidationFailed):  # on the list, but not the signer's organisation
        services.bulletin_sign(
            actor=actor_for(p.cdi_officer), bulletin_id=b.pk, organisation_id=p.orgs["unit_a"].pk
        )
    with pytest.raises(AccessDenied):  # a person of no recipient organisation
        services.bulletin_sign(
            actor=actor_for(p.unit_b), bulletin_id=b.pk, organisation_id=p.orgs["unit_b"].pk
        )
    assert not BulletinRecipient.objects.filter(signed_at__isnull=False).exists()


def test_a_draft_cannot_be_signed(personas):
    p = personas
    b = make_bulletin(p, issued=False)
    with pytest.raises(AccessDenied):
        services.bulletin_sign(
            actor=actor_for(p.unit_a), bulletin_id=b.pk, organisation_id=p.orgs["unit_a"].pk
        )


def test_a_late_receipt_is_accepted_and_marked_late(personas):
    p = personas
    b = make_bulletin(p)
    with time_machine.travel(datetime(2026, 6, 22, 9, 0, tzinfo=SH), tick=False):
        rec = services.bulletin_sign(
            actor=actor_for(p.unit_a), bulletin_id=b.pk, organisation_id=p.orgs["unit_a"].pk
        )
    assert rec.signed_late
    assert Deadline.objects.get(object_id=rec.pk).state == DeadlineState.MISSED


def test_the_receipt_deadline_reminds_the_recipient_then_escalates_to_the_issuer(personas):
    from wulian.core.deadlines import sweep

    p = personas
    b = make_bulletin(p)
    rec = b.recipients.get(organisation=p.orgs["unit_a"])
    deadline = Deadline.objects.get(object_id=rec.pk, kind=DEADLINE_RECEIPT)
    points = rules.loaded(deadline.schedule)
    reminder = next(pt for pt in points if pt["kind"] == "reminder")
    with time_machine.travel(reminder["at"] + timedelta(minutes=1), tick=False):
        sweep.sweep()
    reminded = set(
        OutboxMessage.objects.filter(kind__startswith="deadlines.").values_list(
            "recipient__username", flat=True
        )
    )
    assert "unit_a" in reminded and "congress_clerk" not in reminded
    OutboxMessage.objects.all().delete()
    with time_machine.travel(deadline.due_at + timedelta(minutes=1), tick=False):
        sweep.sweep()
    escalated = set(
        OutboxMessage.objects.filter(kind__startswith="deadlines.").values_list(
            "recipient__username", "title"
        )
    )
    assert any(u == "congress_clerk" and "逾期" in t for u, t in escalated)


def test_a_clue_grade_bulletins_reminders_reach_only_clue_officers(personas):
    from wulian.core.deadlines import sweep

    p = personas
    b = make_bulletin(
        p, sensitivity=BulletinSensitivity.CLUE, recipients=("cdi",), title="机密标题"
    )
    deadline = Deadline.objects.get(kind=DEADLINE_RECEIPT)
    assert "机密标题" not in deadline.title
    reminder = next(pt for pt in rules.loaded(deadline.schedule) if pt["kind"] == "reminder")
    with time_machine.travel(reminder["at"] + timedelta(minutes=1), tick=False):
        sweep.sweep()
    reminded = set(
        OutboxMessage.objects.filter(kind__startswith="deadlines.").values_list(
            "recipient__username", flat=True
        )
    )
    assert reminded == {"cdi_clue"}
    assert not OutboxMessage.objects.filter(title__contains="机密标题").exists()
    assert b.pk


# --- Feedback ---------------------------------------------------------------------------


def test_feedback_needs_the_receipt_then_is_given_once(personas):
    p = personas
    b = make_bulletin(p)
    a = actor_for(p.unit_a)
    org = p.orgs["unit_a"].pk
    with pytest.raises(TransitionNotAllowed) as exc:
        services.bulletin_feedback(actor=a, bulletin_id=b.pk, organisation_id=org, text="意见")
    assert "请先签收" in exc.value.message
    services.bulletin_sign(actor=a, bulletin_id=b.pk, organisation_id=org)
    with pytest.raises(ValidationFailed):
        services.bulletin_feedback(actor=a, bulletin_id=b.pk, organisation_id=org, text="  ")
    rec = services.bulletin_feedback(
        actor=a, bulletin_id=b.pk, organisation_id=org, text="已部署整改。"
    )
    assert rec.feedback == "已部署整改。" and not rec.feedback_late
    with pytest.raises(TransitionNotAllowed):
        services.bulletin_feedback(actor=a, bulletin_id=b.pk, organisation_id=org, text="再次")
    assert "bulletins.bulletin.feedback_given" in _actions(b)


def test_late_feedback_is_accepted_and_marked_late(personas):
    p = personas
    b = make_bulletin(p)
    a = actor_for(p.unit_a)
    org = p.orgs["unit_a"].pk
    services.bulletin_sign(actor=a, bulletin_id=b.pk, organisation_id=org)
    with time_machine.travel(datetime(2026, 7, 20, 9, 0, tzinfo=SH), tick=False):
        rec = services.bulletin_feedback(
            actor=a, bulletin_id=b.pk, organisation_id=org, text="晚到的意见"
        )
    assert rec.feedback_late


def test_the_escalation_names_the_recipient_that_has_not_signed(personas):
    from wulian.core.deadlines import sweep

    p = personas
    b = make_bulletin(p, recipients=("unit_a",))
    deadline = Deadline.objects.get(kind=DEADLINE_RECEIPT)
    with time_machine.travel(deadline.due_at + timedelta(hours=1), tick=False):
        sweep.sweep()
    message = OutboxMessage.objects.filter(
        kind__startswith="deadlines.", recipient__username="congress_clerk"
    ).get()
    assert message.title.startswith("逾期未签收：签收通报：〔2026〕第1期")
    assert "市民政局未在期限（3 个工作日" in message.body
    assert b.pk
