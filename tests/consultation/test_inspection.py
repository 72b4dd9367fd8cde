"""A law-enforcement inspection (执法检查) as structured fields of its matter, its findings as
rows handed on as rectifications; a wrongly linked record taken off a matter (confirmed
first); the matter's timeline in words."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests.activities.meeting_helpers import make_meeting
from tests.consultation.helpers import make_matter
from wulian.consultation import services
from wulian.consultation.models import InspectionFinding, MatterLink
from wulian.core.access import actor_for
from wulian.core.errors import (
    AccessDenied,
    ConcurrentEdit,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.models import AuditEvent
from wulian.core.rectification.models import Finding, Rectification

pytestmark = [pytest.mark.django_db]
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime(2027, 6, 1, 10, 0, tzinfo=SH), tick=False):
        yield


def _inspection_matter(p):
    return make_matter(
        p, "congress", "shared", kind="law_inspection", title="中小企业促进法执法检查"
    )


def _fields(p, **over):
    return {
        "law": "《中华人民共和国中小企业促进法》和湖北省实施办法",
        "scope": "市直有关部门和各县市区",
        "plan": "听取汇报、实地检查、座谈",
        "teams": "第一组：财经工委牵头",
        "report": "",
        "opinions": "",
        "department_ids": [p.orgs["unit_a"].pk],
        **over,
    }


def _saved(p):
    matter = _inspection_matter(p)
    clerk = actor_for(p.congress_clerk)
    services.inspection_save(
        actor=clerk, matter_id=matter.pk, version=matter.version, data=_fields(p)
    )
    matter.refresh_from_db()
    return matter, clerk


def test_the_inspection_is_saved_as_fields_under_the_matters_version(personas):
    matter, _clerk = _saved(personas)
    inspection = matter.inspection
    assert inspection.law.startswith("《中华人民共和国中小企业促进法》")
    assert list(inspection.departments.all()) == [personas.orgs["unit_a"]]
    assert matter.version == 2
    event = AuditEvent.objects.get(action="consultation.inspection.saved")
    assert event.after_data["departments"] == [personas.orgs["unit_a"].pk]


def test_the_inspection_refuses_a_stale_version_a_missing_law_and_another_kind(personas):
    matter, clerk = _saved(personas)
    with pytest.raises(ConcurrentEdit):
        services.inspection_save(
            actor=clerk, matter_id=matter.pk, version=1, data=_fields(personas)
        )
    with pytest.raises(ValidationFailed) as exc:
        services.inspection_save(
            actor=clerk,
            matter_id=matter.pk,
            version=matter.version,
            data=_fields(personas, law="", department_ids=[]),
        )
    assert set(exc.value.field_errors) == {"law", "departments"}
    plan = make_matter(personas, "congress", "shared")
    with pytest.raises(TransitionNotAllowed):
        services.inspection_save(
            actor=clerk, matter_id=plan.pk, version=plan.version, data=_fields(personas)
        )
    with pytest.raises(AccessDenied):
        services.inspection_save(
            actor=actor_for(personas.cdi_officer),
            matter_id=matter.pk,
            version=matter.version,
            data=_fields(personas),
        )


def test_a_finding_row_is_handed_on_once_as_a_rectification_of_the_inspected_department(
    personas,
):
    matter, clerk = _saved(personas)
    with pytest.raises(ValidationFailed) as exc:
        services.inspection_finding_add(
            actor=clerk,
            matter_id=matter.pk,
            department_id=personas.orgs["court"].pk,  # not inspected
            topic="arrears",
            problem="拖欠中小企业账款",
        )
    assert "department" in exc.value.field_errors
    row = services.inspection_finding_add(
        actor=clerk,
        matter_id=matter.pk,
        department_id=personas.orgs["unit_a"].pk,
        topic="arrears",
        problem="拖欠中小企业账款未按期清偿",
        amount="125.5",
    )
    assert row.finding_id is None and str(row.amount) == "125.50"
    services.inspection_finding_hand_on(
        actor=clerk, matter_id=matter.pk, row_id=row.pk, rectification_months=6
    )
    row.refresh_from_db()
    finding = Finding.objects.get(pk=row.finding_id)
    assert finding.record == matter and finding.title.startswith("涉企清欠")
    rect = Rectification.objects.get(finding=finding)
    assert rect.responsible_org == personas.orgs["unit_a"]
    with pytest.raises(TransitionNotAllowed):
        services.inspection_finding_hand_on(actor=clerk, matter_id=matter.pk, row_id=row.pk)
    assert AuditEvent.objects.filter(action="consultation.inspection.handed_on").count() == 1


def test_the_matter_page_shows_the_inspection_and_its_steps(personas, client_of):
    matter, _clerk = _saved(personas)
    client = client_of(personas.congress_clerk)
    answer = client.post(
        reverse("consultation:matter_problem", args=[matter.pk]),
        {
            "department": personas.orgs["unit_a"].pk,
            "topic": "deposits",
            "problem": "违规收取保证金",
            "amount": "",
        },
    )
    assert answer.status_code == 302
    row = InspectionFinding.objects.get()
    answer = client.post(
        reverse("consultation:matter_hand_on", args=[matter.pk]),
        {"row": row.pk, "rectification_months": 3},
    )
    assert answer.status_code == 302
    page = client.get(matter.get_absolute_url()).content.decode()
    assert "《中华人民共和国中小企业促进法》" in page and "违规收取保证金" in page
    assert "保证金清理" in page and "办理记录" in page
    edit = client.get(reverse("consultation:matter_inspection", args=[matter.pk]))
    assert edit.status_code == 200 and "被检查单位" in edit.content.decode()
    # The CDI side reads the inspection but has no step on it.
    cdi = client_of(personas.cdi_officer).get(matter.get_absolute_url()).content.decode()
    assert "违规收取保证金" in cdi and "记录检查发现的问题" not in cdi


def test_a_wrong_link_is_taken_off_after_confirmation_with_its_reason_on_the_timeline(
    personas, client_of
):
    matter = make_matter(personas, "congress", "shared")
    clerk = actor_for(personas.congress_clerk)
    meeting = make_meeting(personas)
    link = services.matter_link(actor=clerk, matter_id=matter.pk, record=meeting)
    client = client_of(personas.congress_clerk)
    url = reverse("consultation:matter_unlink", args=[matter.pk])
    asked = client.post(url, {"link": link.pk, "reason": "误关联了其他事项的会议"})
    assert asked.status_code == 200 and "记录本身不受影响" in asked.content.decode()
    assert MatterLink.objects.filter(pk=link.pk).exists()  # nothing before the "yes"
    done = client.post(url, {"link": link.pk, "reason": "误关联了其他事项的会议", "confirm": "on"})
    assert done.status_code == 302
    assert not MatterLink.objects.filter(pk=link.pk).exists()
    event = AuditEvent.objects.get(action="consultation.matter.unlinked")
    assert event.after_data == {"record_kind": "activity", "reason": "误关联了其他事项的会议"}
    page = client.get(matter.get_absolute_url()).content.decode()
    assert "取消关联重大事项记录" in page and "误关联了其他事项的会议" in page
    assert "会议或活动" in page
    with pytest.raises(ValidationFailed):
        services.matter_unlink(actor=clerk, matter_id=matter.pk, link_id=link.pk, reason="再次")
    with pytest.raises(AccessDenied):
        services.matter_unlink(
            actor=actor_for(personas.cdi_officer), matter_id=matter.pk, link_id=0, reason="x"
        )


def test_unlinking_needs_a_reason(personas):
    matter = make_matter(personas, "congress", "shared")
    clerk = actor_for(personas.congress_clerk)
    link = services.matter_link(actor=clerk, matter_id=matter.pk, record=make_meeting(personas))
    with pytest.raises(ValidationFailed) as exc:
        services.matter_unlink(actor=clerk, matter_id=matter.pk, link_id=link.pk, reason=" ")
    assert "reason" in exc.value.field_errors


def test_the_api_reads_the_inspection_and_takes_its_steps(personas, client_of):
    matter, _clerk = _saved(personas)
    client = client_of(personas.congress_clerk)
    base = f"/api/v1/consultation/matters/{matter.pk}/"
    answer = client.post(
        base + "problem/",
        {"department": personas.orgs["unit_a"].pk, "topic": "arrears", "problem": "拖欠账款"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    body = client.get(base).json()
    assert body["inspection"]["law"].startswith("《中华人民共和国中小企业促进法》")
    assert body["inspection"]["departments"] == [personas.orgs["unit_a"].pk]
    assert [f["problem"] for f in body["inspection"]["findings"]] == ["拖欠账款"]
    plain = make_matter(personas, "congress", "shared")
    assert client.get(f"/api/v1/consultation/matters/{plain.pk}/").json()["inspection"] is None
    refused = client.post(
        base + "unlink/", {"link": 1, "reason": "x"}, content_type="application/json"
    )
    assert refused.status_code == 400  # no confirmation (and no such link)


def test_a_handed_on_finding_is_in_the_departments_profile_under_联商(personas):
    """The profile's 联商 section counts the inspected department's handed-on findings, and its
    number opens the ledger under 问题来源 联商 listing exactly those."""
    from django.http import QueryDict

    from tests.rectification.helpers import make_finding
    from wulian.core.rectification import selectors as rect_selectors
    from wulian.reports import profile

    matter, clerk = _saved(personas)
    row = services.inspection_finding_add(
        actor=clerk,
        matter_id=matter.pk,
        department_id=personas.orgs["unit_a"].pk,
        topic="deposits",
        problem="保证金未按期清退",
    )
    services.inspection_finding_hand_on(actor=clerk, matter_id=matter.pk, row_id=row.pk)
    row.refresh_from_db()
    make_finding(personas, units=("unit_a",))  # raised elsewhere: not 联商's
    rect = Rectification.objects.get(finding_id=row.finding_id)
    a = personas.orgs["unit_a"].pk
    for who in ("congress_clerk", "unit_a"):
        actor = actor_for(personas.users[who])
        signal = profile.organisation_profile(
            actor=actor, organisation_id=a, year=rect.year
        ).signal("consultation.total")
        assert signal.value == 1, who
        query = QueryDict(signal.url.split("?", 1)[1])
        listed = rect_selectors.rectification_ledger(actor=actor, filters=query)
        assert list(listed.values_list("pk", flat=True)) == [rect.pk], who
