"""联商 records for tests, made through the services. Used by the consultation tests, the
route matrix and the policy matrix.

Who is who: the congress working body's clerk (`congress_clerk`) enters the congress side's
matters and leads analyses; the CDI's staff (`cdi_officer`) enters the CDI's; the CDI's clue
officer and the stationed group are desk seats of the CDI side (they read); nobody else uses
the register."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from tests.personas import Personas
from wulian.consultation import services
from wulian.consultation.models import Analysis, Matter
from wulian.consultation.services.imports import COLUMNS, SHEET
from wulian.core.access import actor_for

OWNER = {"congress": ("congress_clerk", "congress_body"), "cdi": ("cdi_officer", "cdi")}


def make_matter(
    p: Personas, side: str = "congress", sensitivity: str = "shared", **data: Any
) -> Matter:
    who, org = OWNER[side]
    return services.matter_create(
        actor=actor_for(p.users[who]),
        data={
            "owner_org_id": p.orgs[org].pk,
            "kind": "supervision_plan",
            "title": f"{side} 2027年监督工作计划",
            "year": 2027,
            "starts_on": date(2027, 1, 1),
            "ends_on": date(2027, 12, 31),
            "sensitivity": sensitivity,
            "status": "planned",
            **data,
        },
    )


def make_analysis(p: Personas, **data: Any) -> Analysis:
    return services.analysis_create(
        actor=actor_for(p.congress_clerk),
        data={
            "title": "2026年度审计查出问题整改情况联合研判",
            "subject": "audit",
            "year": 2027,
            "lead_org_id": p.orgs["congress_body"].pk,
            "partner_org_id": p.orgs["cdi"].pk,
            **data,
        },
    )


HEADER = [name for _key, name, _required in COLUMNS]


def workbook(rows: list[list[Any]], header: list[str] | None = None, sheet: str = SHEET) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header or HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def good_row(i: int = 1, status: str = "已整改") -> list[Any]:
    return [f"被审计单位{i}", "", "预算执行", f"问题{i}", "12.5", "按期整改", "2027-06-30", status]


def shared_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_matter(p, "cdi", "shared").pk}


def cdi_internal_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_matter(p, "cdi", "internal").pk}


def congress_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_matter(p, "congress", "shared").pk}


def inspection_kwargs(p: Personas) -> dict[str, Any]:
    """A congress law-enforcement inspection with its fields entered (unit A inspected)."""
    matter = make_matter(p, "congress", "shared", kind="law_inspection", title="执法检查")
    services.inspection_save(
        actor=actor_for(p.congress_clerk),
        matter_id=matter.pk,
        version=matter.version,
        data={
            "law": "《中小企业促进法》",
            "scope": "市直部门",
            "department_ids": [p.orgs["unit_a"].pk],
        },
    )
    return {"pk": matter.pk}


def analysis_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_analysis(p).pk}
