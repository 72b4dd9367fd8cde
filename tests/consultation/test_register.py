"""The register of major matters: entering, changing and linking, and who sees which matter
across the two sides (the access matrix itself: tests/core/test_policy_matrix.py)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests.consultation.helpers import make_analysis, make_matter
from wulian.consultation import selectors, services
from wulian.consultation.models import Matter
from wulian.core.access import actor_for
from wulian.core.errors import AccessDenied, ConcurrentEdit, ValidationFailed
from wulian.core.models import AuditEvent

pytestmark = [pytest.mark.django_db]
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime(2027, 3, 1, 10, 0, tzinfo=SH), tick=False):
        yield


def _data(**over):
    return {
        "kind": "campaign",
        "title": "群众身边不正之风和腐败问题专项治理",
        "year": 2027,
        "starts_on": date(2027, 3, 1),
        "ends_on": date(2027, 12, 31),
        "sensitivity": "shared",
        "status": "ongoing",
        **over,
    }


def test_a_cdi_matter_enters_the_register_on_the_cdi_side_with_one_audit_event(personas):
    actor = actor_for(personas.cdi_officer)
    matter = services.matter_create(
        actor=actor, data={**_data(), "owner_org_id": personas.orgs["cdi"].pk}
    )
    assert matter.side == "cdi" and matter.version == 1
    events = AuditEvent.objects.filter(action="consultation.matter.created")
    assert events.count() == 1


def test_an_internal_cdi_matter_is_invisible_to_congress_staff_in_lists_pages_and_api(
    personas, client_of
):
    internal = make_matter(personas, "cdi", "internal", title="重点问题线索集中处置安排")
    shared = make_matter(personas, "cdi", "shared")
    clerk = actor_for(personas.congress_clerk)
    listed = set(selectors.matter_list(actor=clerk).values_list("pk", flat=True))
    assert shared.pk in listed and internal.pk not in listed
    in_calendar = [
        pk for month in selectors.calendar(actor=clerk, year=2027) for pk, _t in month.cdi
    ]
    assert shared.pk in in_calendar and internal.pk not in in_calendar
    client = client_of(personas.congress_clerk)
    assert client.get(reverse("consultation:matter_detail", args=[internal.pk])).status_code == 403
    assert (
        "重点问题线索集中处置安排"
        not in client.get(reverse("consultation:register")).content.decode()
    )
    api = client.get(f"/api/v1/consultation/matters/{internal.pk}/")
    assert api.status_code == 404
    # The CDI's own staff, and the stationed group (the CDI side), see it.
    for who in ("cdi_officer", "stationed"):
        actor = actor_for(personas.users[who])
        assert internal.pk in set(selectors.matter_list(actor=actor).values_list("pk", flat=True))


def test_only_the_owning_organisation_changes_a_matter(personas):
    matter = make_matter(personas, "cdi", "shared")
    with pytest.raises(AccessDenied):
        services.matter_update(
            actor=actor_for(personas.congress_clerk), matter_id=matter.pk, version=1, data=_data()
        )


def test_a_change_on_a_stale_version_is_refused(personas):
    matter = make_matter(personas, "congress", "shared")
    actor = actor_for(personas.congress_clerk)
    services.matter_update(actor=actor, matter_id=matter.pk, version=1, data=_data(status="done"))
    with pytest.raises(ConcurrentEdit):
        services.matter_update(actor=actor, matter_id=matter.pk, version=1, data=_data())
    assert Matter.objects.get(pk=matter.pk).status == "done"


def test_bad_input_says_what_to_fix_and_saves_nothing(personas):
    actor = actor_for(personas.congress_clerk)
    with pytest.raises(ValidationFailed) as exc:
        services.matter_create(
            actor=actor,
            data={
                **_data(title="", ends_on=date(2027, 1, 1)),
                "owner_org_id": personas.orgs["congress_body"].pk,
            },
        )
    assert set(exc.value.field_errors) == {"title", "ends_on"}
    assert "结束日期不能早于开始日期" in exc.value.field_errors["ends_on"][0]
    with pytest.raises(ValidationFailed) as exc:
        services.matter_create(
            actor=actor, data={**_data(), "owner_org_id": personas.orgs["cdi"].pk}
        )
    assert "owner_org" in exc.value.field_errors
    assert not Matter.objects.exists()


def test_a_linked_record_is_listed_only_to_those_who_may_see_it(personas):
    matter = make_matter(personas, "congress", "shared")
    analysis = make_analysis(personas)
    clerk = actor_for(personas.congress_clerk)
    services.matter_link(actor=clerk, matter_id=matter.pk, record=analysis)
    assert [r for _l, r in selectors.linked_records(actor=clerk, matter=matter)] == [analysis]
    with pytest.raises(ValidationFailed):
        services.matter_link(actor=clerk, matter_id=matter.pk, record=analysis)  # twice
    # A record the linking person may not see is refused.
    internal = make_matter(personas, "cdi", "internal")
    with pytest.raises(ValidationFailed):
        services.matter_link(actor=clerk, matter_id=matter.pk, record=internal)


def test_the_link_step_through_the_page_and_the_api(personas, client_of):
    matter = make_matter(personas, "congress", "shared")
    analysis = make_analysis(personas)
    client = client_of(personas.congress_clerk)
    response = client.post(
        reverse("consultation:matter_link", args=[matter.pk]),
        {"record_type": "analysis", "record_id": analysis.pk},
    )
    assert response.status_code == 302
    assert matter.links.count() == 1
    api = client.post(
        f"/api/v1/consultation/matters/{matter.pk}/link/",
        {"record_type": "analysis", "record_id": 999999},
        content_type="application/json",
    )
    assert api.status_code == 400


def test_the_register_page_keeps_its_query_count(personas, client_of):
    client = client_of(personas.congress_clerk)
    make_matter(personas, "congress", "shared")
    client.get(reverse("consultation:register"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("consultation:register"))
    for i in range(19):
        make_matter(personas, "congress", "shared", title=f"事项{i}")
    with CaptureQueriesContext(connection) as twenty:
        assert client.get(reverse("consultation:register")).status_code == 200
    assert len(twenty) == len(one)
