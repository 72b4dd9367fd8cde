"""Issue 13, item 10: an export over a few hundred rows (`WULIAN_BACKGROUND_ROWS`) runs in the
worker — its page shows a progress bar and the download once done, the requester is notified;
smaller exports are still downloaded at once; a task is its requester's only."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.suggestions.helpers import make_suggestion
from wulian.core import background
from wulian.core.models import AuditEvent, BackgroundTask, TaskState
from wulian.core.notifications.models import OutboxMessage
from wulian.suggestions.choices import SuggestionStatus as S

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(personas):
    for _i in range(3):
        make_suggestion(personas, S.HANDLING)
    return personas


def test_a_small_export_is_downloaded_at_once(three, client_of, settings):
    settings.WULIAN_BACKGROUND_ROWS = 3
    response = client_of(three.congress_clerk).get(reverse("suggestions:suggestion_export"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert not BackgroundTask.objects.exists()


def test_a_large_export_runs_in_the_background_with_its_progress(three, client_of, settings):
    settings.WULIAN_BACKGROUND_ROWS = 2
    clerk = client_of(three.congress_clerk)
    url = reverse("suggestions:suggestion_export")
    queued = clerk.get(url)
    task = BackgroundTask.objects.get()
    assert queued.status_code == 302 and queued["Location"] == task.get_absolute_url()
    assert task.total == 3 and task.state == TaskState.QUEUED
    assert AuditEvent.objects.filter(action="core.task.started").count() == 1
    # A second click while it waits starts nothing more.
    assert clerk.get(url)["Location"] == task.get_absolute_url()
    assert BackgroundTask.objects.count() == 1
    page = clerk.get(task.get_absolute_url()).content.decode()
    assert "<progress" in page and "排队中" in page and 'hx-trigger="every 2s"' in page
    assert clerk.get(reverse("core:task_download", args=[task.pk])).status_code == 404

    assert background.run_queued() == 1
    task.refresh_from_db()
    assert task.state == TaskState.DONE and task.done == 3 and task.percent == 100
    page = clerk.get(task.get_absolute_url()).content.decode()
    assert "已完成" in page and "every 2s" not in page
    download = clerk.get(reverse("core:task_download", args=[task.pk]))
    ws = load_workbook(io.BytesIO(download.content)).active
    assert ws.max_row == 4  # the header and the three suggestions
    (told,) = OutboxMessage.objects.filter(kind="core.task.finished")
    assert told.recipient_id == three.congress_clerk.pk and "导出已完成" in told.title
    assert background.run_queued() == 0


def test_a_task_is_its_requesters_only(three, client_of, settings):
    settings.WULIAN_BACKGROUND_ROWS = 2
    client_of(three.congress_clerk).get(reverse("suggestions:suggestion_export"))
    task = BackgroundTask.objects.get()
    background.run_queued()
    for who in (three.gov_supervisor, three.unit_a, three.sysadmin):
        other = client_of(who)
        assert other.get(task.get_absolute_url()).status_code == 403
        assert other.get(reverse("core:task_download", args=[task.pk])).status_code == 403


def test_a_task_that_fails_is_marked_and_its_requester_told(three, client_of, settings):
    settings.WULIAN_BACKGROUND_ROWS = 2
    client_of(three.congress_clerk).get(reverse("suggestions:suggestion_export"))
    task = BackgroundTask.objects.get()
    task.kind = "no.such.kind"
    task.save(update_fields=["kind"])
    background.run_queued()
    task.refresh_from_db()
    assert task.state == TaskState.FAILED and task.message
    assert OutboxMessage.objects.filter(kind="core.task.finished").count() == 1


def test_the_rectification_ledger_exports_in_the_background_too(personas, client_of, settings):
    from tests.rectification.helpers import make_rectification

    settings.WULIAN_BACKGROUND_ROWS = 1
    make_rectification(personas)
    make_rectification(personas)
    clerk = client_of(personas.congress_clerk)
    queued = clerk.get(reverse("rectification:ledger_export"))
    task = BackgroundTask.objects.get(kind="rectification.ledger")
    assert queued["Location"] == task.get_absolute_url() and task.total == 2
    background.run_queued()
    download = clerk.get(reverse("core:task_download", args=[task.pk]))
    ws = load_workbook(io.BytesIO(download.content)).active
    assert ws.max_row == 3
