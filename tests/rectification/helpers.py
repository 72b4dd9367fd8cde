"""Findings and rectifications for tests, built directly (the services are tested on their
own). Used by the rectification tests and by the route and policy matrices."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from tests.personas import Personas
from wulian.core import records
from wulian.core.choices import Sensitivity
from wulian.core.rectification.choices import RectificationState
from wulian.core.rectification.models import Finding, ProgressReport, Rectification


def make_finding(
    p: Personas,
    *,
    units: tuple[str, ...] = ("unit_a",),
    sensitivity: str = Sensitivity.INTERNAL,
    state: str = RectificationState.AWAITING_COMMITMENT,
    record: Any = None,
    title: str = "养老服务补贴发放不及时",
    **fields: Any,
) -> Finding:
    """A finding of the congress working body about unit A, found on unit A's organisation
    record (any record type will do), with one rectification per unit in `state`."""
    record = record if record is not None else p.orgs["unit_a"]
    finding = Finding.objects.create(
        **records.reference(record),
        about_organisation=p.orgs[units[0]],
        found_by_org=p.orgs["congress_body"],
        found_by=p.users["congress_clerk"].person,
        raised_by=p.users["congress_clerk"],
        title=title,
        description="部分街道的补贴发放延迟两个月以上。",
        found_at=fields.pop("found_at", date(2026, 6, 1)),
        sensitivity=sensitivity,
        **fields,
    )
    for unit in units:
        rect = Rectification(
            finding=finding,
            responsible_org=p.orgs[unit],
            raising_org=finding.found_by_org,
            year=finding.found_at.year,
            state=state,
        )
        if state != RectificationState.AWAITING_COMMITMENT:
            rect.commitment = "建立补贴发放台账，逐月核对。"
            rect.planned_completion = date(2026, 9, 30)
            rect.committed_at = timezone.now()
        if state in (RectificationState.SUBMITTED, RectificationState.CLOSED):
            rect.submitted_at = timezone.now()
        if state == RectificationState.CLOSED:
            rect.closed_at = timezone.now()
        rect.save()
    return finding


def raise_data(p, **over: Any) -> dict[str, Any]:
    return {
        "title": "养老服务补贴发放不及时",
        "description": "部分街道补贴发放延迟两个月以上。",
        "severity": "serious",
        "found_at": date(2026, 6, 10),
        "sensitivity": "internal",
        "about_organisation_id": p.orgs["unit_a"].pk,
        "found_by_org_id": p.orgs["congress_body"].pk,
        "responsible_org_ids": [p.orgs["unit_a"].pk, p.orgs["unit_b"].pk],
        "rectification_months": 3,
        **over,
    }


def make_rectification(p: Personas, unit: str = "unit_a", **kw: Any) -> Rectification:
    return make_finding(p, units=(unit,), **kw).rectifications.get()


def make_report(rect: Rectification, p: Personas, unit: str = "unit_a") -> ProgressReport:
    return ProgressReport.objects.create(
        rectification=rect,
        text="已完成两个街道的补发。",
        author=p.users[unit],
        author_org=p.orgs[unit],
        reported_at=timezone.now(),
    )


# --- Route-matrix rows -------------------------------------------------------------------


def rect_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_rectification(p).pk}


def submitted_rect_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_rectification(p, state=RectificationState.SUBMITTED).pk}


def in_progress_rect_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_rectification(p, state=RectificationState.IN_PROGRESS).pk}


def finding_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_finding(p).pk}


def raise_kwargs(p: Personas) -> dict[str, Any]:
    return {"record_type": "core.organisation", "record_id": p.orgs["unit_a"].pk}


# --- Policy-matrix records ---------------------------------------------------------------


def rect_case(name: str):
    """Record functions for tests/core/test_policy_matrix.py, built once per test world:
    "finding" (internal, unit A), "finding_ab" (units A and B), "confidential" (unit A);
    "rect_a" / "rect_b" (of finding_ab), "rect_confidential", "report_open" (in progress),
    "report_submitted"."""

    def build(world: Any, who: str) -> Any:
        cache = world.__dict__.setdefault("_rect", {})
        p = world.p
        if not cache:
            cache["finding"] = make_finding(p, title="内部问题")
            cache["finding_ab"] = make_finding(p, units=("unit_a", "unit_b"), title="两单位问题")
            cache["confidential"] = make_finding(
                p, sensitivity=Sensitivity.CONFIDENTIAL, title="机密问题"
            )
            ab = cache["finding_ab"].rectifications.order_by("id")
            cache["rect_a"], cache["rect_b"] = ab[0], ab[1]
            cache["rect_confidential"] = cache["confidential"].rectifications.get()
            open_rect = make_rectification(p, state=RectificationState.IN_PROGRESS)
            cache["report_open"] = make_report(open_rect, p)
            done = make_rectification(p, state=RectificationState.SUBMITTED)
            cache["report_submitted"] = make_report(done, p)
        return cache[name]

    return build
