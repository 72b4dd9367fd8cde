"""暗访 (RESTRICTED_KINDS): an undercover visit is seen only by its organisers until the bulletin
that reports it is issued — in the list, on its page, through the API, in the calendar export
and on the pages of the records it is linked to; then the ordinary rule applies."""

from __future__ import annotations

import pytest

from tests.activities.helpers import make_activity
from tests.livelihood.helpers import make_project
from tests.personas import client_for
from wulian.core import access
from wulian.core.access import actor_for
from wulian.core.activities.choices import ActivityKind
from wulian.core.activities.models import Activity
from wulian.core.activities.services import activity_record_link
from wulian.core.bulletins.services import issue_bulletin

pytestmark = pytest.mark.django_db
TITLE = "停车泊位建设暗访"


@pytest.fixture
def visit(personas):
    return make_activity(personas, kind=ActivityKind.UNDERCOVER_VISIT, title=TITLE)


def _seen_by(personas, activity) -> set[str]:
    return {
        name
        for name, user in personas.users.items()
        if access.can(user, "activities.activity.view", activity)
    }


def test_before_its_bulletin_only_the_organisers_see_an_undercover_visit(personas, visit):
    assert _seen_by(personas, visit) == {"congress_clerk"}
    for name, user in personas.users.items():
        listed = access.scope(user, "activities.activity.view", Activity.objects.all())
        assert listed.filter(pk=visit.pk).exists() == (name == "congress_clerk"), name
    # An ordinary activity with the same people is seen by its participants and supervisors.
    ordinary = make_activity(personas, title="集中视察")
    assert {"unit_a", "stationed", "cdi_officer"} <= _seen_by(personas, ordinary)


def test_its_page_the_api_and_the_calendar_keep_it_from_everyone_else(personas, visit):
    unit_a, stationed = client_for(personas.unit_a), client_for(personas.stationed)
    assert unit_a.get(visit.get_absolute_url()).status_code == 403
    assert stationed.get(visit.get_absolute_url()).status_code == 403
    assert TITLE not in stationed.get("/activities/").content.decode()
    assert stationed.get(f"/api/v1/activities/{visit.pk}/").status_code == 404
    assert TITLE not in stationed.get("/api/v1/activities/").content.decode()
    assert TITLE not in stationed.get("/activities/meetings.ics").content.decode()
    clerk = client_for(personas.congress_clerk)
    assert clerk.get(visit.get_absolute_url()).status_code == 200
    assert TITLE in clerk.get("/activities/").content.decode()


def test_a_linked_project_s_page_does_not_name_it_before_the_bulletin(personas, visit):
    project = make_project(personas)
    activity_record_link(
        actor=actor_for(personas.congress_clerk), activity_id=visit.pk, record=project
    )
    page = client_for(personas.deputy).get(project.get_absolute_url()).content.decode()
    assert TITLE not in page
    page = client_for(personas.congress_clerk).get(project.get_absolute_url()).content.decode()
    assert TITLE in page


def test_once_its_bulletin_is_issued_the_ordinary_rule_applies(personas, visit):
    clerk = actor_for(personas.congress_clerk)
    bulletin = issue_bulletin(
        clerk,
        issuer_id=personas.orgs["congress_body"].pk,
        title="暗访情况通报",
        body="一、情况\n发现问题。",
        recipient_ids=[personas.orgs["cdi"].pk],
        linked_record=visit,
    )
    assert bulletin.state == "issued"
    assert {"congress_clerk", "unit_a", "stationed", "cdi_officer"} <= _seen_by(personas, visit)
    assert client_for(personas.stationed).get(visit.get_absolute_url()).status_code == 200
