"""Meeting pages and exports (ADR 0023): the meeting part of the activity page, the steps
through the page and the API, the action-item list (constant queries, filters, .xlsx 台账),
the minutes .docx, the iCalendar export parsed back, and 我的待办."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from tests.activities.meeting_helpers import leaders, make_meeting
from wulian.core.access import actor_for
from wulian.core.activities import exports
from wulian.core.activities.choices import ActionState, MinutesState
from wulian.core.activities.models import ActionItem, Meeting
from wulian.core.todos import todos_for

pytestmark = pytest.mark.django_db
LIST = reverse("activities:action_list")


def _action(activity) -> ActionItem:
    return ActionItem.objects.get(decision__meeting__activity=activity)


# --- The activity page of a meeting ----------------------------------------------------------


def test_the_meeting_page_shows_conveners_minutes_and_actions(personas, client_of):
    activity = make_meeting(personas)
    page = client_of(personas.congress_clerk).get(activity.get_absolute_url())
    text = page.content.decode()
    assert page.status_code == 200
    for words in ("召集单位和纪要会签", "代表工委", "市纪委监委", "待会签", "完成养老服务设施整改"):
        assert words in text
    assert reverse("activities:minutes_issue", args=[activity.pk]) in text
    assert reverse("activities:minutes_sign", args=[activity.pk]) not in text  # not a leader


def test_a_leader_cosigns_on_the_page_and_the_clerk_issues(personas, client_of):
    p = personas
    congress_head, cdi_head = leaders(p)
    activity = make_meeting(p)
    url = reverse("activities:minutes_sign", args=[activity.pk])
    version = Meeting.objects.get(activity=activity).version
    for leader in (cdi_head, congress_head):
        client = client_of(leader)
        assert url in client.get(activity.get_absolute_url()).content.decode()
        response = client.post(url, {"sign-minutes_version": version})
        assert response.status_code == 302, response.content.decode()[:500]
    clerk = client_of(p.congress_clerk)
    issue = reverse("activities:minutes_issue", args=[activity.pk])
    response = clerk.post(issue, {"issue-minutes_version": version, "issue-confirm": "on"})
    assert response.status_code == 302
    meeting = Meeting.objects.get(activity=activity)
    assert meeting.minutes_state == MinutesState.ISSUED


def test_issuing_without_both_signatures_says_whose_is_missing(personas, client_of):
    p = personas
    activity = make_meeting(p)
    version = Meeting.objects.get(activity=activity).version
    clerk = client_of(p.congress_clerk)
    issue = reverse("activities:minutes_issue", args=[activity.pk])
    response = clerk.post(
        issue, {"issue-minutes_version": version, "issue-confirm": "on"}, follow=True
    )
    assert "尚缺代表工委、市纪委监委负责人的会签" in response.content.decode()
    assert Meeting.objects.get(activity=activity).minutes_state == MinutesState.DRAFT


def test_the_minutes_step_through_the_api(personas, client_of):
    p = personas
    activity = make_meeting(p)
    meeting = Meeting.objects.get(activity=activity)
    client = client_of(p.congress_clerk)
    response = client.post(
        f"/api/v1/activities/{activity.pk}/minutes/",
        data=json.dumps(
            {"minutes_version": meeting.version, "title": "纪要", "body": "一、新的纪要"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = json.loads(response.content)
    assert body["minutes_body"] == "一、新的纪要"
    assert body["minutes_version"] == meeting.version + 1
    assert [c["organisation_name"] for c in body["conveners"]] == ["代表工委", "市纪委监委"]


def test_the_minutes_page_edits_with_the_version(personas, client_of):
    p = personas
    activity = make_meeting(p)
    client = client_of(p.congress_clerk)
    url = reverse("activities:minutes", args=[activity.pk])
    assert client.get(url).status_code == 200
    stale = client.post(
        url, {"minutes-minutes_version": 99, "minutes-title": "纪要", "minutes-body": "x"}
    )
    assert stale.status_code == 409
    assert "已被他人修改" in stale.content.decode()


# --- Action items ------------------------------------------------------------------------------


def test_report_and_verify_on_the_action_page(personas, client_of):
    p = personas
    action = _action(make_meeting(p))
    unit = client_of(p.unit_a)
    page = unit.get(action.get_absolute_url()).content.decode()
    assert "报告完成" in page
    response = unit.post(
        reverse("activities:action_report", args=[action.pk]),
        {"report-version": action.version, "report-report": "已整改完毕"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.state == ActionState.REPORTED
    cdi = client_of(p.cdi_officer)
    response = cdi.post(
        reverse("activities:action_verify", args=[action.pk]), {"verify-version": action.version}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.state == ActionState.DONE
    timeline = cdi.get(action.get_absolute_url()).content.decode()
    assert "报告落实事项完成" in timeline and "核验落实事项办结" in timeline


def test_the_action_list_costs_the_same_queries_for_1_and_20(
    personas, client_of, django_assert_num_queries
):
    client = client_of(personas.unit_a)
    make_meeting(personas)
    client.get(LIST)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST).status_code == 200
    one = len(ctx.captured_queries)
    for _i in range(19):
        make_meeting(personas)
    with django_assert_num_queries(one):
        response = client.get(LIST)
    assert response.content.decode().count("完成养老服务设施整改") == 20


def test_the_action_list_filters_by_owner_state_and_overdue(personas, client_of):
    p = personas
    late = _action(make_meeting(p))
    ActionItem.objects.filter(pk=late.pk).update(
        title="逾期事项", due_at=timezone.now() - timedelta(days=1)
    )
    done = _action(make_meeting(p, action_state=ActionState.DONE))
    ActionItem.objects.filter(pk=done.pk).update(title="办结事项", owner_org=p.orgs["unit_b"])
    client = client_of(p.congress_clerk)

    def titles(query: str) -> set[str]:
        text = client.get(f"{LIST}?{query}").content.decode()
        return {t for t in ("逾期事项", "办结事项") if t in text}

    assert titles("") == {"逾期事项", "办结事项"}
    assert titles("overdue=true") == {"逾期事项"}
    assert titles("state=done") == {"办结事项"}
    assert titles(f"owner={p.orgs['unit_a'].pk}") == {"逾期事项"}
    book = load_workbook(
        io.BytesIO(client.get(reverse("activities:action_export") + "?state=done").content)
    )
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("会议", "会议时间", "议定事项", "落实事项")
    assert [r[3] for r in rows[1:]] == ["办结事项"]


def test_unit_b_sees_no_action_item_of_a_meeting_it_has_no_part_in(personas, client_of):
    make_meeting(personas)
    text = client_of(personas.unit_b).get(LIST).content.decode()
    assert "完成养老服务设施整改" not in text


def test_todos_list_the_action_and_the_signature_waiting(personas):
    p = personas
    congress_head, _cdi_head = leaders(p)
    make_meeting(p)
    assert any("落实会议议定事项" in str(i.title) for i in todos_for(actor_for(p.unit_a)))
    assert any("会签会议纪要" in str(i.title) for i in todos_for(actor_for(congress_head)))
    # The deadlines' own provider does not list the action item a second time.
    assert not any("落实会议议定事项" in str(i.title) for i in todos_for(actor_for(p.unit_b)))


# --- Exports -------------------------------------------------------------------------------------


def test_the_minutes_docx_names_both_conveners_and_the_signatures(personas, client_of):
    p = personas
    congress_head, cdi_head = leaders(p)
    activity = make_meeting(p)
    meeting = Meeting.objects.get(activity=activity)
    for leader in (congress_head, cdi_head):
        from wulian.core.activities import meeting_services as ms

        ms.minutes_sign(actor=actor_for(leader), activity_id=activity.pk, version=meeting.version)
    response = client_of(p.unit_a).get(reverse("activities:minutes_docx", args=[activity.pk]))
    assert response.status_code == 200
    text = "\n".join(par.text for par in Document(io.BytesIO(response.content)).paragraphs)
    assert "草稿" in text  # not issued yet
    assert "会签：代表工委 王主任；市纪委监委 李主任" in text
    assert "（一）市民政局限期完成整改。" in text


def parse_ics(data: bytes) -> list[dict[str, str]]:
    """A small RFC 5545 reader: unfold, split name;params:value, unescape TEXT; the events."""
    text = data.decode()
    assert "\n" not in text.replace("\r\n", "")  # CRLF only
    lines = text.replace("\r\n ", "").split("\r\n")
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines:
        if not line:
            continue
        name, _sep, value = line.partition(":")
        name = name.split(";")[0]
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current or {})
            current = None
        elif current is not None:
            current[name] = (
                value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";")
            ).replace("\\\\", "\\")
    return events


def test_ics_folds_escapes_and_parses_back(personas, client_of):
    p = personas
    activity = make_meeting(p)
    activity.title = "联席会议；议题：幸福食堂,养老\\设施" + "很长的标题" * 20
    activity.place = "第一会议室, 三楼"
    activity.save()
    response = client_of(p.unit_a).get(reverse("activities:meeting_ics", args=[activity.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    raw = response.content
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    [event] = parse_ics(raw)
    assert event["SUMMARY"] == activity.title
    assert event["LOCATION"] == "第一会议室, 三楼"
    assert event["UID"] == f"activity-{activity.pk}@testserver"
    start = datetime.strptime(event["DTSTART"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert start == activity.starts_at.replace(microsecond=0)
    # The same meeting exported again keeps its UID.
    again = parse_ics(exports.ics([activity], domain="testserver", name="x"))
    assert again[0]["UID"] == event["UID"]


def test_the_calendar_of_meetings_lists_only_what_the_person_sees(personas, client_of):
    make_meeting(personas)
    feed = reverse("activities:meetings_ics")
    assert len(parse_ics(client_of(personas.unit_a).get(feed).content)) == 1
    assert parse_ics(client_of(personas.unit_b).get(feed).content) == []
