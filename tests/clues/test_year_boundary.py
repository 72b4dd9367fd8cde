"""A clue transferred on 29 December with next year's holidays not yet entered: its receipt
and disposition limits (working days) are counted provisionally and the transfer goes through
(issue 10, ADR 0016)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.clues.helpers import make_clue
from wulian.core import records
from wulian.core.clues import services
from wulian.core.clues.choices import ClueState
from wulian.core.deadlines import rules, seed
from wulian.core.deadlines.models import Deadline

LAST = seed.package_years()[-1]

pytestmark = pytest.mark.django_db


def test_a_clue_transferred_on_29_december_has_provisional_limits(personas):
    with time_machine.travel(
        datetime(LAST, 12, 29, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        clue = make_clue(personas, ClueState.DRAFT)
        services.clue_transfer(actor=personas.congress_clerk, clue_id=clue.pk, version=1)
    clue.refresh_from_db()
    assert clue.state == ClueState.TRANSFERRED
    limits = list(Deadline.objects.filter(**records.reference(clue)))
    assert limits and all(d.provisional for d in limits)
    assert all(rules.local_date(d.due_at).year == LAST + 1 for d in limits)
