"""Issue 13, item 10: imports over a few hundred rows (`WULIAN_BACKGROUND_ROWS`) run in the
worker, as exports do — every spreadsheet import (suggestions, the judicial experts and cases,
the reference data). The file's bounds are checked in the request; the worker checks every row
first and writes all of it in one transaction, or nothing; its page shows the progress, then the
counts, or each problem by sheet, row and column in Chinese; the requester is notified. Small
imports are still done at once."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.core.reference_xlsx import person_row, xlsx
from tests.factories import DeputyProfileFactory
from tests.suggestions.helpers import deputy, make_session
from tests.suggestions.test_views import _workbook
from wulian.core import background
from wulian.core.models import AuditEvent, BackgroundTask, Person, TaskState
from wulian.core.notifications.models import OutboxMessage
from wulian.suggestions.models import Suggestion

pytestmark = pytest.mark.django_db

ROW = ["", "关于公交的建议", "增设站点", "交通运输", "大会期间", "HS15-0001", ""]


@pytest.fixture
def session(personas):
    DeputyProfileFactory(person=deputy(personas), certificate_no="HS15-0001")
    return make_session(personas)


def _upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("建议.xlsx", data)


def _rows(n: int) -> list[list[str]]:
    return [[*ROW[:1], f"关于公交的建议{i}", *ROW[2:]] for i in range(n)]


def test_a_small_import_is_done_at_once(personas, client_of, session, settings):
    settings.WULIAN_BACKGROUND_ROWS = 3
    response = client_of(personas.congress_clerk).post(
        reverse("suggestions:suggestion_import"),
        {"session": session.pk, "file": _workbook(_rows(3))},
    )
    assert response.status_code == 302
    assert Suggestion.objects.count() == 3 and not BackgroundTask.objects.exists()


def test_a_large_import_runs_in_the_background_all_or_nothing(
    personas, client_of, session, settings
):
    settings.WULIAN_BACKGROUND_ROWS = 2
    clerk = client_of(personas.congress_clerk)
    url = reverse("suggestions:suggestion_import")
    # A workbook's bytes carry the second it was saved: the same file is the same bytes.
    data = _workbook(_rows(4)).read()
    queued = clerk.post(url, {"session": session.pk, "file": _upload(data)})
    task = BackgroundTask.objects.get()
    assert queued.status_code == 302 and queued["Location"] == task.get_absolute_url()
    assert task.total == 4 and task.state == TaskState.QUEUED and task.params["session"]
    assert bytes(task.upload) and not Suggestion.objects.exists()  # nothing written yet
    # The same file sent again while it waits starts nothing more.
    assert (
        clerk.post(url, {"session": session.pk, "file": _upload(data)})["Location"]
        == task.get_absolute_url()
    )
    assert BackgroundTask.objects.count() == 1
    page = clerk.get(task.get_absolute_url()).content.decode()
    assert "<progress" in page and "逐行检查后导入" in page and "every 2s" in page
    assert AuditEvent.objects.filter(action="core.task.started").count() == 1

    assert background.run_queued() == 1
    task.refresh_from_db()
    assert task.state == TaskState.DONE and task.percent == 100 and task.upload is None
    assert Suggestion.objects.count() == 4
    assert AuditEvent.objects.filter(action="suggestions.suggestion.imported").count() == 4
    page = clerk.get(task.get_absolute_url()).content.decode()
    assert "已导入 4 件代表建议" in page and "every 2s" not in page
    assert clerk.get(reverse("core:task_download", args=[task.pk])).status_code == 404
    (told,) = OutboxMessage.objects.filter(kind="core.task.finished", channel="inbox")
    assert told.recipient == personas.congress_clerk and "导入已完成" in told.title
    # Another person does not see the task.
    assert client_of(personas.unit_a).get(task.get_absolute_url()).status_code in (403, 404)


def test_a_large_file_with_problems_imports_nothing_and_lists_each_row(
    personas, client_of, session, settings
):
    settings.WULIAN_BACKGROUND_ROWS = 2
    clerk = client_of(personas.congress_clerk)
    bad = [*_rows(3), ["", "", "没有标题", "交通运输", "", "HS15-0001", ""]]
    bad.append(["", "关于学校的建议", "扩建", "不存在的类别", "", "无此人", ""])
    clerk.post(
        reverse("suggestions:suggestion_import"), {"session": session.pk, "file": _workbook(bad)}
    )
    assert background.run_queued() == 1
    task = BackgroundTask.objects.get()
    assert task.state == TaskState.FAILED and task.upload is None
    assert not Suggestion.objects.exists()  # nothing half-saved
    assert {(p["row"], p["column"]) for p in task.report} >= {
        (5, "标题"),
        (6, "类别"),
        (6, "领衔代表"),
    }
    page = clerk.get(task.get_absolute_url()).content.decode()
    assert "未导入任何数据" in page and 'id="import-problems"' in page
    assert "请填写标题" in page and "领衔代表" in page
    (told,) = OutboxMessage.objects.filter(kind="core.task.finished", channel="inbox")
    assert "导入未完成" in told.title


def test_the_reference_import_runs_in_the_background(personas, client_of, settings):
    settings.WULIAN_BACKGROUND_ROWS = 2
    people = [person_row(f"后台导入{i}", 性别="女") for i in range(3)]
    client = client_of(personas.sysadmin)
    response = client.post(
        reverse("core:reference_import"),
        {"file": SimpleUploadedFile("people.xlsx", xlsx(people=people))},
    )
    task = BackgroundTask.objects.get()
    assert response["Location"] == task.get_absolute_url()
    background.run_queued()
    task.refresh_from_db()
    assert task.state == TaskState.DONE, task.message
    assert Person.objects.filter(name__startswith="后台导入").count() == 3
    assert "新增人员 3" in client.get(task.get_absolute_url()).content.decode()


def test_a_file_that_is_not_a_workbook_is_refused_in_the_request(personas, client_of, settings):
    settings.WULIAN_BACKGROUND_ROWS = 0
    response = client_of(personas.sysadmin).post(
        reverse("core:reference_import"),
        {"file": SimpleUploadedFile("people.xlsx", b"not a workbook")},
    )
    assert response.status_code == 400 and "不是有效的 Excel 工作簿" in response.content.decode()
    assert not BackgroundTask.objects.exists()
