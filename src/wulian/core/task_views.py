"""A background task's page (its progress, then its file — or an import's counts or its
problems by row) and its download: for the person
who asked for it only (`core.task.view`)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from wulian.core import access, background, pages
from wulian.core.models import BackgroundTask, TaskState
from wulian.core.viewpolicy import policy

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _task(request: HttpRequest, pk: int) -> BackgroundTask:
    task = get_object_or_404(BackgroundTask.objects.defer("result", "upload"), pk=pk)
    access.require(request.actor, "core.task.view", task)
    return task


@policy("core.task.view", per_record=True)
@require_GET
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    live = task.state in (TaskState.QUEUED, TaskState.RUNNING)
    return render(
        request,
        "core/task_detail.html",
        {
            "task": task,
            "live": live,
            "is_import": background.is_import(task.kind),
            "problems": task.report if task.state == TaskState.FAILED else [],
        },
    )


@policy("core.task.view", per_record=True)
@require_GET
def task_download(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    if task.state != TaskState.DONE or background.is_import(task.kind):
        raise Http404
    body = BackgroundTask.objects.values_list("result", flat=True).get(pk=pk)
    return pages.download(bytes(body or b""), task.filename, XLSX)
