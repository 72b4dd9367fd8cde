"""Build real .xlsx files for the import tests (openpyxl, in memory)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from wulian.core.imports import ORG_COLUMNS, PERSON_COLUMNS

ORG_HEADER = [name for _key, name, _required in ORG_COLUMNS]
PERSON_HEADER = [name for _key, name, _required in PERSON_COLUMNS]


def org_row(code: str, name: str = "", kind: str = "", parent: str = "", **more: str) -> list:
    values = {"单位代码": code, "全称": name, "类型": kind, "上级单位代码": parent, **more}
    return [values.get(h, "") for h in ORG_HEADER]


def person_row(name: str, **columns: Any) -> list:
    values = {"姓名": name, **columns}
    return [values.get(h, "") for h in PERSON_HEADER]


def xlsx(
    orgs: list[list] | None = None,
    people: list[list] | None = None,
    *,
    org_header: list[str] | None = None,
    person_header: list[str] | None = None,
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "单位"
    ws.append(org_header or ORG_HEADER)
    for row in orgs or []:
        ws.append(row)
    ws = wb.create_sheet("人员")
    ws.append(person_header or PERSON_HEADER)
    for row in people or []:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
