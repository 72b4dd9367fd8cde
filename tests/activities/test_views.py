"""The activity ledger, page and forms, and /api/v1/activities/."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.activities.helpers import make_activity
from tests.personas import PERSONA_NAMES
from wulian.core import access
from wulian.core.activities import panels
from wulian.core.activities.choices import ActivityKind, ActivityState
from wulian.core.activities.models import Activity
from wulian.core.choices import Sensitivity

pytestmark = pytest.mark.django_db

LIST = "/activities/"
API = "/api/v1/activities/"


# --- Who sees what --------------------------------------------------------------------------


def test_the_list_scope_agrees_with_the_record_check(personas):
    """For every persona, the ledger lists exactly the activities the record check allows."""
    activities = [
        make_activity(
            personas
        ),  # congress body organises; unit A and the stationed group take part
        make_activity(personas, organiser="unit_a", participants=()),
        make_activity(personas, organiser="unit_b", participants=(("court", "participant"),)),
        make_activity(personas, organiser="cdi", participants=()),
    ]
    for name in PERSONA_NAMES:
        actor = access.actor_for(personas.users[name])
        listed = set(
            access.scope(actor, "activities.activity.view", Activity.objects.all()).values_list(
                "pk", flat=True
            )
        )
        checked = {a.pk for a in activities if access.can(actor, "activities.activity.view", a)}
        assert listed == checked, name


def test_a_person_named_as_participant_sees_the_activity(personas):
    from wulian.core.activities.models import ActivityParticipant

    activity = make_activity(personas, participants=())
    deputy = personas.deputy
    assert not access.can(deputy, "activities.activity.view", activity)
    ActivityParticipant.objects.create(
        activity=activity,
        organisation=personas.orgs["station"],
        person=deputy.person,
        role="attendee",
    )
    assert access.can(deputy, "activities.activity.view", activity)
    assert activity in access.scope(deputy, "activities.activity.view", Activity.objects.all())


# --- The ledger -------------------------------------------------------------------------------


def _activities(personas, n: int) -> list[Activity]:
    return [
        make_activity(personas, title=f"调研{i}", starts_in=timedelta(days=-i)) for i in range(n)
    ]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_costs_the_same_queries_for_1_and_20_activities(
    personas, client_of, django_assert_num_queries
):
    client = client_of(personas.unit_a)
    _activities(personas, 1)
    client.get(LIST)  # warm the session
    one = _queries(client, LIST)
    _activities(personas, 19)
    with django_assert_num_queries(one):
        response = client.get(LIST)
    assert response.content.decode().count('href="/activities/') >= 20


def test_the_list_filters(personas, client_of):
    make_activity(personas, kind=ActivityKind.INSPECTION, title="甲项目视察养老院")
    make_activity(
        personas, kind=ActivityKind.SYMPOSIUM, title="乙项目", starts_in=timedelta(days=-40)
    )
    make_activity(personas, organiser="cdi", participants=(), title="丙项目")
    client = client_of(personas.congress_clerk)

    def titles(**params) -> set[str]:
        html = client.get(LIST, params).content.decode()
        return {t for t in ("甲项目", "乙项目", "丙项目") if t in html}

    assert titles() == {"甲项目", "乙项目", "丙项目"}
    assert titles(kind="inspection") == {"甲项目"}
    today = timezone.localdate()
    assert titles(date_from=(today - timedelta(days=10)).isoformat()) == {"甲项目", "丙项目"}
    assert titles(date_to=(today - timedelta(days=10)).isoformat()) == {"乙项目"}
    assert titles(organisation=personas.orgs["cdi"].pk) == {"丙项目"}
    assert titles(organisation=personas.orgs["unit_a"].pk) == {"甲项目", "乙项目"}  # participant
    assert titles(q="养老") == {"甲项目"}
    assert titles(date_to="9999-12-31", date_from="0001-01-01") == {"甲项目", "乙项目", "丙项目"}


def test_unit_b_does_not_see_unit_as_activities(personas, client_of):
    make_activity(personas, organiser="unit_a", participants=(), title="民政局内部座谈")
    html = client_of(personas.unit_b).get(LIST).content.decode()
    assert "民政局内部座谈" not in html


def test_the_nav_has_the_ledger(personas, client_of):
    html = client_of(personas.unit_a).get("/").content.decode()
    assert 'href="/activities/"' in html
    html = client_of(personas.sysadmin).get("/").content.decode()
    assert 'href="/activities/"' not in html


# --- The activity page --------------------------------------------------------------------------


def test_the_page_shows_participants_records_notes_attachments_and_timeline(personas, client_of):
    from wulian.core.activities import services

    activity = make_activity(personas, notes="听取市民政局汇报。")
    services.activity_record_link(
        actor=personas.congress_clerk, activity_id=activity.pk, record=personas.orgs["unit_a"]
    )
    html = client_of(personas.congress_clerk).get(activity.get_absolute_url()).content.decode()
    assert "民生实事项目调研" in html
    assert "驻人大纪检监察组" in html and "特邀见证" in html
    assert f'href="/orgs/{personas.orgs["unit_a"].pk}/"' in html
    assert "听取市民政局汇报。" in html
    assert 'id="attachments"' in html
    assert "关联记录" in html  # the timeline labels the event
    assert 'id="findings"' in html  # the rectification app's findings panel


def test_a_registered_findings_panel_is_shown(personas, client_of, tmp_path, settings):
    template_dir = tmp_path / "templates"
    (template_dir / "rectification").mkdir(parents=True)
    (template_dir / "rectification" / "findings.html").write_text(
        "<h2>发现的问题</h2><p>{{ count }} 个问题：{{ activity.title }}</p>", encoding="utf-8"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], template_dir]}
    ]
    panel = panels.DetailPanel(
        slot="findings", template="rectification/findings.html", context=lambda a, x: {"count": 2}
    )
    panels.register(panel)
    try:
        activity = make_activity(personas)
        html = client_of(personas.congress_clerk).get(activity.get_absolute_url()).content.decode()
        assert 'id="findings"' in html
        assert "2 个问题：民生实事项目调研" in html
    finally:
        panels._panels.remove(panel)


def test_unknown_panel_slots_are_refused():
    with pytest.raises(ValueError):
        panels.register(panels.DetailPanel(slot="nope", template="x.html", context=lambda a, x: {}))


def test_readers_get_no_management_forms(personas, client_of):
    activity = make_activity(personas)
    html = client_of(personas.stationed).get(activity.get_absolute_url()).content.decode()
    assert reverse("activities:activity_edit", args=[activity.pk]) not in html
    assert reverse("activities:participant_add", args=[activity.pk]) not in html
    assert reverse("activities:activity_hold", args=[activity.pk]) not in html


def test_the_page_is_403_for_unit_b(personas, client_of):
    activity = make_activity(personas)
    assert client_of(personas.unit_b).get(activity.get_absolute_url()).status_code == 403


# --- Forms -------------------------------------------------------------------------------------


def _form(**overrides):
    data = {
        "kind": "report_hearing",
        "title": "听取市政府关于民生实事的汇报",
        "starts_at": "2026-12-01T09:30",
        "ends_at": "2026-12-01T11:30",
        "place": "第一会议室",
        "sensitivity": "internal",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_create_through_the_form(personas, client_of):
    client = client_of(personas.congress_clerk)
    assert client.get(reverse("activities:activity_create")).status_code == 200
    response = client.post(
        reverse("activities:activity_create"),
        _form(organiser=personas.orgs["congress_body"].pk),
    )
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    local = timezone.localtime(activity.starts_at)
    assert (local.hour, local.minute) == (9, 30)  # read as Beijing time


def test_the_form_shows_field_errors(personas, client_of):
    response = client_of(personas.congress_clerk).post(
        reverse("activities:activity_create"),
        _form(organiser=personas.orgs["congress_body"].pk, ends_at="2026-11-30T09:00"),
    )
    assert response.status_code == 400
    assert "结束时间不能早于开始时间" in response.content.decode()
    assert not Activity.objects.exists()


def test_edit_with_a_stale_version_keeps_the_other_edit(personas, client_of):
    activity = make_activity(personas)
    Activity.objects.filter(pk=activity.pk).update(version=2, place="别人改的地点")
    response = client_of(personas.congress_clerk).post(
        reverse("activities:activity_edit", args=[activity.pk]),
        _form(version=1, place="我改的地点"),
    )
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    activity.refresh_from_db()
    assert activity.place == "别人改的地点"


def test_hold_and_cancel_through_the_page(personas, client_of):
    client = client_of(personas.congress_clerk)
    held = make_activity(personas)
    ids = list(held.participants.values_list("pk", flat=True))
    response = client.post(
        reverse("activities:activity_hold", args=[held.pk]),
        {"hold-version": 1, "hold-attended": [str(ids[0])]},
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.state == ActivityState.HELD

    cancelled = make_activity(personas, starts_in=timedelta(days=5))
    response = client.post(
        reverse("activities:activity_cancel", args=[cancelled.pk]),
        {"cancel-version": 1, "cancel-reason": ""},
    )
    assert response.status_code == 400
    assert "请填写此项" in response.content.decode()
    response = client.post(
        reverse("activities:activity_cancel", args=[cancelled.pk]),
        {"cancel-version": 1, "cancel-reason": "时间调整"},
    )
    cancelled.refresh_from_db()
    assert cancelled.state == ActivityState.CANCELLED


def test_participants_and_links_through_the_page(personas, client_of):
    client = client_of(personas.congress_clerk)
    activity = make_activity(personas, participants=())
    response = client.post(
        reverse("activities:participant_add", args=[activity.pk]),
        {"participant-organisation": personas.orgs["unit_b"].pk, "participant-role": "participant"},
    )
    assert response.status_code == 302
    participant = activity.participants.get(organisation=personas.orgs["unit_b"])
    response = client.post(
        reverse("activities:participant_remove", args=[activity.pk]),
        {"participant": participant.pk},
    )
    assert response.status_code == 302
    assert not activity.participants.filter(pk=participant.pk).exists()

    response = client.post(
        reverse("activities:record_link", args=[activity.pk]),
        {"link-record_type": "core.organisation", "link-record_id": personas.orgs["unit_a"].pk},
    )
    assert response.status_code == 302
    link = activity.record_links.get()
    response = client.post(
        reverse("activities:record_unlink", args=[activity.pk]), {"link": link.pk}
    )
    assert response.status_code == 302 and not activity.record_links.exists()


def test_linking_a_missing_record_says_so(personas, client_of):
    activity = make_activity(personas)
    response = client_of(personas.congress_clerk).post(
        reverse("activities:record_link", args=[activity.pk]),
        {"link-record_type": "core.organisation", "link-record_id": 999999},
    )
    assert response.status_code == 400
    assert "所选记录不存在或您无权查看" in response.content.decode()


# --- API ----------------------------------------------------------------------------------------


@pytest.fixture
def api(personas):
    from django.test import Client

    from wulian.accounts.services import api_token_create

    def make(user):
        _token, key = api_token_create(user=user, name="tests")
        return Client(headers={"Authorization": f"Bearer {key}"}, raise_request_exception=False)

    return make


def test_api_lists_the_scoped_activities_with_filters(personas, api):
    visible = make_activity(personas, kind=ActivityKind.INSPECTION)
    make_activity(personas, organiser="unit_b", participants=())
    body = json.loads(api(personas.unit_a).get(API).content)
    assert [a["id"] for a in body["results"]] == [visible.pk]
    item = body["results"][0]
    assert item["kind"] == "inspection"
    assert item["organiser_name"] == "代表工委"
    assert {p["organisation_name"] for p in item["participants"]} == {
        "代表工委",
        "市民政局",
        "驻人大纪检监察组",
    }
    body = json.loads(api(personas.congress_clerk).get(API, {"kind": "symposium"}).content)
    assert body["results"] == []


def test_api_detail_outside_the_scope_is_404(personas, api):
    hidden = make_activity(personas, organiser="unit_b", participants=())
    response = api(personas.unit_a).get(f"{API}{hidden.pk}/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_api_bad_filter_is_a_problem(personas, api):
    response = api(personas.congress_clerk).get(API, {"date_from": "昨天"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")


def test_api_refuses_administrators(personas, api):
    assert api(personas.sysadmin).get(API).status_code == 403


def test_api_list_costs_the_same_queries_for_1_and_20(personas, api, django_assert_num_queries):
    client = api(personas.stationed)
    _activities(personas, 1)
    client.get(API)  # the token's first use is recorded once
    one = _queries(client, API)
    _activities(personas, 19)
    with django_assert_num_queries(one):
        response = client.get(API)
    assert len(json.loads(response.content)["results"]) == 20


def test_confidential_activities_are_still_listed_for_their_viewers(personas, api):
    make_activity(personas, sensitivity=Sensitivity.CONFIDENTIAL)
    assert len(json.loads(api(personas.unit_a).get(API).content)["results"]) == 1


def test_the_pages_speak_english_when_asked(personas, client_of, settings):
    import io

    from django.utils import translation

    from wulian.core.attachments import sniff

    activity = make_activity(personas, kind=ActivityKind.SPECIAL_INQUIRY)
    client = client_of(personas.congress_clerk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # The requests switch this thread to English: switch back afterwards.
    with translation.override(settings.LANGUAGE_CODE):
        html = client.get(LIST).content.decode()
        assert "Supervision activities" in html and "Special inquiry" in html
        html = client.get(activity.get_absolute_url()).content.decode()
        assert "Participating organisations and people" in html
        assert "Upload an attachment" in html
        with translation.override("en"), pytest.raises(sniff.Refused) as exc:
            sniff.sniff(io.BytesIO(b"%PDF-1.4"), name="minutes.docx")
    assert "but its content is a PDF document" in exc.value.message
