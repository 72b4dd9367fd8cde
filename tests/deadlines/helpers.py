"""Rows for the route matrix (tests/core/test_route_matrix.py): a deadline on unit A's
organisation record — managed through `core.organisation.manage` (the system administrator),
assigned by the congress working body, handled by unit A — with a pending extension request,
and a calendar day to delete."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from tests.personas import Personas


def matrix_deadline(p: Personas) -> Any:
    from wulian.core.deadlines.models import Deadline
    from wulian.core.records import reference

    now = timezone.now()
    return Deadline.objects.create(
        **reference(p.orgs["unit_a"]),
        kind="matrix",
        title="路由矩阵期限",
        manage_action="core.organisation.manage",
        assigner_org=p.orgs["congress_body"],
        responsible_org=p.orgs["unit_a"],
        rule_kind="hours",
        rule_amount=48,
        start=now,
        due_at=now + timedelta(hours=48),
        original_due_at=now + timedelta(hours=48),
        escalate_at=now + timedelta(hours=48),
    )


def deadline_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": matrix_deadline(p).pk}


def extension_kwargs(p: Personas) -> dict[str, Any]:
    from wulian.core.deadlines.models import ExtensionRequest

    d = matrix_deadline(p)
    request = ExtensionRequest.objects.create(
        deadline=d,
        requested_by=p.users["unit_a"],
        due_before=d.due_at,
        new_due_at=d.due_at + timedelta(days=5),
        reason="路由矩阵",
    )
    return {"pk": request.pk}


def calendar_day_kwargs(p: Personas) -> dict[str, Any]:
    from wulian.core.deadlines.models import CalendarDay, CalendarYear

    year, _ = CalendarYear.objects.get_or_create(year=2099)
    day, _ = CalendarDay.objects.get_or_create(
        date=date(2099, 1, 1), defaults={"calendar_year": year, "kind": "holiday", "name": "元旦"}
    )
    return {"pk": day.pk}
