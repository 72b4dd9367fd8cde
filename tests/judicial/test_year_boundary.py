"""A petition routed on 29 December with next year's holidays not yet entered: its answer
limit (working days) is counted provisionally and the routing goes through (issue 10)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.judicial import helpers as h
from wulian.core.deadlines import rules, seed
from wulian.core.deadlines.models import Deadline
from wulian.judicial import services

LAST = seed.package_years()[-1]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("judicial_env")]


def test_a_petition_routed_on_29_december_has_a_provisional_limit(p):
    petition = h.make_petition(p)
    with time_machine.travel(
        datetime(LAST, 12, 29, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        petition = services.petition_route(
            actor=p.users["congress_clerk"],
            petition_id=petition.pk,
            version=petition.version,
            organisation_id=p.orgs["court"].pk,
            working_days=10,
        )
    deadline = Deadline.objects.get(object_id=petition.pk, kind="petition_answer")
    assert deadline.provisional and rules.local_date(deadline.due_at).year == LAST + 1
