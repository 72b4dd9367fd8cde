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

Imports likewise (`register_import`, `import_response`): a workbook of more than the threshold
rows is kept on a queued task and imported by the worker — every row checked first, then all
written in one transaction or nothing; its page shows the progress (rows checked), then the
counts, or each problem by sheet, row and column (nothing imported). Smaller files are imported
in the request, as before.
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


# An import: (actor, params, the workbook's bytes, progress) -> its ImportResult (`ok`,
# `errors` as RowErrors, `counts`).
ImportRun = Callable[[Actor, dict[str, Any], bytes, Progress], Any]


@dataclass(frozen=True)
class Kind:
    name: str
    run: Run | None = None
    run_import: ImportRun | None = None
    summary: Callable[[Any], str] | None = None

    @property
    def is_import(self) -> bool:
        return self.run_import is not None


_kinds: dict[str, Kind] = {}


def register(name: str, *, run: Run) -> None:
    _kinds[name] = Kind(name=name, run=run)


def register_import(name: str, *, run: ImportRun, summary: Callable[[Any], str]) -> None:
    """An import the worker may run: `run(actor, params, data, progress)` checks every row
    (calling `progress(rows_checked)`) and writes all or nothing; `summary(result)` is the
    line shown once done."""
    _kinds[name] = Kind(name=name, run_import=run, summary=summary)


def is_import(kind: str) -> bool:
    found = _kinds.get(kind)
    return found is not None and found.is_import


def workbook_rows(data: bytes) -> int:
    """The data rows of every sheet of a workbook (its header rows not counted), read without
    parsing the cells; 0 for a file that is not a readable workbook (the import itself then
    says what is wrong, in the request)."""
    import io

    from openpyxl import load_workbook

    from wulian.core.errors import DomainError
    from wulian.core.imports import check_container

    try:
        check_container(data)  # the bounds first (size, zip bomb, .xls)
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except DomainError:
        return 0
    except Exception:  # not a workbook: the synchronous import refuses it with its message
        return 0
    total = 0
    try:
        for ws in wb.worksheets:
            rows = ws.max_row
            if rows is None:  # no dimension recorded: count them
                rows = sum(1 for _row in ws.iter_rows(values_only=True))
            total += max(0, rows - 1)
    finally:
        wb.close()
    return total


def threshold() -> int:
    return int(getattr(settings, "WULIAN_BACKGROUND_ROWS", 300))


def task_start(
    *, actor: Actor, kind: str, title: str, filename: str, params: Mapping[str, Any], total: int
) -> BackgroundTask:
    """Queue an export of `total` rows for the worker; the same export asked again while the
    first is still queued or running is that first one (a second click starts nothing)."""
    if kind not in _kinds:
        raise LookupError(f"no background task kind {kind!r}")
    return _queue(
        actor=actor, kind=kind, title=title, params=params, total=total, filename=filename
    )


def _queue(
    *, actor: Actor, kind: str, title: str, params: Mapping[str, Any], total: int, **fields: Any
) -> BackgroundTask:
    """The queued task (and its audit event); the same task of the same person still queued or
    running is returned instead of a second one."""
    clean = {k: v for k, v in params.items() if isinstance(v, str | int | list)}
    with transaction.atomic():
        same = (
            BackgroundTask.objects.select_for_update()
            .filter(
                kind=kind,
                requested_by=actor.user,
                params=clean,
                state__in=[TaskState.QUEUED, TaskState.RUNNING],
            )
            .first()
        )
        if same is not None:
            return same
        task = BackgroundTask.objects.create(
            kind=kind, title=title, requested_by=actor.user, params=clean, total=total, **fields
        )
        audit.event(
            actor, "core.task.started", task, after={"kind": kind, "params": clean, "total": total}
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


def queue_import(
    request: HttpRequest,
    *,
    kind: str,
    title: str,
    upload: Any,
    params: Mapping[str, Any],
) -> HttpResponse | None:
    """An import view asks first: a workbook of more than the threshold rows is queued for the
    worker and the answer is its task's page; None for a smaller one (or a file the import
    itself will refuse, with its message): the view imports it at once, as before."""
    from wulian.core.errors import DomainError
    from wulian.core.imports import read_upload

    try:
        data = read_upload(upload)
    except DomainError:
        return None
    rows = workbook_rows(data)
    if rows <= threshold():
        return None
    task = import_start(
        actor=request.actor,
        kind=kind,
        title=title,
        data=data,
        params={**params, "filename": str(getattr(upload, "name", ""))[-200:]},
        total=rows,
    )
    return redirect(task.get_absolute_url())


def import_start(
    *,
    actor: Actor,
    kind: str,
    title: str,
    data: bytes,
    params: Mapping[str, Any],
    total: int,
) -> BackgroundTask:
    """Queue an import of `data` (`total` rows) for the worker; the same file sent again while
    the first still waits or runs is that first one."""
    if not is_import(kind):
        raise LookupError(f"no background import kind {kind!r}")
    import hashlib

    params = {**params, "sha256": hashlib.sha256(data).hexdigest()}
    return _queue(actor=actor, kind=kind, title=title, params=params, total=total, upload=data)


def _progress_writer(task: BackgroundTask) -> Progress:
    """`progress(done)`: the task's row counter, about 50 times in all. Inside an import's
    transaction the count is written through a connection of its own (PostgreSQL), so the
    page sees it before the import commits."""
    from django.db import connection, connections

    step = max(1, task.total // 50)
    side: list[Any] = []

    def progress(done: int) -> None:
        if done % step:
            return
        if not connection.in_atomic_block:
            BackgroundTask.objects.filter(pk=task.pk).update(done=done)
        elif connection.vendor == "postgresql":
            if not side:
                side.append(connections.create_connection("default"))
            with side[0].cursor() as cursor:
                cursor.execute(
                    "UPDATE core_backgroundtask SET done = %s WHERE id = %s",
                    [done, task.pk],
                )

    def close() -> None:
        for conn in side:
            conn.close()

    progress.close = close  # type: ignore[attr-defined]
    return progress


def _run_import(task: BackgroundTask, kind: Kind) -> tuple[str, str]:
    """Run an import task to its end; (state, message) — its problems kept in `report`."""
    data = bytes(BackgroundTask.objects.values_list("upload", flat=True).get(pk=task.pk) or b"")
    actor = access.actor_for(task.requested_by)
    progress = _progress_writer(task)
    try:
        assert kind.run_import is not None and kind.summary is not None
        result = kind.run_import(actor, dict(task.params), data, progress)
    finally:
        progress.close()  # type: ignore[attr-defined]
    if result.ok:
        BackgroundTask.objects.filter(pk=task.pk).update(
            state=TaskState.DONE,
            finished_at=timezone.now(),
            upload=None,
            done=task.total,
            message=str(kind.summary(result))[:1000],
        )
        return TaskState.DONE, _("导入已完成：%(t)s")
    errors = list(result.errors)
    BackgroundTask.objects.filter(pk=task.pk).update(
        state=TaskState.FAILED,
        finished_at=timezone.now(),
        upload=None,
        report=[
            {"sheet": e.sheet, "row": e.row, "column": e.column, "message": str(e.message)}
            for e in errors[:IMPORT_PROBLEMS_KEPT]
        ],
        message=(
            _("发现 %(n)d 处问题，未导入任何数据。请按提示更正后重新上传。") % {"n": len(errors)}
        ),
    )
    return TaskState.FAILED, _("导入未完成：%(t)s")


# An import's problems kept on its task (the page lists them; a file with more has more to fix
# than anyone reads at once).
IMPORT_PROBLEMS_KEPT = 500


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
    task = _claim()
    if task is None:
        return None
    kind = _kinds.get(task.kind)
    step = max(1, task.total // 50)

    def progress(done: int) -> None:
        if done % step == 0:
            BackgroundTask.objects.filter(pk=task.pk).update(done=done)

    if kind is not None and kind.is_import:
        try:
            _state, title_msgid = _run_import(task, kind)
        except Exception as exc:  # the task fails (nothing imported), the worker goes on
            log.exception("background task %s failed", task.pk)
            reason = getattr(exc, "message", "") or _("内部错误，请稍后重试或联系系统管理员。")
            BackgroundTask.objects.filter(pk=task.pk).update(
                state=TaskState.FAILED,
                finished_at=timezone.now(),
                upload=None,
                message=str(reason)[:1000],
            )
            title_msgid = _("导入未完成：%(t)s")
        task.refresh_from_db()
        _notify_finished(task, title_msgid % {"t": task.title})
        return task
    try:
        if kind is None or kind.run is None:
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
    _notify_finished(task, title)
    return task


def _notify_finished(task: BackgroundTask, title: str) -> None:
    from wulian.core.notifications import outbox

    with transaction.atomic():
        outbox.enqueue(
            kind="core.task.finished",
            recipients=[task.requested_by],
            title=title,
            body=task.message,
            url=task.get_absolute_url(),
            dedupe=f"task:{task.pk}:finished",
        )


@jobs.job("core.background", every_seconds=5)
def run_queued(limit: int = 5) -> int:
    """The worker's job: up to `limit` queued tasks, oldest first."""
    ran = 0
    while ran < limit and run_one() is not None:
        ran += 1
    return ran
