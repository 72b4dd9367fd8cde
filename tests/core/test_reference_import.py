"""The .xlsx import: all or nothing, a row-by-row report, bounded untrusted input, one audit
event; the page, the template download and the `import_reference` command."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from tests.core.reference_xlsx import PERSON_HEADER, org_row, person_row, xlsx
from tests.factories import DeputyProfileFactory, ExpertProfileFactory, PersonFactory
from wulian.core.errors import AccessDenied, ValidationFailed
from wulian.core.imports import reference_import, template_workbook
from wulian.core.models import (
    AuditEvent,
    DeputyProfile,
    ExpertProfile,
    Membership,
    Organisation,
    Person,
)

pytestmark = pytest.mark.django_db


def run(actor, data: bytes, name: str = "导入.xlsx"):
    return reference_import(actor=actor, file=io.BytesIO(data), filename=name)


def good_file() -> bytes:
    """Orgs: a new bureau under a unit defined later in the sheet; that unit under the
    government (already in the system); an update of 市民政局; a new liaison station.
    People: a staff member, a new deputy at the new station, an expert, and an update of an
    existing deputy matched by certificate number."""
    return xlsx(
        orgs=[
            org_row("ZF-JY-JC", "市教育局基础教育科", "承办单位", "ZF-JY"),
            org_row("ZF-JY", "市教育局", "handling_unit", "ZF", 简称="教育局", 所在区县="下陆区"),
            org_row("ZF-MZ", "", "", "", 简称="民政"),
            org_row("DB-09", "铁山区代表联络站", "代表联络站", "RD-DBGW"),
        ],
        people=[
            person_row(
                "王芳", 性别="女", 职务="科长", 单位代码="ZF-JY", 角色="工作人员", 岗位="办公室"
            ),
            person_row(
                "陈志刚",
                性别="男",
                单位代码="DB-09",
                角色="人大代表",
                代表证号="HS15-0500",
                代表层级="市人大代表",
                代表团="铁山区代表团",
                联络站代码="DB-09",
                届次="第十五届",
            ),
            person_row(
                "刘律师",
                专家类别="律师",
                专业领域="民事、行政,刑事",
                律师事务所="楚天律师事务所",
            ),
            person_row("张老代表", 代表证号="HS15-0001", 职务="主任", 代表团="黄石港区代表团"),
        ],
    )


def test_a_good_file_imports_everything_with_one_audit_event(personas):
    old_deputy = DeputyProfileFactory(certificate_no="HS15-0001", person__name="张老代表")
    people_before = Person.objects.count()
    result = run(personas.sysadmin, good_file())
    assert result.ok, result.errors
    assert result.counts == {
        "organisations_created": 3,
        "organisations_updated": 1,
        "people_created": 3,
        "people_updated": 1,
        "memberships_added": 2,
        "memberships_updated": 0,
        "deputy_profiles_saved": 2,
        "expert_profiles_saved": 1,
    }
    bureau = Organisation.objects.get(code="ZF-JY")
    assert bureau.parent == personas.orgs["government"]
    assert (bureau.short_name, bureau.region) == ("教育局", "下陆区")
    assert Organisation.objects.get(code="ZF-JY-JC").parent == bureau
    unit_a = Organisation.objects.get(code="ZF-MZ")
    assert (unit_a.name, unit_a.short_name, unit_a.version) == ("市民政局", "民政", 2)
    assert Person.objects.count() == people_before + 3

    wang = Person.objects.get(name="王芳")
    assert (wang.gender, wang.title) == ("female", "科长")
    assert wang.memberships.get().organisation == bureau
    chen = DeputyProfile.objects.get(certificate_no="HS15-0500")
    assert chen.liaison_station.code == "DB-09" and chen.person.name == "陈志刚"
    assert Membership.objects.get(person=chen.person).role == "deputy"
    assert ExpertProfile.objects.get(person__name="刘律师").specialties == ["民事", "行政", "刑事"]
    old_deputy.refresh_from_db()
    old_deputy.person.refresh_from_db()
    assert old_deputy.delegation == "黄石港区代表团"
    assert (old_deputy.person.title, old_deputy.person.version) == ("主任", 2)

    events = list(AuditEvent.objects.all())
    assert [e.action for e in events] == ["core.reference.imported"]
    assert events[0].after_data["organisations_created"] == 3
    assert events[0].after_data["file"] == "导入.xlsx"
    assert events[0].actor_id == personas.sysadmin.pk


def test_importing_the_same_file_twice_updates_instead_of_duplicating(personas):
    assert run(personas.sysadmin, good_file()).ok
    second = run(personas.sysadmin, good_file())
    assert second.ok
    assert second.counts["organisations_created"] == 0
    assert second.counts["deputy_profiles_saved"] == 0  # matched and unchanged
    assert DeputyProfile.objects.filter(certificate_no="HS15-0500").count() == 1


def test_one_bad_row_imports_nothing_and_is_reported(personas):
    orgs_before, people_before = Organisation.objects.count(), Person.objects.count()
    data = xlsx(
        orgs=[
            org_row("ZF-JY", "市教育局", "承办单位", "ZF"),
            org_row("ZF-WS", "市卫健委", "卫生部门", "ZF"),  # row 3: no such type
            org_row("ZF-SW", "市水务局", "承办单位", "ZF"),
        ],
        people=[
            person_row("王芳", 单位代码="ZF-JY", 角色="工作人员"),
            person_row("李雷", 单位代码="ZF-XX", 角色="工作人员"),  # row 3: unknown unit
            person_row("韩梅", 电子邮箱="hanmei-at-example"),  # row 4: bad e-mail
        ],
    )
    result = run(personas.sysadmin, data)
    assert not result.ok
    where = [(e.sheet, e.row, e.column) for e in result.errors]
    assert where == [("单位", 3, "类型"), ("人员", 3, "单位代码"), ("人员", 4, "电子邮箱")]
    assert "卫生部门" in result.errors[0].message and "承办单位" in result.errors[0].message
    assert "ZF-XX" in result.errors[1].message
    assert str(result.errors[0]).startswith("“单位”表第 3 行“类型”列：")
    assert (Organisation.objects.count(), Person.objects.count()) == (orgs_before, people_before)
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("orgs", "people", "expected"),
    [
        (
            [org_row("A1", "甲", "其他", "B1"), org_row("B1", "乙", "其他", "A1")],
            [],
            [("单位", 2, "上级单位代码"), ("单位", 3, "上级单位代码")],
        ),
        (
            [org_row("A1", "甲", "其他"), org_row("A1", "甲二", "其他")],
            [],
            [("单位", 3, "单位代码")],
        ),
        ([org_row("NEW-1")], [], [("单位", 2, "全称"), ("单位", 2, "类型")]),
        ([], [person_row("甲", 单位代码="RD", 角色="系统管理员")], [("人员", 2, "角色")]),
        ([], [person_row("甲", 单位代码="RD")], [("人员", 2, "角色")]),
        ([], [person_row("甲", 联络站代码="DB-01")], [("人员", 2, "联络站代码")]),
        ([], [person_row("甲", 代表证号="X-1", 联络站代码="ZF-MZ")], [("人员", 2, "联络站代码")]),
        ([], [person_row("甲", 专业领域="民事")], [("人员", 2, "专业领域")]),
        ([], [person_row("", 职务="科员")], [("人员", 2, "姓名")]),
        (
            [],
            [person_row("甲", 代表证号="X-1"), person_row("乙", 代表证号="X-1")],
            [("人员", 3, "代表证号")],
        ),
    ],
    ids=[
        "cycle",
        "duplicate-code",
        "new-org-incomplete",
        "admin-role",
        "unit-without-role",
        "deputy-column-without-certificate",
        "station-not-a-station",
        "expert-column-without-category",
        "no-name",
        "duplicate-certificate",
    ],
)
def test_row_rules(personas, orgs, people, expected):
    result = run(personas.sysadmin, xlsx(orgs=orgs, people=people))
    assert [(e.sheet, e.row, e.column) for e in result.errors] == expected
    assert all(e.message for e in result.errors)
    assert not AuditEvent.objects.exists()


def test_administrator_roles_cannot_be_imported(personas):
    result = run(
        personas.sysadmin, xlsx(people=[person_row("甲", 单位代码="RD", 角色="audit_admin")])
    )
    assert "安全管理员" in result.errors[0].message
    assert not Person.objects.filter(name="甲").exists()


@pytest.mark.parametrize(
    ("code", "role"), [("JW", "clue_officer"), ("JW", "staff"), ("JW-PZ", "leader")]
)
def test_cdi_side_roles_cannot_be_imported(personas, code, role):
    """The system administrator's import is no way around the two-person grant (ADR 0014)."""
    result = run(personas.sysadmin, xlsx(people=[person_row("甲", 单位代码=code, 角色=role)]))
    assert [(e.sheet, e.column) for e in result.errors] == [("人员", "角色")]
    assert "纪委监委确认" in result.errors[0].message
    assert not Person.objects.filter(name="甲").exists()


def test_an_expert_matched_by_certificate_keeps_what_is_left_blank(personas):
    deputy = DeputyProfileFactory(certificate_no="HS15-0007")
    ExpertProfileFactory(person=deputy.person, category="deputy", employer="市一中")
    result = run(
        personas.sysadmin,
        xlsx(people=[person_row(deputy.person.name, 代表证号="HS15-0007", 专业领域="教育")]),
    )
    assert result.ok, result.errors
    expert = ExpertProfile.objects.get(person=deputy.person)
    assert (expert.category, expert.employer, expert.specialties) == ("deputy", "市一中", ["教育"])


def test_header_problems_are_reported_on_row_1(personas):
    header = [h for h in PERSON_HEADER if h != "姓名"] + ["备注"]
    result = run(personas.sysadmin, xlsx(person_header=header, people=[["女"]]))
    assert {(e.sheet, e.row, e.column) for e in result.errors} == {
        ("人员", 1, "姓名"),
        ("人员", 1, "备注"),
    }


def test_only_the_system_administrator_may_import(personas):
    for user in (personas.unit_a, personas.secadmin, personas.congress_clerk):
        with pytest.raises(AccessDenied):
            run(user, good_file())
    assert not AuditEvent.objects.exists()


# --- Untrusted files -----------------------------------------------------------------------------


def test_a_file_that_is_not_xlsx_is_refused_clearly(personas):
    with pytest.raises(ValidationFailed) as exc:
        run(personas.sysadmin, "单位代码,全称\nA,甲\n".encode(), "units.csv")
    assert "不是有效的 Excel 工作簿" in exc.value.message
    assert exc.value.field_errors == {"file": [exc.value.message]}

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(ValidationFailed, match="不是有效的 Excel 工作簿"):
        run(personas.sysadmin, archive.getvalue())

    with pytest.raises(ValidationFailed, match=r"旧版 Excel（\.xls）"):
        run(personas.sysadmin, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)


def test_a_damaged_xlsx_is_refused(personas):
    data = bytearray(good_file())
    archive = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as src, zipfile.ZipFile(archive, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                body = b"<worksheet><sheetData><row"  # truncated XML
            dst.writestr(item, body)
    with pytest.raises(ValidationFailed, match="不是有效的 Excel 工作簿"):
        run(personas.sysadmin, archive.getvalue())


def test_too_many_rows_is_refused_before_anything_is_written(personas, settings):
    settings.IMPORT_MAX_ROWS = 3
    people = [person_row(f"导入{i}") for i in range(4)]
    with pytest.raises(ValidationFailed, match="一次最多导入 3 行"):
        run(personas.sysadmin, xlsx(people=people))
    assert not Person.objects.filter(name__startswith="导入").exists()


def test_a_file_too_large_is_refused(personas, settings):
    settings.IMPORT_MAX_BYTES = 1024
    with pytest.raises(ValidationFailed, match="文件过大"):
        run(personas.sysadmin, good_file())
    upload = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"\0" * 2000)
    with pytest.raises(ValidationFailed, match="文件过大"):
        reference_import(actor=personas.sysadmin, file=upload)


def test_a_zip_bomb_is_refused_from_its_declared_sizes(personas, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 5 * 1024 * 1024
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (6 * 1024 * 1024))
    assert len(archive.getvalue()) < 100_000
    with pytest.raises(ValidationFailed, match="解压后过大"):
        run(personas.sysadmin, archive.getvalue())


def test_an_empty_template_has_nothing_to_import(personas):
    with pytest.raises(ValidationFailed, match="没有数据"):
        run(personas.sysadmin, template_workbook())


# --- The template --------------------------------------------------------------------------------


def test_the_template_has_both_sheets_and_their_columns(personas):
    wb = openpyxl.load_workbook(io.BytesIO(template_workbook()))
    assert wb.sheetnames == ["单位", "人员"]
    assert [c.value for c in wb["单位"][1]] == [
        "单位代码",
        "全称",
        "简称",
        "类型",
        "上级单位代码",
        "所在区县",
    ]
    assert [c.value for c in wb["人员"][1]] == PERSON_HEADER
    # Filled in and imported as it is.
    wb["单位"].append(["ZF-JY", "市教育局", "", "承办单位", "ZF", ""])
    wb["人员"].append(["王芳", "女", "", "", "", "ZF-JY", "联络员"])
    out = io.BytesIO()
    wb.save(out)
    result = run(personas.sysadmin, out.getvalue())
    assert result.ok, result.errors
    assert Membership.objects.get(person__name="王芳").organisation.code == "ZF-JY"


# --- The command -------------------------------------------------------------------------------


def test_the_command(personas, tmp_path, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(good_file())
    call_command("import_reference", str(good), "--as", "sysadmin")
    assert "新增单位 3" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="core.reference.imported").count() == 1

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx(people=[person_row("甲", 单位代码="NOPE", 角色="工作人员")]))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_reference", str(bad), "--as", "sysadmin")
    assert "“人员”表第 2 行“单位代码”列" in capsys.readouterr().err
    assert not Person.objects.filter(name="甲").exists()

    with pytest.raises(CommandError, match="没有权限"):
        call_command("import_reference", str(good), "--as", "unit_a")
    with pytest.raises(CommandError, match="No active user"):
        call_command("import_reference", str(good), "--as", "nobody")


def test_the_command_exits_non_zero_on_errors(personas, tmp_path):
    """As an operator runs it: the report on stderr and exit status 1."""
    from wulian.core.management.commands.import_reference import Command

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx(orgs=[org_row("A1", "甲", "不存在的类型")]))
    command = Command(stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(SystemExit) as exc:
        command.run_from_argv(["wulian", "import_reference", str(bad), "--as", "sysadmin"])
    assert exc.value.code == 1
    assert "“单位”表第 2 行“类型”列" in command.stderr._out.getvalue()


def test_people_without_certificate_are_created(personas):
    PersonFactory(name="王芳")
    assert run(personas.sysadmin, xlsx(people=[person_row("王芳")])).ok
    assert Person.objects.filter(name="王芳").count() == 2
