"""Clue confidentiality for every persona, on every way in: the clue page, the list, 我的待办,
the navigation, the export and the side doors (attachments, deadlines, findings). Before
transfer only the drafting office sees a clue; after transfer the content only the CDI clue
officers, the sending office the status; everyone else nothing — not even its number."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.clues.helpers import EVIDENCE, FEEDBACK, NOTE, POST, SECRET, SUBJECT, make_clue
from tests.personas import PERSONA_NAMES, client_for
from wulian.core import records
from wulian.core.clues import services
from wulian.core.clues.choices import ClueState
from wulian.core.deadlines.models import Deadline
from wulian.core.models import AuditEvent

CONTENT = (SUBJECT, POST, SECRET, EVIDENCE, NOTE)
AFTER_TRANSFER = [
    ClueState.TRANSFERRED,
    ClueState.RECEIVED,
    ClueState.DISPOSED,
    ClueState.FEEDBACK_GIVEN,
]
FOLLOWERS = {"congress_clerk", "cdi_clue"}


def expected_view(who: str, state: str) -> str:
    """full | status | none."""
    if state == ClueState.DRAFT:
        return "full" if who == "congress_clerk" else "none"
    return {"cdi_clue": "full", "congress_clerk": "status"}.get(who, "none")


def page(client, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("state", [ClueState.DRAFT, *AFTER_TRANSFER])
def test_clue_page_for_every_persona(personas, state):
    p = personas
    clue = make_clue(p, state)
    url = reverse("clues:clue_detail", args=[clue.pk])
    wrong = []
    for who in PERSONA_NAMES:
        status, body = page(client_for(p.users[who]), url)
        want = expected_view(who, state)
        if want == "none":
            ok = status == 404 and clue.number not in body
        elif want == "full":
            ok = status == 200 and all(t in body for t in (SUBJECT, SECRET, EVIDENCE))
        else:
            ok = (
                status == 200
                and clue.number in body
                and not any(t in body for t in CONTENT)
                and "违反廉洁纪律" not in body  # the violation type is content too
                and (FEEDBACK in body) == (state == ClueState.FEEDBACK_GIVEN)
            )
        if not ok:
            wrong.append(f"{who}: {status} (expected {want})")
    assert not wrong, f"{state}: {wrong}"


def test_list_shows_each_persona_only_the_clues_it_may_follow(personas):
    p = personas
    draft = make_clue(p, ClueState.DRAFT)
    sent = make_clue(p, ClueState.RECEIVED)
    url = reverse("clues:clue_list")
    wrong = []
    for who in PERSONA_NAMES:
        status, body = page(client_for(p.users[who]), url)
        assert not any(t in body for t in CONTENT), who
        if who not in FOLLOWERS:
            if status != 403 or draft.number in body or sent.number in body:
                wrong.append(f"{who}: {status}")
            continue
        shows = {c.number for c in (draft, sent) if c.number in body}
        want = {sent.number} | ({draft.number} if who == "congress_clerk" else set())
        if status != 200 or shows != want:
            wrong.append(f"{who}: {status} shows {sorted(shows)}, want {sorted(want)}")
    assert not wrong, wrong


def test_navigation_offers_clues_only_to_those_who_may_follow_them(personas):
    for who in PERSONA_NAMES:
        body = client_for(personas.users[who]).get(reverse("core:home")).content.decode()
        assert (reverse("clues:clue_list") in body) == (who in FOLLOWERS), who


def test_todos_show_a_clue_only_to_its_office_and_the_clue_officers(personas):
    p = personas
    draft = make_clue(p, ClueState.DRAFT)
    sent = make_clue(p, ClueState.TRANSFERRED)
    for who in PERSONA_NAMES:
        body = client_for(p.users[who]).get(reverse("core:home")).content.decode()
        assert not any(t in body for t in CONTENT), who
        assert (draft.number in body) == (who == "congress_clerk"), who
        assert (sent.number in body) == (who == "cdi_clue"), who


def test_cdi_staff_do_not_learn_of_a_clue_from_its_time_limits(personas):
    p = personas
    clue = make_clue(p, ClueState.DRAFT)
    services.clue_transfer(actor=p.congress_clerk, clue_id=clue.pk, version=1)
    body = client_for(p.cdi_officer).get(reverse("core:home")).content.decode()
    assert clue.number not in body
    body = client_for(p.cdi_clue).get(reverse("core:home")).content.decode()
    assert clue.number in body  # the clue officers see their time limits


def test_only_clue_officers_are_reminded_of_a_clue_time_limit(personas):
    import time_machine
    from django.utils import timezone

    from wulian.core.deadlines import sweep
    from wulian.core.notifications.models import OutboxMessage

    p = personas
    clue = make_clue(p, ClueState.DRAFT)
    services.clue_transfer(actor=p.congress_clerk, clue_id=clue.pk, version=1)
    from wulian.core.deadlines import rules
    from wulian.core.deadlines.models import Deadline

    receipt = Deadline.objects.filter(object_id=clue.pk, kind="receipt").first() or (
        Deadline.objects.filter(object_id=clue.pk).order_by("due_at").first()
    )
    reminder = next(pt for pt in rules.loaded(receipt.schedule) if pt["kind"] == "reminder")
    with time_machine.travel(reminder["at"] + timezone.timedelta(minutes=1), tick=False):
        sweep.sweep()
    reminded = set(
        OutboxMessage.objects.filter(kind__startswith="deadlines.").values_list(
            "recipient__username", flat=True
        )
    )
    assert "cdi_clue" in reminded
    assert "cdi_officer" not in reminded


def test_export_rows_hold_only_what_each_persona_may_see(personas):
    p = personas
    sent = make_clue(p, ClueState.FEEDBACK_GIVEN)
    url = reverse("clues:clue_export")
    for who in PERSONA_NAMES:
        response = client_for(p.users[who]).get(url)
        if who not in FOLLOWERS:
            assert response.status_code == 403, who
            continue
        assert response.status_code == 200, who
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.freeze_panes == "A2"
        cells = [str(c) for row in sheet.iter_rows(min_row=2, values_only=True) for c in row]
        assert sent.number in cells
        text = "\n".join(cells)
        if who == "cdi_clue":
            assert SECRET in text and SUBJECT in text and NOTE in text
        else:
            assert not any(t in text for t in CONTENT)
            assert FEEDBACK in text


def test_side_doors_stay_shut(personas):
    """Attachments, the deadline pages and findings do not open a clue to anyone else."""
    p = personas
    clue = make_clue(p, ClueState.DRAFT)
    services.clue_transfer(actor=p.congress_clerk, clue_id=clue.pk, version=1)
    deadline = Deadline.objects.filter(**records.reference(clue)).first()
    upload = reverse("attachments:upload", args=["clues.clue", clue.pk])
    raise_finding = reverse("rectification:finding_raise", args=["clues.clue", clue.pk])
    for who in PERSONA_NAMES:
        client = client_for(p.users[who])
        # No files on a clue at all (they would not be encrypted at rest).
        assert client.post(upload, {}).status_code in (403, 404), who
        detail = client.get(reverse("deadlines:detail", args=[deadline.pk]))
        assert (detail.status_code == 200) == (who == "cdi_clue"), (who, detail.status_code)
        assert client.get(raise_finding).status_code in (403, 404), who


def test_every_reading_is_an_audit_event(personas):
    p = personas
    clue = make_clue(p, ClueState.FEEDBACK_GIVEN)
    url = reverse("clues:clue_detail", args=[clue.pk])
    officer, clerk = client_for(p.cdi_clue), client_for(p.congress_clerk)
    officer.get(url)
    officer.get(url)
    clerk.get(url)
    client_for(p.cdi_officer).get(url)  # refused (404): not a reading
    officer.get(reverse("clues:clue_export"))
    clerk.get(reverse("clues:clue_list"))

    def events(code: str) -> list[tuple[str, str]]:
        return [
            (e.actor_label, (e.after_data or {}).get("via", ""))
            for e in AuditEvent.objects.filter(action=code, target_id=str(clue.pk)).order_by("seq")
        ]

    assert events("clues.clue.viewed") == [
        ("cdi_clue", "page"),
        ("cdi_clue", "page"),
        ("cdi_clue", "export"),
    ]
    assert events("clues.clue.status_viewed") == [("congress_clerk", "")]
    listed = AuditEvent.objects.get(action="clues.clue.listed")
    assert listed.actor_label == "congress_clerk" and listed.after_data["ids"] == [clue.pk]


def test_the_reading_log_is_on_the_clue_page_for_the_clue_officers(personas):
    p = personas
    clue = make_clue(p, ClueState.RECEIVED)
    client_for(p.congress_clerk).get(reverse("clues:clue_detail", args=[clue.pk]))
    body = client_for(p.cdi_clue).get(reverse("clues:clue_detail", args=[clue.pk])).content
    assert "查阅记录" in body.decode() and "congress_clerk" in body.decode()


def test_the_status_panel_on_a_source_record(personas):
    """`clues/clue_status_panel.html` on the page of the record a clue came from: the number
    and state for those who follow the clue, a link to draft one for the congress staff, and
    nothing at all for anyone else."""
    from django.contrib.contenttypes.models import ContentType
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    p = personas
    source = p.orgs["unit_a"]
    clue = make_clue(
        p,
        ClueState.DISPOSED,
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
    )
    for who in PERSONA_NAMES:
        request = RequestFactory().get("/orgs/")
        request.user = p.users[who]
        html = render_to_string(
            "clues/clue_status_panel.html", {"record": source, "request": request}
        )
        assert not any(t in html for t in CONTENT), who
        assert (clue.number in html) == (who in FOLLOWERS), who
        assert ("谈话函询" in html) == (who in FOLLOWERS), who
        assert ("起草问题线索" in html) == (who == "congress_clerk"), who
        if who not in FOLLOWERS:
            assert html.strip() == "", who
    assert AuditEvent.objects.filter(action="clues.clue.listed").count() == len(FOLLOWERS)


def test_a_transferred_clue_is_not_edited_any_more(personas):
    clue = make_clue(personas, ClueState.TRANSFERRED)
    client = client_for(personas.congress_clerk)
    response = client.get(reverse("clues:clue_edit", args=[clue.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("clues:clue_detail", args=[clue.pk])
    assert not AuditEvent.objects.filter(action="clues.clue.viewed").exists()


def test_a_clue_cannot_be_linked_to_an_activity_whose_other_viewers_would_learn_of_it(personas):
    """The drafting office sees its draft clue, but linking it to one of its activities would
    show the clue's existence to every participant of the activity."""
    from tests.activities.helpers import make_activity
    from wulian.core.activities import services as activity_services
    from wulian.core.activities.models import ActivityRecordLink
    from wulian.core.errors import ValidationFailed

    clue = make_clue(personas, state=ClueState.DRAFT)
    activity = make_activity(personas)
    assert records.can_view(personas.congress_clerk, clue)
    with pytest.raises(ValidationFailed, match="机密记录"):
        activity_services.activity_record_link(
            actor=personas.congress_clerk, activity_id=activity.pk, record=clue
        )
    assert not ActivityRecordLink.objects.filter(activity=activity).exists()


def test_export_writes_formula_like_content_as_text(personas):
    from tests.xlsx_checks import HOSTILE, assert_shown_as_text

    make_clue(personas, ClueState.RECEIVED, content=HOSTILE, subject_name="-" + SUBJECT)
    response = client_for(personas.cdi_clue).get(reverse("clues:clue_export"))
    assert response.status_code == 200
    assert_shown_as_text(response.content)
    assert_shown_as_text(response.content, "-" + SUBJECT)
