"""Import of the reference data (organisations and people) from an .xlsx workbook.

All or nothing: every row of both sheets is checked first and each problem is reported as
(sheet, row, column, what to fix); only a file without problems is written, in one
transaction, followed by one audit event `core.reference.imported` with the counts.

The workbook has two sheets, 单位 and 人员, whose first row holds the column names below (the
template from `template_workbook()`). Column names are part of the file format and stay Chinese
whatever the interface language; choice columns accept the Chinese label or the code value.

Rules:
- 单位: an existing 单位代码 updates that organisation (blank cells leave its values unchanged);
  上级单位代码 may name an organisation defined later in the sheet or already in the system.
- 人员: a row with a 代表证号 already in the system updates that deputy; every other row
  creates a person. 单位代码 + 角色 (+ 岗位) add a membership, 代表证号 sets the deputy
  profile and 专家类别 the expert profile. Administrator roles cannot be imported: they are
  granted by the security administrator only (三员分立); nor can the roles of the CDI side,
  which need the security administrator and a CDI officer's confirmation (docs/adr/0014).

Untrusted input: the size, the number of rows and the uncompressed size of the zip are
bounded before parsing; openpyxl parses XML through defusedxml; formulas are read as their
cached values and never evaluated.

Other apps' imports (one sheet of their own, all or nothing) reuse the reading part through
this small public API rather than re-implementing the bounds:

- `read_upload(file)`: the upload's bytes, refused when empty or over `IMPORT_MAX_BYTES`;
- `check_container(data)`: refuses anything but a plain .xlsx (an .xls, an encrypted workbook,
  a zip that is not a workbook, or one that would expand beyond the bound);
- `read_sheet(ws, sheet, columns, errors)`: reads one worksheet into `sheet` (a `Sheet` of
  `Row`s keyed by column key), checking its header row against `columns` and putting each
  problem as a `RowError` into `errors`; refuses more than `IMPORT_MAX_ROWS` data rows.

A caller opens the workbook itself (`openpyxl.load_workbook(..., read_only=True,
data_only=True)`) between `check_container` and `read_sheet`, and reports `RowError`s as the
reference import does.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Model, TextChoices
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wulian.core import access, audit, text, xlsx
from wulian.core.choices import ADMIN_ROLES, DeputyLevel, ExpertCategory, Gender, OrgKind, Role
from wulian.core.errors import ValidationFailed
from wulian.core.models import DeputyProfile, ExpertProfile, Membership, Organisation, Person
from wulian.core.policies import TIER_ORDINARY, grant_tier

ORG_SHEET = "单位"
PERSON_SHEET = "人员"

# (key, column name, header required). The column names are the file format.
ORG_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("code", "单位代码", True),
    ("name", "全称", True),
    ("short_name", "简称", False),
    ("kind", "类型", True),
    ("parent_code", "上级单位代码", False),
    ("region", "所在区县", False),
)
PERSON_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("name", "姓名", True),
    ("gender", "性别", False),
    ("title", "职务", False),
    ("phone", "联系电话", False),
    ("email", "电子邮箱", False),
    ("org_code", "单位代码", False),
    ("role", "角色", False),
    ("post", "岗位", False),
    ("certificate_no", "代表证号", False),
    ("level", "代表层级", False),
    ("delegation", "代表团", False),
    ("station_code", "联络站代码", False),
    ("term", "届次", False),
    ("category", "专家类别", False),
    ("specialties", "专业领域", False),
    ("employer", "工作单位", False),
    ("law_firm", "律师事务所", False),
)
# Other spellings accepted in the header row.
HEADER_ALIASES = {"代表团（选区）": "代表团", "代表团(选区)": "代表团", "单位全称": "全称"}

# Model field → column, to put a model validation error on the column the person typed into.
_ORG_FIELD_COLUMN = {
    "code": "单位代码",
    "name": "全称",
    "short_name": "简称",
    "kind": "类型",
    "parent": "上级单位代码",
    "region": "所在区县",
}
_PERSON_FIELD_COLUMN = {
    "name": "姓名",
    "gender": "性别",
    "title": "职务",
    "phone": "联系电话",
    "email": "电子邮箱",
}
_MEMBERSHIP_FIELD_COLUMN = {"organisation": "单位代码", "role": "角色", "post": "岗位"}
_DEPUTY_FIELD_COLUMN = {
    "certificate_no": "代表证号",
    "level": "代表层级",
    "delegation": "代表团",
    "liaison_station": "联络站代码",
    "term": "届次",
}
_EXPERT_FIELD_COLUMN = {
    "category": "专家类别",
    "specialties": "专业领域",
    "employer": "工作单位",
    "law_firm": "律师事务所",
}

COUNT_LABELS: dict[str, str | Promise] = {
    "organisations_created": gettext_lazy("新增单位"),
    "organisations_updated": gettext_lazy("更新单位"),
    "people_created": gettext_lazy("新增人员"),
    "people_updated": gettext_lazy("更新人员"),
    "memberships_added": gettext_lazy("新增任职"),
    "memberships_updated": gettext_lazy("更新任职"),
    "deputy_profiles_saved": gettext_lazy("保存代表信息"),
    "expert_profiles_saved": gettext_lazy("保存专家信息"),
}

# Lists typed into one cell: 民事、行政, 民事,行政 or 民事，行政.
_LIST_SEPARATORS = re.compile(r"[,，、;；\n]+")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MAX_ZIP_ENTRIES = 10_000


@dataclass(frozen=True)
class RowError:
    """One problem in the file: where it is and what to fix. Row 1 is the header row."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("“%(sheet)s”表第 %(row)d 行") % {"sheet": self.sheet, "row": self.row}
        if self.column:
            where += _("“%(column)s”列") % {"column": self.column}
        return f"{where}：{self.message}"


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return "，".join(
            f"{COUNT_LABELS[k]} {v}" for k, v in self.counts.items() if k in COUNT_LABELS
        )


# --- Reading the file ------------------------------------------------------------------------


@dataclass
class Row:
    """One data row of a sheet: its row number in the file (the header is row 1) and the
    non-empty cells by column key, as trimmed text."""

    number: int
    values: dict[str, str]

    def get(self, key: str) -> str:
        return self.values.get(key, "")


@dataclass
class Sheet:
    """What `read_sheet` read from one worksheet: `present` once read, `header_ok` when no
    required column is missing and none repeats (only then are its rows worth checking), and
    the data rows (empty rows skipped)."""

    name: str
    present: bool = False
    header_ok: bool = True
    rows: list[Row] = field(default_factory=list)


def _max_uncompressed() -> int:
    return int(
        getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", 20 * int(settings.IMPORT_MAX_BYTES))
    )


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, field_errors={"file": [message]})


def _not_xlsx() -> ValidationFailed:
    return _refuse(
        _(
            "无法读取该文件：它不是有效的 Excel 工作簿（.xlsx）。"
            "请下载导入模板，填写后以 .xlsx 格式保存再上传。"
        )
    )


def read_upload(file: Any) -> bytes:
    """The uploaded file's bytes (an UploadedFile, any binary file object, or bytes), read at
    most to the limit. Refused (ValidationFailed on `file`) when empty or larger than
    `IMPORT_MAX_BYTES`."""
    limit = int(settings.IMPORT_MAX_BYTES)
    too_big = _refuse(
        _("文件过大：导入文件不能超过 %(mb)s MB。请拆分成多个文件分批导入。")
        % {"mb": f"{limit / 1024 / 1024:g}"}
    )
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        size = getattr(file, "size", None)
        if size is not None and size > limit:
            raise too_big
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
    if len(data) > limit:
        raise too_big
    if not data:
        raise _refuse(_("文件是空的，请选择填写好的导入文件。"))
    return data


def check_container(data: bytes) -> None:
    """An .xlsx is a zip; refuse anything else and zips that expand beyond the limit
    (ValidationFailed on `file`). Call it before handing the bytes to openpyxl."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _refuse(
            _(
                "这是旧版 Excel（.xls）文件或加密的工作簿，无法导入。"
                "请在 Excel 中“另存为”Excel 工作簿（.xlsx），不设密码，再上传。"
            )
        )
    if data[:4] != b"PK\x03\x04":
        raise _not_xlsx()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _not_xlsx() from None
    # Each member is read at most to its declared size (zipfile stops there), so the sum of
    # declared sizes bounds what parsing can expand to.
    expanded = sum(max(e.file_size, 0) for e in entries)
    if len(entries) > _MAX_ZIP_ENTRIES or expanded > _max_uncompressed():
        raise _refuse(
            _("文件解压后过大（可能是异常或被篡改的文件），已拒绝。请用导入模板重新填写后上传。")
        )
    names = {e.filename for e in entries}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise _not_xlsx()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    # NFC, no bidi controls; a cell of invisible characters only is empty (see core.text).
    return text.normalise(str(value)).strip()


def _header(value: Any) -> str:
    name = _text(value).replace("*", "").replace("＊", "").strip()
    return HEADER_ALIASES.get(name, name)


def read_sheet(
    ws: Any,
    sheet: Sheet,
    columns: tuple[tuple[str, str, bool], ...],
    errors: list[RowError],
    budget: list[int] | None = None,
) -> None:
    """Read the worksheet `ws` into `sheet`.

    `columns`: (key, column name, required) — the names are the file format; a trailing `*`
    and the spellings in `HEADER_ALIASES` are accepted in the header row. An unknown, repeated
    or missing required column is a `RowError` on row 1 in `errors`. Cells come back as trimmed
    text (whole numbers without `.0`, dates as ISO dates). `budget` is a one-element counter of
    the data rows read so far, shared by the sheets of one file (a fresh one when omitted);
    beyond `IMPORT_MAX_ROWS` the file is refused (ValidationFailed)."""
    if budget is None:
        budget = [0]
    sheet.present = True
    rows = ws.iter_rows(values_only=True)
    header_row = next(rows, None) or ()
    by_name = {name: key for key, name, _required in columns}
    positions: dict[int, str] = {}
    seen: set[str] = set()
    unknown: set[str] = set()
    for index, raw in enumerate(header_row):
        name = _header(raw)
        if not name:
            continue
        if name not in by_name:
            unknown.add(name)
            errors.append(
                RowError(
                    sheet.name,
                    1,
                    name,
                    _("无法识别的列名。请使用导入模板中的列名：%(names)s。")
                    % {"names": "、".join(by_name)},
                )
            )
            continue
        if name in seen:
            errors.append(RowError(sheet.name, 1, name, _("该列重复出现，请删除多余的一列。")))
            continue
        seen.add(name)
        positions[index] = by_name[name]
    for _key, name, required in columns:
        if required and name not in seen:
            errors.append(
                RowError(sheet.name, 1, name, _("缺少此列。请使用导入模板，第一行为列名。"))
            )
    # Rows are checked unless a required column is missing or a column repeats.
    sheet.header_ok = not any(e.sheet == sheet.name and e.column not in unknown for e in errors)
    for number, raw_row in enumerate(rows, start=2):
        values = {
            positions[i]: _text(v)
            for i, v in enumerate(raw_row)
            if i in positions and v is not None
        }
        values = {k: v for k, v in values.items() if v}
        if not values:
            continue
        budget[0] += 1
        if budget[0] > int(settings.IMPORT_MAX_ROWS):
            raise _refuse(
                _("行数过多：一次最多导入 %(max)d 行数据。请拆分成多个文件分批导入。")
                % {"max": int(settings.IMPORT_MAX_ROWS)}
            )
        sheet.rows.append(Row(number, values))


def _read_workbook(data: bytes) -> tuple[Sheet, Sheet, list[RowError]]:
    check_container(data)
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise _not_xlsx() from None
    orgs, people = Sheet(ORG_SHEET), Sheet(PERSON_SHEET)
    errors: list[RowError] = []
    budget = [0]
    try:
        names = {name.strip(): name for name in wb.sheetnames}
        if ORG_SHEET not in names and PERSON_SHEET not in names:
            raise _refuse(_("文件中没有“单位”或“人员”工作表。请下载导入模板，在模板中填写后上传。"))
        try:
            if ORG_SHEET in names:
                read_sheet(wb[names[ORG_SHEET]], orgs, ORG_COLUMNS, errors, budget)
            if PERSON_SHEET in names:
                read_sheet(wb[names[PERSON_SHEET]], people, PERSON_COLUMNS, errors, budget)
        except ValidationFailed:
            raise
        except Exception:
            raise _not_xlsx() from None
    finally:
        wb.close()
    if not errors and not orgs.rows and not people.rows:
        raise _refuse(_("文件中没有数据：请在“单位”或“人员”表的第二行起填写。"))
    return orgs, people, errors


def read_one_sheet(
    data: bytes, sheet_name: str, columns: tuple[tuple[str, str, bool], ...]
) -> tuple[Sheet, list[RowError]]:
    """An app's import of one sheet of its own: the container checked, the sheet `sheet_name`
    read against `columns` (a missing sheet, a damaged file, an empty sheet refused with what
    to do)."""
    check_container(data)
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise _not_xlsx() from None
    sheet = Sheet(sheet_name)
    errors: list[RowError] = []
    try:
        names = {name.strip(): name for name in wb.sheetnames}
        if sheet_name not in names:
            raise _refuse(
                _("文件中没有“%(s)s”工作表。请下载导入模板，在模板中填写后上传。")
                % {"s": sheet_name}
            )
        try:
            read_sheet(wb[names[sheet_name]], sheet, columns, errors)
        except ValidationFailed:
            raise
        except Exception:
            raise _not_xlsx() from None
    finally:
        wb.close()
    if not errors and not sheet.rows:
        raise _refuse(_("文件中没有数据：请在“%(s)s”表的第二行起填写。") % {"s": sheet_name})
    return sheet, errors


def no_progress(done: int) -> None:
    """No one follows an import run in the request (an app import's default `progress`)."""


def counts_text(result: ImportResult, labels: dict[str, Any]) -> str:
    """An app import's counts in words, "label n" joined (a count without a label by its key)."""
    return "，".join(f"{labels.get(k, k)} {v}" for k, v in result.counts.items())


def result_json(result: ImportResult) -> dict[str, Any]:
    """An import's result as the API answers it: ok, the counts and each problem's place."""
    return {
        "ok": result.ok,
        "counts": result.counts,
        "errors": [
            {"sheet": e.sheet, "row": e.row, "column": e.column, "message": e.message}
            for e in result.errors
        ],
    }


# --- Checking the rows --------------------------------------------------------------------


def _source(label: Any) -> str:
    with translation.override(None):
        return str(label)


def _choice_lookup(choices: type[TextChoices], exclude: Iterable[str] = ()) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for member in choices:
        if member.value in exclude:
            continue
        for spelling in (member.value, _source(member.label), str(member.label)):
            if spelling:
                lookup[spelling.casefold()] = member.value
    return lookup


def _choice_help(choices: type[TextChoices], exclude: Iterable[str] = ()) -> str:
    return "、".join(_source(m.label) for m in choices if m.value not in exclude and m.value)


class _Checker:
    """Collects errors for one row at a time."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        self._columns: dict[tuple[str, int], set[str]] = {}
        self._lookups: dict[tuple[type, frozenset[str]], dict[str, str]] = {}

    def lookup(self, choices: type[TextChoices], exclude: Iterable[str] = ()) -> dict[str, str]:
        key = (choices, frozenset(exclude))
        if key not in self._lookups:
            self._lookups[key] = _choice_lookup(choices, exclude)
        return self._lookups[key]

    def add(self, sheet: str, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(sheet, row, column, message))
        self._columns.setdefault((sheet, row), set()).add(column)

    def choice(
        self,
        sheet: str,
        row: Row,
        key: str,
        column: str,
        choices: type[TextChoices],
        exclude: Iterable[str] = (),
    ) -> str | None:
        value = row.get(key)
        if not value:
            return None
        found = self.lookup(choices, exclude).get(value.casefold())
        if found is None:
            self.add(
                sheet,
                row.number,
                column,
                _("“%(value)s”不是有效的%(column)s。请填写以下之一：%(allowed)s。")
                % {"value": value, "column": column, "allowed": _choice_help(choices, exclude)},
            )
        return found

    def model(
        self, sheet: str, row: int, obj: Model, columns: dict[str, str], exclude: list[str]
    ) -> None:
        try:
            obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            reported = set(self._columns.get((sheet, row), ()))
            for name, messages in exc.message_dict.items():
                column = columns.get(name, "")
                if column and column in reported:
                    continue  # already said, in the words of the import
                for message in messages:
                    self.add(sheet, row, column, str(message))


@dataclass
class _OrgPlan:
    row: Row
    obj: Organisation
    is_new: bool
    parent_code: str | None  # None: leave the parent as it is; "": no parent
    changed: bool = False


@dataclass
class _PersonPlan:
    row: Row
    person: Person
    is_new: bool
    changed: bool = False
    membership: tuple[str, str, str] | None = None  # (org code, role, post)
    deputy: DeputyProfile | None = None
    deputy_new: bool = False
    deputy_changed: bool = False
    station_code: str | None = None
    expert: ExpertProfile | None = None
    expert_new: bool = False
    expert_changed: bool = False


_ORG_DATA_FIELDS = ("name", "short_name", "kind", "region")
_PERSON_DATA_FIELDS = ("name", "gender", "title", "phone", "email")
_DEPUTY_DATA_FIELDS = ("certificate_no", "level", "delegation", "liaison_station_id", "term")
_EXPERT_DATA_FIELDS = ("category", "specialties", "employer", "law_firm")


def _values(obj: Model, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def split_list(value: str) -> list[str]:
    """'民事、行政, 民事' → ['民事', '行政']: split on commas and 、, drop blanks and repeats."""
    items: list[str] = []
    for part in _LIST_SEPARATORS.split(value or ""):
        part = part.strip()
        if part and part not in items:
            items.append(part)
    return items


def _check_orgs(
    sheet: Sheet, known: dict[str, dict[str, Any]], locked: dict[str, Organisation], c: _Checker
) -> list[_OrgPlan]:
    plans: list[_OrgPlan] = []
    first_row: dict[str, int] = {}
    sheet_codes = {r.get("code") for r in sheet.rows if r.get("code")}
    for row in sheet.rows:
        code = row.get("code")
        if not code:
            c.add(ORG_SHEET, row.number, "单位代码", _("请填写单位代码。"))
            continue
        if code in first_row:
            c.add(
                ORG_SHEET,
                row.number,
                "单位代码",
                _("单位代码“%(code)s”与第 %(row)d 行重复，每个单位只能填写一行。")
                % {"code": code, "row": first_row[code]},
            )
            continue
        first_row[code] = row.number
        existing = locked.get(code)
        kind = c.choice(ORG_SHEET, row, "kind", "类型", OrgKind)
        if existing is None:
            obj = Organisation(code=code)
            if not row.get("name"):
                c.add(ORG_SHEET, row.number, "全称", _("新单位须填写全称。"))
            if not row.get("kind"):
                c.add(
                    ORG_SHEET,
                    row.number,
                    "类型",
                    _("新单位须填写类型：%(allowed)s。") % {"allowed": _choice_help(OrgKind)},
                )
        else:
            obj = existing
        before = {f: getattr(obj, f) for f in _ORG_DATA_FIELDS}
        for key in ("name", "short_name", "region"):
            if row.get(key):
                setattr(obj, key, row.get(key))
        if kind:
            obj.kind = kind
        parent_code: str | None = None if existing is not None else ""
        if row.get("parent_code"):
            parent_code = row.get("parent_code")
            if parent_code == code:
                c.add(ORG_SHEET, row.number, "上级单位代码", _("上级单位不能是本单位。"))
            elif parent_code not in sheet_codes and parent_code not in known:
                c.add(
                    ORG_SHEET,
                    row.number,
                    "上级单位代码",
                    _(
                        "上级单位代码“%(code)s”不存在。请填写系统中已有的单位代码，"
                        "或在“单位”表中添加该单位。"
                    )
                    % {"code": parent_code},
                )
        c.model(ORG_SHEET, row.number, obj, _ORG_FIELD_COLUMN, exclude=["parent"])
        plan = _OrgPlan(row=row, obj=obj, is_new=existing is None, parent_code=parent_code)
        plan.changed = existing is None or before != {f: getattr(obj, f) for f in _ORG_DATA_FIELDS}
        plans.append(plan)
    _check_cycles(plans, known, c)
    return plans


def _check_cycles(plans: list[_OrgPlan], known: dict[str, dict[str, Any]], c: _Checker) -> None:
    """The parents after the import must form a tree: no organisation above itself."""
    parent_of: dict[str, str] = {
        code: info["parent_code"] for code, info in known.items() if info["parent_code"]
    }
    for plan in plans:
        if plan.parent_code is None:
            continue
        if plan.parent_code:
            parent_of[plan.obj.code] = plan.parent_code
        else:
            parent_of.pop(plan.obj.code, None)
    for plan in plans:
        start = plan.obj.code
        path = [start]
        current = parent_of.get(start)
        while current is not None and current not in path:
            path.append(current)
            current = parent_of.get(current)
        if current == start and len(path) > 1:
            c.add(
                ORG_SHEET,
                plan.row.number,
                "上级单位代码",
                _("上级单位形成了循环（%(path)s）。请更正上级单位代码。")
                % {"path": " → ".join([*path, start])},
            )


def _check_people(
    sheet: Sheet,
    org_plans: list[_OrgPlan],
    known: dict[str, dict[str, Any]],
    deputies: dict[str, DeputyProfile],
    experts: dict[int, ExpertProfile],
    c: _Checker,
) -> list[_PersonPlan]:
    sheet_kinds = {p.obj.code: p.obj.kind for p in org_plans}
    plans: list[_PersonPlan] = []
    first_row: dict[str, int] = {}
    for row in sheet.rows:
        n = row.number
        cert = row.get("certificate_no")
        if cert and cert in first_row:
            c.add(
                PERSON_SHEET,
                n,
                "代表证号",
                _("代表证号“%(cert)s”与第 %(row)d 行重复，每位代表只能填写一行。")
                % {"cert": cert, "row": first_row[cert]},
            )
            continue
        if cert:
            first_row[cert] = n
        existing = deputies.get(cert) if cert else None
        person = existing.person if existing is not None else Person()
        if not row.get("name"):
            c.add(PERSON_SHEET, n, "姓名", _("请填写姓名。"))
        before = {f: getattr(person, f) for f in _PERSON_DATA_FIELDS}
        for key in ("name", "title", "phone", "email"):
            if row.get(key):
                setattr(person, key, row.get(key))
        gender = c.choice(PERSON_SHEET, row, "gender", "性别", Gender)
        if gender is not None:
            person.gender = gender
        c.model(PERSON_SHEET, n, person, _PERSON_FIELD_COLUMN, exclude=["user"])
        plan = _PersonPlan(row=row, person=person, is_new=existing is None)
        plan.changed = existing is None or before != {
            f: getattr(person, f) for f in _PERSON_DATA_FIELDS
        }

        # Membership: 单位代码 + 角色 (+ 岗位).
        org_code, role_text = row.get("org_code"), row.get("role")
        role = None
        if role_text and c.lookup(Role).get(role_text.casefold()) in ADMIN_ROLES:
            c.add(
                PERSON_SHEET,
                n,
                "角色",
                _("管理员角色不能通过导入设置，只能由安全管理员在系统中授予。请删除该角色。"),
            )
        else:
            role = c.choice(PERSON_SHEET, row, "role", "角色", Role, exclude=ADMIN_ROLES)
        if org_code and not role_text:
            c.add(PERSON_SHEET, n, "角色", _("填写了单位代码，请同时填写角色。"))
        elif role_text and not org_code:
            c.add(PERSON_SHEET, n, "单位代码", _("填写了角色，请同时填写单位代码。"))
        elif row.get("post") and not org_code:
            c.add(PERSON_SHEET, n, "单位代码", _("填写了岗位，请同时填写单位代码和角色。"))
        if org_code:
            if org_code not in sheet_kinds and org_code not in known:
                c.add(
                    PERSON_SHEET,
                    n,
                    "单位代码",
                    _(
                        "单位代码“%(code)s”不存在。请填写系统中已有的单位代码，"
                        "或在“单位”表中添加该单位。"
                    )
                    % {"code": org_code},
                )
            elif org_code not in sheet_kinds and not known[org_code]["is_active"]:
                c.add(
                    PERSON_SHEET,
                    n,
                    "单位代码",
                    _("单位“%(code)s”已停用，不能在其中任职。") % {"code": org_code},
                )
        org_kind = sheet_kinds.get(org_code) or known.get(org_code, {}).get("kind")
        if org_code and role and org_kind and grant_tier(role, org_kind) != TIER_ORDINARY:
            c.add(
                PERSON_SHEET,
                n,
                "角色",
                _(
                    "纪委监委一方的角色（线索管理员、纪委监委或派驻组工作人员）不能通过导入设置："
                    "由安全管理员在人员页面提出，经纪委监委确认后生效。请删除该角色。"
                ),
            )
            role = None
        if org_code and role:
            membership = Membership(role=role, post=row.get("post"))
            c.model(
                PERSON_SHEET, n, membership, _MEMBERSHIP_FIELD_COLUMN, ["person", "organisation"]
            )
            plan.membership = (org_code, role, row.get("post"))

        # Deputy profile: 代表证号 and the columns after it.
        deputy_keys = [("level", "代表层级"), ("delegation", "代表团")]
        deputy_keys += [("station_code", "联络站代码"), ("term", "届次")]
        if cert:
            profile = existing if existing is not None else DeputyProfile()
            before_profile = _values(profile, _DEPUTY_DATA_FIELDS)
            profile.certificate_no = cert
            level = c.choice(PERSON_SHEET, row, "level", "代表层级", DeputyLevel)
            if level:
                profile.level = level
            for key in ("delegation", "term"):
                if row.get(key):
                    setattr(profile, key, row.get(key))
            station = row.get("station_code")
            if station:
                kind = sheet_kinds.get(station) or known.get(station, {}).get("kind")
                if kind is None:
                    c.add(
                        PERSON_SHEET,
                        n,
                        "联络站代码",
                        _("联络站代码“%(code)s”不存在。请填写类型为“代表联络站”的单位代码。")
                        % {"code": station},
                    )
                elif kind != OrgKind.LIAISON_STATION:
                    c.add(
                        PERSON_SHEET,
                        n,
                        "联络站代码",
                        _("单位“%(code)s”不是代表联络站。请填写类型为“代表联络站”的单位代码。")
                        % {"code": station},
                    )
                plan.station_code = station
            c.model(PERSON_SHEET, n, profile, _DEPUTY_FIELD_COLUMN, ["person", "liaison_station"])
            plan.deputy, plan.deputy_new = profile, existing is None
            plan.deputy_changed = before_profile != _values(profile, _DEPUTY_DATA_FIELDS)
        else:
            for key, column in deputy_keys:
                if row.get(key):
                    c.add(PERSON_SHEET, n, column, _("填写代表信息时，请同时填写代表证号。"))

        # Expert profile: 专家类别 and the columns after it.
        category = c.choice(PERSON_SHEET, row, "category", "专家类别", ExpertCategory)
        expert_keys = [("specialties", "专业领域"), ("employer", "工作单位")]
        expert_keys += [("law_firm", "律师事务所")]
        held = experts.get(existing.person_id) if existing is not None else None
        if row.get("category") or (held is not None and any(row.get(k) for k, _c in expert_keys)):
            expert = held if held is not None else ExpertProfile()
            before_expert = _values(expert, _EXPERT_DATA_FIELDS)
            if category:
                expert.category = category
            if row.get("specialties"):
                expert.specialties = split_list(row.get("specialties"))
            for key in ("employer", "law_firm"):
                if row.get(key):
                    setattr(expert, key, row.get(key))
            c.model(PERSON_SHEET, n, expert, _EXPERT_FIELD_COLUMN, ["person"])
            plan.expert, plan.expert_new = expert, held is None
            plan.expert_changed = before_expert != _values(expert, _EXPERT_DATA_FIELDS)
        else:
            for key, column in expert_keys:
                if row.get(key):
                    c.add(PERSON_SHEET, n, column, _("填写专家信息时，请同时填写专家类别。"))
        plans.append(plan)
    return plans


# --- Writing ------------------------------------------------------------------------------


def _create_all(model: type[Model], objs: list[Model]) -> None:
    """Insert and learn the primary keys (one statement per batch where the database can)."""
    if not objs:
        return
    if connection.features.can_return_rows_from_bulk_insert:
        model._default_manager.bulk_create(objs, batch_size=500)
    else:  # pragma: no cover - both supported databases return rows
        for obj in objs:
            obj.save(force_insert=True)


def _update_all(model: type[Model], objs: list[Model], fields: list[str]) -> None:
    if objs:
        model._default_manager.bulk_update(objs, fields, batch_size=500)


def _write(
    org_plans: list[_OrgPlan],
    person_plans: list[_PersonPlan],
    known: dict[str, dict[str, Any]],
    existing_memberships: dict[tuple[int, int, str], Membership],
) -> dict[str, int]:
    now = timezone.now()
    counts = dict.fromkeys(COUNT_LABELS, 0)

    # Organisations: insert the new ones, then set every parent once all codes have ids.
    new_orgs = [p.obj for p in org_plans if p.is_new]
    _create_all(Organisation, new_orgs)
    ids = {code: info["id"] for code, info in known.items()}
    ids.update({p.obj.code: p.obj.pk for p in org_plans})
    new_with_parent = []
    changed_orgs = []
    for plan in org_plans:
        if plan.parent_code is not None:
            parent_id = ids[plan.parent_code] if plan.parent_code else None
            if plan.obj.parent_id != parent_id:
                plan.obj.parent_id = parent_id
                plan.changed = True
                if plan.is_new:
                    new_with_parent.append(plan.obj)
        if not plan.is_new and plan.changed:
            plan.obj.version += 1
            plan.obj.updated_at = now
            changed_orgs.append(plan.obj)
    _update_all(Organisation, new_with_parent, ["parent"])
    _update_all(Organisation, changed_orgs, [*_ORG_DATA_FIELDS, "parent", "version", "updated_at"])
    counts["organisations_created"] = len(new_orgs)
    counts["organisations_updated"] = len(changed_orgs)

    # People, then what hangs off them.
    new_people = [p.person for p in person_plans if p.is_new]
    _create_all(Person, new_people)
    changed_people = []
    for plan in person_plans:
        if not plan.is_new and plan.changed:
            plan.person.version += 1
            plan.person.updated_at = now
            changed_people.append(plan.person)
    _update_all(Person, changed_people, [*_PERSON_DATA_FIELDS, "version", "updated_at"])
    counts["people_created"] = len(new_people)
    counts["people_updated"] = len(changed_people)

    new_memberships, changed_memberships = [], []
    new_deputies, changed_deputies = [], []
    new_experts, changed_experts = [], []
    for plan in person_plans:
        pid = plan.person.pk
        if plan.membership is not None:
            org_code, role, post = plan.membership
            held = existing_memberships.get((pid, ids[org_code], role))
            if held is None:
                new_memberships.append(
                    Membership(person_id=pid, organisation_id=ids[org_code], role=role, post=post)
                )
            elif post and held.post != post:
                held.post = post
                changed_memberships.append(held)
        if plan.deputy is not None:
            plan.deputy.person_id = pid
            station_id = ids[plan.station_code] if plan.station_code else None
            if station_id is not None and plan.deputy.liaison_station_id != station_id:
                plan.deputy.liaison_station_id = station_id
                plan.deputy_changed = True
            if plan.deputy_new:
                new_deputies.append(plan.deputy)
            elif plan.deputy_changed:
                changed_deputies.append(plan.deputy)
        if plan.expert is not None:
            plan.expert.person_id = pid
            if plan.expert_new:
                new_experts.append(plan.expert)
            elif plan.expert_changed:
                changed_experts.append(plan.expert)
    _create_all(Membership, new_memberships)
    _update_all(Membership, changed_memberships, ["post"])
    _create_all(DeputyProfile, new_deputies)
    deputy_fields = ["certificate_no", "level", "delegation", "liaison_station", "term"]
    _update_all(DeputyProfile, changed_deputies, deputy_fields)
    _create_all(ExpertProfile, new_experts)
    _update_all(ExpertProfile, changed_experts, ["category", "specialties", "employer", "law_firm"])
    counts["memberships_added"] = len(new_memberships)
    counts["memberships_updated"] = len(changed_memberships)
    counts["deputy_profiles_saved"] = len(new_deputies) + len(changed_deputies)
    counts["expert_profiles_saved"] = len(new_experts) + len(changed_experts)
    return counts


# --- The service --------------------------------------------------------------------------


def reference_import(
    *,
    actor: Any,
    file: IO[bytes] | bytes,
    filename: str = "",
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Check every row of the workbook; write all of it, or nothing when any row is wrong.
    `progress(n)` follows it (the rows read, then all of them once checked and written;
    background imports).

    A file that is not a usable .xlsx (too large, too many rows, not a workbook, no known
    sheet) is refused with ValidationFailed. Problems in rows come back in `result.errors`."""
    access.require(actor, "core.reference.import")
    data = read_upload(file)
    name = (filename or str(getattr(file, "name", "") or ""))[-200:]
    org_sheet, person_sheet, errors = _read_workbook(data)
    rows_read = len(org_sheet.rows) + len(person_sheet.rows)
    if progress is not None:
        progress(rows_read // 2)
    result = ImportResult(errors=errors)
    checker = _Checker(result.errors)
    try:
        with transaction.atomic():
            org_codes = {r.get("code") for r in org_sheet.rows if r.get("code")}
            locked = {
                o.code: o
                for o in Organisation.objects.select_for_update().filter(code__in=org_codes)
            }
            rows = Organisation.objects.values_list("id", "code", "kind", "parent_id", "is_active")
            code_of = {pk: code for pk, code, *_rest in rows}
            known = {
                code: {
                    "id": pk,
                    "kind": kind,
                    "parent_code": code_of.get(parent_id),
                    "is_active": active,
                }
                for pk, code, kind, parent_id, active in rows
            }
            certs = {r.get("certificate_no") for r in person_sheet.rows if r.get("certificate_no")}
            deputies = {
                d.certificate_no: d
                for d in DeputyProfile.objects.select_for_update()
                .select_related("person")
                .filter(certificate_no__in=certs)
            }
            person_ids = [d.person_id for d in deputies.values()]
            experts = {
                e.person_id: e for e in ExpertProfile.objects.filter(person_id__in=person_ids)
            }
            existing_memberships = {
                (m.person_id, m.organisation_id, m.role): m
                for m in Membership.objects.filter(person_id__in=person_ids, is_active=True)
            }

            org_plans = (
                _check_orgs(org_sheet, known, locked, checker) if org_sheet.header_ok else []
            )
            person_plans = (
                _check_people(person_sheet, org_plans, known, deputies, experts, checker)
                if person_sheet.header_ok
                else []
            )
            if result.errors:
                result.errors.sort(key=lambda e: (e.sheet != ORG_SHEET, e.row))
                return result
            result.counts = _write(org_plans, person_plans, known, existing_memberships)
            audit.event(
                actor,
                "core.reference.imported",
                ("core.reference_import", hashlib.sha256(data).hexdigest()[:16], name),
                after={
                    **result.counts,
                    "file": name,
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "rows": len(org_sheet.rows) + len(person_sheet.rows),
                },
            )
    except IntegrityError:
        raise ValidationFailed(
            _("导入时数据被他人同时修改，未导入任何数据。请稍后重新上传。")
        ) from None
    return result


# --- The template workbook ------------------------------------------------------------------

_COLUMN_NOTES = {
    "单位代码": "必填。唯一代码；与系统中已有单位相同时更新该单位。",
    "全称": "新单位必填。",
    "类型": "新单位必填。可填：{kinds}",
    "上级单位代码": "可填系统中已有的单位代码，或本表中其他行的单位代码。",
    "性别": "可填：男、女",
    "单位代码@人员": "与“角色”一起填写，为该人员新增任职。",
    "角色": "可填：{roles}。管理员角色不能导入。",
    "代表证号": "代表必填。与系统中已有代表相同时更新该代表，否则新建人员。",
    "代表层级": "可填：{levels}。留空为市人大代表。",
    "联络站代码": "类型为“代表联络站”的单位代码。",
    "专家类别": "专家必填。可填：{categories}",
    "专业领域": "多个领域用逗号或顿号分隔，例如：民事、行政",
}


def template_workbook() -> bytes:
    """The empty import template: the two sheets with their header rows, notes on each column
    and drop-down lists for the choice columns."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    values = {
        "kinds": _choice_help(OrgKind),
        "roles": _choice_help(Role, exclude=ADMIN_ROLES),
        "levels": _choice_help(DeputyLevel),
        "categories": _choice_help(ExpertCategory),
    }
    lists = {
        "类型": _choice_help(OrgKind),
        "性别": _choice_help(Gender),
        "角色": _choice_help(Role, exclude=ADMIN_ROLES),
        "代表层级": _choice_help(DeputyLevel),
        "专家类别": _choice_help(ExpertCategory),
    }
    wb = Workbook()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, (title, columns) in enumerate(
        ((ORG_SHEET, ORG_COLUMNS), (PERSON_SHEET, PERSON_COLUMNS))
    ):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = title
        ws.freeze_panes = "A2"
        for col, (_key, name, _required) in enumerate(columns, start=1):
            cell = xlsx.put(ws, 1, col, name)
            cell.font, cell.fill = bold, fill
            ws.column_dimensions[get_column_letter(col)].width = max(12, len(name) * 3)
            note = _COLUMN_NOTES.get(f"{name}@{title}") or _COLUMN_NOTES.get(name)
            if note:
                cell.comment = Comment(note.format(**values), "五联")
            if name in lists:
                allowed = lists[name].replace("、", ",")
                dv = DataValidation(type="list", formula1=f'"{allowed}"', allow_blank=True)
                dv.showErrorMessage = False
                letter = get_column_letter(col)
                dv.add(f"{letter}2:{letter}5000")
                ws.add_data_validation(dv)
    return xlsx.workbook_bytes(wb)


# The former private names, still used by `wulian.judicial.services.imports`.
_Sheet = Sheet
_read_bytes = read_upload
_check_container = check_container
_read_sheet = read_sheet


# Imports over `core.background.threshold()` rows run in the worker (issue 13).
BACKGROUND_KIND = "core.reference_import"


def background_run(actor: Any, params: dict[str, Any], data: bytes, progress: Any) -> ImportResult:
    """The worker's run of a queued reference import (registered by the core's AppConfig)."""
    return reference_import(
        actor=actor, file=data, filename=str(params.get("filename", "")), progress=progress
    )


def background_summary(result: ImportResult) -> str:
    return _("导入完成：%(summary)s。") % {"summary": result.summary()}
