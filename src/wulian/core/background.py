"""Long exports run in the background (issue 13): a request that would write more than
`settings.WULIAN_BACKGROUND_ROWS` rows (a few hundred) queues a task instead and leads to its
page — a progress bar that follows the worker, and the download once done; the requester is
notified when the file is ready. Smaller ones stay synchronous (the download at once).

A kind of task is registered once, by the app whose export it runs::

    background.register(
        "suggestions.ledger",
        run=lambda actor, params, progress: exports.ledger_workbook(
            actor=actor, filters=params, progress=progress
        ),
    )

`run(actor, params, progress)` returns the file's bytes and its row count, calling
`progress(rows_done)` as it goes; it is run as the requester (his access is checked again in
the worker: a right lost meanwhile fails the task). The worker's job `core.background` takes
one queued task at a time (`select_for_update(skip_locked=True)`: two workers never take the
same one).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, jobs
from wulian.core.access import Actor
from wulian.core.models import BackgroundTask, TaskState

log = logging.getLogger(__name__)

Progress = Callable[[int], None]
Run = Callable[[Actor, dict[str, Any], Progress], tuple[bytes, int]]


@dataclass(frozen=True)
class Kind:
    name: str
    run: Run


_kinds: dict[str, Kind] = {}


def register(name: str, *, run: Run) -> None:
    _kinds[name] = Kind(name=name, run=run)


def threshold() -> int:
    return int(getattr(settings, "WULIAN_BACKGROUND_ROWS", 300))


def task_start(
    *, actor: Actor, kind: str, title: str, filename: str, params: Mapping[str, Any], total: int
) -> BackgroundTask:
    """Queue an export of `total` rows for the worker; the same export asked again while the
    first is still queued or running is that first one (a second click starts nothing)."""
    if kind not in _kinds:
        raise LookupError(f"no background task kind {kind!r}")
    user = actor.user
    clean = {k: v for k, v in params.items() if isinstance(v, str | int | list)}
    with transaction.atomic():
        same = (
            BackgroundTask.objects.select_for_update()
            .filter(
                kind=kind,
                requested_by=user,
                params=clean,
                state__in=[TaskState.QUEUED, TaskState.RUNNING],
            )
            .first()
        )
        if same is not None:
            return same
        task = BackgroundTask.objects.create(
            kind=kind, title=title, filename=filename, requested_by=user, params=clean, total=total
        )
        audit.record(
            action="core.task.started",
            actor=actor,
            target=task,
            after={"kind": kind, "params": clean, "total": total},
        )
    return task


def export_response(
    request: HttpRequest,
    *,
    kind: str,
    title: str,
    filename: str,
    params: Mapping[str, Any],
    total: int,
    now: Callable[[], tuple[bytes, int]],
    content_type: str,
) -> HttpResponse:
    """An export view's answer: the file at once up to the threshold, else a queued task's
    page (the person follows its progress there)."""
    if total > threshold():
        task = task_start(
            actor=request.actor,
            kind=kind,
            title=title,
            filename=filename,
            params=params,
            total=total,
        )
        return redirect(task.get_absolute_url())
    from django.utils.http import content_disposition_header

    body, _count = now()
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


def _claim() -> BackgroundTask | None:
    with transaction.atomic():
        task = (
            BackgroundTask.objects.select_for_update(skip_locked=True)
            .filter(state=TaskState.QUEUED)
            .order_by("id")
            .first()
        )
        if task is None:
            return None
        task.state = TaskState.RUNNING
        task.started_at = timezone.now()
        task.save(update_fields=["state", "started_at"])
    return task


def run_one() -> BackgroundTask | None:
    """Run the oldest queued task to its end (done or failed); None when none waits."""
    from wulian.core.notifications import outbox

    task = _claim()
    if task is None:
        return None
    kind = _kinds.get(task.kind)
    step = max(1, task.total // 50)

    def progress(done: int) -> None:
        if done % step == 0:
            BackgroundTask.objects.filter(pk=task.pk).update(done=done)

    try:
        if kind is None:
            raise LookupError(task.kind)
        actor = access.actor_for(task.requested_by)
        body, count = kind.run(actor, dict(task.params), progress)
    except Exception as exc:  # the task fails, the worker goes on
        log.exception("background task %s failed", task.pk)
        reason = getattr(exc, "message", "") or _("内部错误，请稍后重试或联系系统管理员。")
        BackgroundTask.objects.filter(pk=task.pk).update(
            state=TaskState.FAILED, finished_at=timezone.now(), message=str(reason)[:1000]
        )
        task.refresh_from_db()
        title = _("后台任务失败：%(t)s") % {"t": task.title}
    else:
        BackgroundTask.objects.filter(pk=task.pk).update(
            state=TaskState.DONE,
            finished_at=timezone.now(),
            result=body,
            done=count,
            message=_("共 %(n)d 行。") % {"n": count},
        )
        task.refresh_from_db()
        title = _("导出已完成：%(t)s") % {"t": task.title}
    with transaction.atomic():
        outbox.enqueue(
            kind="core.task.finished",
            recipients=[task.requested_by],
            title=title,
            body=task.message,
            url=task.get_absolute_url(),
            dedupe=f"task:{task.pk}:finished",
        )
    return task


@jobs.job("core.background", every_seconds=5)
def run_queued(limit: int = 5) -> int:
    """The worker's job: up to `limit` queued tasks, oldest first."""
    ran = 0
    while ran < limit and run_one() is not None:
        ran += 1
    return ran
