"""The opinion-round services: each success and each refusal (no access, wrong state, bad
input), nothing half-saved; the comment deadline's reminders with the clock set."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from tests.opinions.helpers import comment, concluded_round, make_round
from wulian.core.access import actor_for
from wulian.core.deadlines.choices import DeadlineState
from wulian.core.deadlines.models import Deadline
from wulian.core.errors import AccessDenied, ConcurrentEdit, TransitionNotAllowed, ValidationFailed
from wulian.core.models import AuditEvent
from wulian.core.notifications.models import OutboxMessage
from wulian.core.opinions import exports, services
from wulian.core.opinions.choices import DEADLINE_COMMENT, Disposition, RoundState
from wulian.core.opinions.models import Comment, DraftParagraph, Invitee, OpinionRound

pytestmark = pytest.mark.django_db


def _clerk(p):
    return actor_for(p.congress_clerk)


def _actions(round_: OpinionRound) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            target_type="opinions.opinionround", target_id=str(round_.pk)
        ).values_list("action", flat=True)
    )


def _docx(*paragraphs: str) -> SimpleUploadedFile:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return SimpleUploadedFile("草案.docx", buf.getvalue())


# --- Create and versions ---------------------------------------------------------------------


def test_a_round_is_created_with_its_numbered_paragraphs(personas):
    p = personas
    r = make_round(p, opened=False, orgs=(), people=())
    assert r.state == RoundState.DRAFT and r.working_days == 10
    v = r.versions.get()
    assert [(x.number, x.text) for x in v.paragraphs.all()][:2] == [
        (1, "一、总体要求"),
        (2, "坚持依法监督。"),
    ]
    assert _actions(r) == ["opinions.round.created"]


def test_a_docx_upload_is_read_paragraph_by_paragraph(personas):
    p = personas
    r = services.round_create(
        actor=_clerk(p),
        data={
            "drafter_id": p.orgs["congress_body"].pk,
            "title": "草案",
            "docx": _docx("第一条 总则", "", "第二条 职责"),
        },
    )
    v = r.versions.get()
    assert v.source == "docx" and v.filename == "草案.docx"
    assert list(v.paragraphs.values_list("text", flat=True)) == ["第一条 总则", "第二条 职责"]


def test_creating_is_refused_with_every_error_and_nothing_saved(personas):
    p = personas
    with pytest.raises(ValidationFailed) as exc:
        services.round_create(
            actor=_clerk(p),
            data={
                "drafter_id": p.orgs["unit_a"].pk,
                "title": "",
                "text": " \n",
                "working_days": 99,
            },
        )
    assert set(exc.value.field_errors) == {"drafter", "title", "text", "working_days"}
    assert not OpinionRound.objects.exists()


def test_a_file_that_is_no_docx_is_refused(personas):
    p = personas
    with pytest.raises(ValidationFailed) as exc:
        services.round_create(
            actor=_clerk(p),
            data={
                "drafter_id": p.orgs["congress_body"].pk,
                "title": "草案",
                "docx": SimpleUploadedFile("x.docx", b"not a zip"),
            },
        )
    assert "docx" in exc.value.field_errors


def test_a_unit_liaison_may_not_start_a_round(personas):
    p = personas
    with pytest.raises(AccessDenied):
        services.round_create(
            actor=actor_for(p.unit_a), data={"drafter_id": p.orgs["unit_a"].pk, "title": "x"}
        )


def test_a_new_version_keeps_the_old_one_and_its_comments(personas):
    p = personas
    r = make_round(p)
    c = comment(p, r, paragraph=2)
    services.version_add(
        actor=_clerk(p), round_id=r.pk, version=r.version, text="新第一段\n新第二段", note="改"
    )
    r.refresh_from_db()
    assert list(r.versions.values_list("number", flat=True)) == [1, 2]
    c.refresh_from_db()
    assert c.draft_version.number == 1 and c.paragraph.text == "坚持依法监督。"
    later = comment(p, r, who="unit_a", paragraph=2)
    assert later.draft_version.number == 2 and later.paragraph.text == "新第二段"
    assert "opinions.round.version_added" in _actions(r)


def test_a_stale_version_is_refused(personas):
    p = personas
    r = make_round(p, opened=False)
    with pytest.raises(ConcurrentEdit):
        services.version_add(actor=_clerk(p), round_id=r.pk, version=r.version - 1, text="x")
    assert r.versions.count() == 1


# --- Invitations and opening -----------------------------------------------------------------


def test_invitations_refuse_the_drafter_itself_and_repeats(personas):
    p = personas
    r = make_round(p, opened=False)
    with pytest.raises(ValidationFailed):
        services.invite(
            actor=_clerk(p),
            round_id=r.pk,
            version=r.version,
            organisation_ids=[p.orgs["congress_body"].pk],
        )
    with pytest.raises(ValidationFailed):
        services.invite(
            actor=_clerk(p), round_id=r.pk, version=r.version, organisation_ids=[p.orgs["cdi"].pk]
        )
    with pytest.raises(ValidationFailed):
        services.invite(actor=_clerk(p), round_id=r.pk, version=r.version)
    assert r.invitees.count() == 3


def test_opening_needs_an_invitee(personas):
    p = personas
    r = make_round(p, opened=False, orgs=(), people=())
    with pytest.raises(ValidationFailed):
        services.round_open(actor=_clerk(p), round_id=r.pk, version=r.version)
    r.refresh_from_db()
    assert r.state == RoundState.DRAFT and r.opened_at is None


def test_opening_sets_the_close_in_working_days_and_reminds_each_invitee(personas):
    p = personas
    r = make_round(p)
    # Opened on Monday 15 June 2026 at 10:00: 10 working days, 端午 (Friday 19 June) not
    # counted → the end of Tuesday 30 June.
    assert r.state == RoundState.OPEN
    assert timezone.localtime(r.closes_at).date().isoformat() == "2026-06-30"
    deadlines = Deadline.objects.filter(kind=DEADLINE_COMMENT)
    assert deadlines.count() == 3 and {d.due_at for d in deadlines} == {r.closes_at}
    assert OutboxMessage.objects.filter(recipient=p.deputy, kind="opinions.round.opened").exists()
    assert OutboxMessage.objects.filter(recipient=p.unit_a, kind="opinions.round.opened").exists()


def test_the_reminder_reaches_only_who_has_not_answered(personas):
    p = personas
    r = make_round(p)
    comment(p, r)
    cdi = Deadline.objects.get(kind=DEADLINE_COMMENT, responsible_org=p.orgs["cdi"])
    assert cdi.state == DeadlineState.MET
    from wulian.core.deadlines import sweep

    before = set(OutboxMessage.objects.values_list("pk", flat=True))
    sweep.sweep(now=r.closes_at - timedelta(hours=1))
    reminded = set(
        OutboxMessage.objects.exclude(pk__in=before).values_list("recipient__username", flat=True)
    )
    assert "unit_a" in reminded and "deputy" in reminded
    assert "cdi_officer" not in reminded


# --- Comments and 无意见 ---------------------------------------------------------------------


def test_an_invitee_comments_on_a_paragraph_and_the_drafter_is_told(personas):
    p = personas
    r = make_round(p)
    c = comment(p, r, paragraph=4)
    assert c.paragraph.number == 4 and c.invitee.organisation == p.orgs["cdi"]
    assert OutboxMessage.objects.filter(
        recipient=p.congress_clerk, kind="opinions.round.commented"
    ).exists()
    assert "opinions.round.commented" in _actions(r)


def test_a_named_deputy_comments_on_the_whole_draft(personas):
    p = personas
    r = make_round(p)
    c = comment(p, r, who="deputy")
    assert c.paragraph is None and c.invitee.person == p.deputy.person
    assert (
        Deadline.objects.get(kind=DEADLINE_COMMENT, responsible_user=p.deputy).state
        == DeadlineState.MET
    )


def test_a_comment_is_refused_to_who_is_not_invited(personas):
    p = personas
    r = make_round(p)
    with pytest.raises(AccessDenied):
        comment(p, r, who="unit_b")
    assert not Comment.objects.exists()


def test_a_comment_on_a_missing_paragraph_or_empty_is_refused(personas):
    p = personas
    r = make_round(p)
    with pytest.raises(ValidationFailed) as exc:
        comment(p, r, paragraph=99)
    assert "paragraph" in exc.value.field_errors
    with pytest.raises(ValidationFailed):
        comment(p, r, text="  ")
    assert not Comment.objects.exists()


def test_a_comment_after_the_close_is_refused(personas):
    p = personas
    r = make_round(p)
    with (
        time_machine.travel(r.closes_at + timedelta(minutes=1), tick=False),
        pytest.raises(TransitionNotAllowed),
    ):
        comment(p, r)
    assert not Comment.objects.exists()


def test_a_comment_before_the_round_is_out_is_refused(personas):
    p = personas
    r = make_round(p, opened=False)
    with pytest.raises(AccessDenied):
        comment(p, r)


def test_no_opinion_is_said_once_and_not_after_a_comment(personas):
    p = personas
    r = make_round(p)
    row = services.no_opinion(actor=actor_for(p.unit_a), round_id=r.pk)
    assert row.no_opinion_at is not None
    with pytest.raises(TransitionNotAllowed):
        services.no_opinion(actor=actor_for(p.unit_a), round_id=r.pk)
    with pytest.raises(TransitionNotAllowed):
        comment(p, r, who="unit_a")
    comment(p, r)
    with pytest.raises(TransitionNotAllowed):
        services.no_opinion(actor=actor_for(p.cdi_officer), round_id=r.pk)
    assert Invitee.objects.filter(no_opinion_at__isnull=False).count() == 1


# --- Dispositions --------------------------------------------------------------------------


def test_a_non_adoption_needs_its_reason(personas):
    p = personas
    r = make_round(p)
    c = comment(p, r)
    for disposition in (Disposition.DECLINED, Disposition.PARTLY):
        with pytest.raises(ValidationFailed) as exc:
            services.comment_dispose(
                actor=_clerk(p),
                round_id=r.pk,
                comment=c.pk,
                version=c.version,
                disposition=disposition,
                reason=" ",
            )
        assert "reason" in exc.value.field_errors
    c.refresh_from_db()
    assert c.disposition == "" and c.version == 1
    done = services.comment_dispose(
        actor=_clerk(p),
        round_id=r.pk,
        comment=c.pk,
        version=c.version,
        disposition=Disposition.DECLINED,
        reason="与现行规定不符。",
    )
    assert done.disposition == "declined" and done.version == 2
    assert "opinions.round.disposed" in _actions(r)


def test_adoption_needs_no_reason_and_a_bad_choice_is_refused(personas):
    p = personas
    r = make_round(p)
    c = comment(p, r)
    with pytest.raises(ValidationFailed):
        services.comment_dispose(
            actor=_clerk(p), round_id=r.pk, comment=c.pk, version=1, disposition="maybe"
        )
    services.comment_dispose(
        actor=_clerk(p), round_id=r.pk, comment=c.pk, version=1, disposition="adopted"
    )


def test_only_the_drafting_side_disposes(personas):
    p = personas
    r = make_round(p)
    c = comment(p, r)
    with pytest.raises(AccessDenied):
        services.comment_dispose(
            actor=actor_for(p.cdi_officer),
            round_id=r.pk,
            comment=c.pk,
            version=1,
            disposition="adopted",
        )


def test_a_comment_of_another_round_or_a_stale_version_is_refused(personas):
    p = personas
    r, other = make_round(p), make_round(p)
    c = comment(p, other)
    with pytest.raises(ValidationFailed):
        services.comment_dispose(
            actor=_clerk(p), round_id=r.pk, comment=c.pk, version=1, disposition="adopted"
        )
    with pytest.raises(ConcurrentEdit):
        services.comment_dispose(
            actor=_clerk(p), round_id=other.pk, comment=c.pk, version=5, disposition="adopted"
        )


# --- Close and conclude --------------------------------------------------------------------


def test_the_round_is_not_concluded_before_the_close_nor_with_a_comment_pending(personas):
    p = personas
    r = make_round(p)
    c = comment(p, r)
    with pytest.raises(TransitionNotAllowed):
        services.round_conclude(actor=_clerk(p), round_id=r.pk, version=r.version)
    r = services.round_close(actor=_clerk(p), round_id=r.pk, version=r.version)
    with pytest.raises(TransitionNotAllowed) as exc:
        services.round_conclude(actor=_clerk(p), round_id=r.pk, version=r.version)
    assert "1 条意见未处理" in exc.value.message
    r.refresh_from_db()
    assert r.state == RoundState.CLOSED
    services.comment_dispose(
        actor=_clerk(p), round_id=r.pk, comment=c.pk, version=1, disposition="adopted"
    )
    services.round_conclude(actor=_clerk(p), round_id=r.pk, version=r.version)


def test_closing_ends_the_reminders_of_the_silent(personas):
    p = personas
    r = make_round(p)
    comment(p, r)
    services.round_close(actor=_clerk(p), round_id=r.pk, version=r.version)
    states = set(Deadline.objects.filter(kind=DEADLINE_COMMENT).values_list("state", flat=True))
    assert states == {DeadlineState.MET, DeadlineState.CANCELLED}


def test_a_round_past_its_close_is_concluded_without_closing_first(personas):
    p = personas
    r = make_round(p)
    with time_machine.travel(r.closes_at + timedelta(hours=1), tick=False):
        done = services.round_conclude(actor=_clerk(p), round_id=r.pk, version=r.version)
    assert done.state == RoundState.CONCLUDED and done.closed_at == r.closes_at


def test_the_conclusion_tells_every_commenter_and_the_explanation_lists_each_comment(personas):
    p = personas
    r = concluded_round(p)
    assert r.state == RoundState.CONCLUDED
    told = set(
        OutboxMessage.objects.filter(kind="opinions.round.concluded").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"cdi_officer", "cdi_clue"} <= told and "unit_a" not in told
    from wulian.core.opinions.selectors import round_detail

    name, body = exports.explanation_docx(round_detail(actor=_clerk(p), round_id=r.pk))
    text = "\n".join(x.text for x in Document(io.BytesIO(body)).paragraphs)
    cells = [c.text for t in Document(io.BytesIO(body)).tables for row in t.rows for c in row.cells]
    assert "意见采纳情况的说明" in name and "采纳1条" in text
    assert "市纪委监委" in cells and "采纳" in cells and "第1稿第2段" in cells
    assert "opinions.round.concluded" in _actions(r)


def test_nothing_changes_after_the_conclusion(personas):
    p = personas
    r = concluded_round(p)
    c = r.comments.get()
    with pytest.raises(TransitionNotAllowed):
        services.comment_dispose(
            actor=_clerk(p),
            round_id=r.pk,
            comment=c.pk,
            version=c.version,
            disposition="declined",
            reason="x",
        )
    with pytest.raises(TransitionNotAllowed):
        services.version_add(actor=_clerk(p), round_id=r.pk, version=r.version, text="x")
    assert DraftParagraph.objects.filter(version__round=r).count() == 6
