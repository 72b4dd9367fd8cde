"""Deadline tests: a calendar seeded from the package, a record type whose manage action
belongs to the congress side, and a helper that opens a deadline on it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone

from wulian.core import access
from wulian.core.choices import CONGRESS_SIDE
from wulian.core.deadlines import seed, workcalendar
from wulian.core.deadlines.models import CalendarDay, CalendarYear
from wulian.core.deadlines.rules import Rule

# The deadlines here sit on organisation records (any record type works); a test-only action
# stands for the record app's "manage" action: congress-side desk staff hold it.
MANAGE = "tests.deadline_record.manage"
if MANAGE not in access.registered_actions():

    @access.rule(MANAGE, describe="test: congress-side desk staff manage the record")
    def _manage(actor: access.Actor, obj: Any) -> bool:
        return bool(actor.office_org_ids(CONGRESS_SIDE))


def local(*args: int) -> datetime:
    """An aware datetime in the site's time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime(*args), timezone.get_default_timezone())


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test starts with an empty per-process calendar cache (a rolled-back test must not
    leave its calendar behind)."""
    workcalendar.invalidate()
    yield
    workcalendar.invalidate()


@pytest.fixture
def seeded(db):
    """The calendar as the data migration seeds it (a transactional test elsewhere may have
    flushed the tables)."""
    seed.fill_table(CalendarYear, CalendarDay)


@pytest.fixture
def personas(personas, seeded):
    return personas


@pytest.fixture
def open_deadline(personas):
    """open_deadline(start=…, rule=…, **overrides) → a deadline on unit A's organisation record,
    assigned by the congress working body to unit A, opened by the congress clerk."""
    from wulian.core.deadlines import services

    def make(**kw: Any):
        args: dict[str, Any] = {
            "actor": personas.congress_clerk,
            "record": personas.orgs["unit_a"],
            "kind": "answer",
            "title": "答复代表建议",
            "rule": Rule.working_days(5),
            "responsible_org": personas.orgs["unit_a"],
            "assigner_org": personas.orgs["congress_body"],
            "manage_action": MANAGE,
        }
        args.update(kw)
        return services.deadline_open(**args)

    return make
