"""Writes of findings and rectification.

Each service: check access → transaction → lock the row (`select_for_update`) → refuse a stale
`version` (ConcurrentEdit) → look the step up in the transition table (TransitionNotAllowed) →
validate → save only what changed → one audit event with this app's code → notifications in the
same transaction. Deadlines are opened and closed through the deadlines app (its own audit
events, on the same record). Long texts go into the audit trail as SM3 digests; the texts stay
on the records.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, records, versioned
from wulian.core.access import Actor
from wulian.core.choices import Sensitivity
from wulian.core.deadlines import services as deadline_services
from wulian.core.deadlines.rules import Rule
from wulian.core.deadlines.selectors import live_deadline
from wulian.core.errors import ConcurrentEdit, ValidationFailed, next_state
from wulian.core.models import Organisation, Person
from wulian.core.notifications import outbox
from wulian.core.rectification.choices import (
    DEADLINE_COMMITMENT,
    DEADLINE_RECTIFICATION,
    TRANSITIONS,
    RectificationState,
    Severity,
    Step,
)
from wulian.core.rectification.models import Finding, ProgressReport, Rectification
from wulian.core.rectification.policies import MANAGER_ROLES, raising_org_ids
from wulian.core.selectors import users_holding
from wulian.core.servicekit import digest as _digest
from wulian.core.servicekit import fail as _fail

MAX_TEXT = 10_000
MAX_RESPONSIBLE = 20
MAX_FILES = 10
MAX_MONTHS = 36
SENSITIVITY_RANK = {value: i for i, value in enumerate(Sensitivity.values)}


# --- Helpers -------------------------------------------------------------------------------


def _notify(rect: Rectification, *, kind: str, to_unit: bool, title: str, occurrence: str) -> None:
    """Tell the responsible unit's desk staff (to_unit) or the raising organisation's staff
    and leaders about a step."""
    recipients = (
        users_holding([rect.responsible_org_id])
        if to_unit
        else users_holding([rect.raising_org_id], MANAGER_ROLES)
    )
    outbox.enqueue(
        kind=kind,
        recipients=recipients,
        title=title,
        url=rect.get_absolute_url(),
        dedupe=f"rectification:{rect.pk}:{occurrence}",
    )


def _record(
    actor: Actor,
    rect: Rectification,
    kind: str,
    *,
    after: dict[str, Any],
    to_unit: bool,
    title: str,
    occurrence: str,
    before: dict[str, Any] | None = None,
) -> None:
    """A step's audit event `kind`, on the side that took it (the raising organisation when
    it tells the unit, the unit otherwise), and the message of the same kind to the other."""
    org = rect.raising_org_id if to_unit else rect.responsible_org_id
    audit.event(actor, kind, rect, org, before=before, after=after)
    _notify(rect, kind=kind, to_unit=to_unit, title=title, occurrence=occurrence)


def _stale() -> ConcurrentEdit:
    return ConcurrentEdit(
        _("该整改事项已被他人修改，您的操作未执行。请刷新页面查看最新内容后再操作。")
    )


def _step(rect: Rectification, step: str) -> str:
    """The state the step leads to, or TransitionNotAllowed (from the transition table)."""
    return next_state(
        TRANSITIONS, rect, step, Step, _("该整改事项当前为“%(state)s”，不能%(step)s。")
    )


def _get(rectification_id: int) -> Rectification:
    rect = Rectification.objects.select_related("finding").filter(pk=rectification_id).first()
    if rect is None:
        raise ValidationFailed(_("整改事项不存在或已被删除。"))
    return rect


def _lock(rectification_id: int, version: int) -> Rectification:
    rect = (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("finding", "responsible_org")
        .get(pk=rectification_id)
    )
    if rect.version != version:
        raise _stale()
    return rect


def _meet(actor: Actor, rect: Rectification, kind: str) -> None:
    deadline_services.meet_live(actor=actor, record=rect, kind=kind)


def _text(value: Any, field: str, label: str, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise _fail(_("请填写%(label)s。") % {"label": label}, field)
    if len(text) > MAX_TEXT:
        raise _fail(_("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": MAX_TEXT}, field)
    return text


def _months(value: Any, field: str) -> int:
    try:
        months = int(value)
    except (TypeError, ValueError):
        months = 0
    if not 1 <= months <= MAX_MONTHS:
        raise _fail(_("整改期限须为 1 到 %(n)d 个月。") % {"n": MAX_MONTHS}, field)
    return months


def _add_evidence(
    actor: Actor, report: ProgressReport, files: Sequence[Any], stored: list[Any]
) -> None:
    """Attach each file to the report; `stored` collects them as they are written, so that a
    later failure can remove the ones already stored."""
    from wulian.core.attachments.services import attachment_add

    for f in files:
        stored.append(attachment_add(actor=actor, record=report, upload=f))


@contextmanager
def _evidence() -> Iterator[list[Any]]:
    """The list of the files a report stores; if the report fails after some were stored,
    they are removed again (no row refers to them)."""
    stored: list[Any] = []
    try:
        yield stored
    except BaseException:
        for att in stored:
            default_storage.delete(att.storage_name)
        raise


# --- Findings ------------------------------------------------------------------------------

FINDING_FIELDS = ("title", "severity", "found_at", "sensitivity")


def _finding_snapshot(finding: Finding) -> dict[str, Any]:
    return {
        **{f: getattr(finding, f) for f in FINDING_FIELDS},
        "description_sm3": _digest(finding.description),
    }


def _clean_finding(data: dict[str, Any], *, floor: str) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = [_("请填写问题概述。")]
    elif len(title) > 200:
        errors["title"] = [_("问题概述不能超过 200 个字。")]
    description = (data.get("description") or "").strip()
    if not description:
        errors["description"] = [_("请填写问题描述。")]
    elif len(description) > MAX_TEXT:
        errors["description"] = [_("问题描述不能超过 %(n)d 个字。") % {"n": MAX_TEXT}]
    severity = data.get("severity") or Severity.GENERAL
    if severity not in Severity.values:
        errors["severity"] = [_("请选择严重程度。")]
    sensitivity = data.get("sensitivity") or floor
    if sensitivity not in Sensitivity.values:
        errors["sensitivity"] = [_("请选择密级。")]
    elif SENSITIVITY_RANK[sensitivity] < SENSITIVITY_RANK.get(floor, 0):
        errors["sensitivity"] = [
            _("密级不能低于问题所在记录的密级（%(floor)s）。") % {"floor": Sensitivity(floor).label}
        ]
    found_at = data.get("found_at")
    if not isinstance(found_at, date):
        errors["found_at"] = [_("请填写发现日期。")]
    elif found_at > timezone.localdate():
        errors["found_at"] = [_("发现日期不能晚于今天。")]
    if errors:
        raise ValidationFailed(_("问题未保存，请按提示更正。"), field_errors=errors)
    return {
        "title": title,
        "description": description,
        "severity": severity,
        "sensitivity": sensitivity,
        "found_at": found_at,
    }


def finding_raise(*, actor: Actor, record: Any, data: dict[str, Any]) -> Finding:
    """Raise a finding on `record` (where it was found) with one rectification per responsible
    organisation, each with a commitment deadline (working days) and a rectification deadline
    (calendar months) counted from now.

    `data`: title, description, severity, found_at, sensitivity, about_organisation_id,
    found_by_org_id, found_by_id (a person of that organisation; default the actor),
    responsible_org_ids, rectification_months (default 3)."""
    actor = access.require(actor, "rectification.finding.raise", record)
    floor = getattr(record, "sensitivity", None) or Sensitivity.PUBLIC
    values = _clean_finding(data, floor=floor)
    errors: dict[str, list[str]] = {}
    found_by_org = Organisation.objects.filter(
        pk=data.get("found_by_org_id"), is_active=True
    ).first()
    if found_by_org is None or found_by_org.pk not in raising_org_ids(actor):
        errors["found_by_org"] = [_("请选择您任职（工作人员或负责人）的监督单位作为发现单位。")]
    about = Organisation.objects.filter(
        pk=data.get("about_organisation_id"), is_active=True
    ).first()
    if about is None:
        errors["about_organisation"] = [_("请选择被监督单位。")]
    wanted = list(dict.fromkeys(int(i) for i in data.get("responsible_org_ids") or ()))
    responsible = list(Organisation.objects.filter(pk__in=wanted, is_active=True))
    if not wanted:
        errors["responsible_orgs"] = [_("请至少选择一个整改责任单位。")]
    elif len(wanted) > MAX_RESPONSIBLE:
        errors["responsible_orgs"] = [_("整改责任单位不能超过 %(n)d 个。") % {"n": MAX_RESPONSIBLE}]
    elif len(responsible) != len(wanted):
        errors["responsible_orgs"] = [_("所选整改责任单位不存在或已停用。")]
    found_by_id = data.get("found_by_id") or actor.person_id
    found_by = None
    if found_by_id is not None and found_by_org is not None:
        found_by = Person.objects.filter(
            pk=found_by_id,
            is_active=True,
            memberships__organisation=found_by_org,
            memberships__is_active=True,
        ).first()
        if found_by is None:
            errors["found_by"] = [_("发现人须为发现单位的在职人员。")]
    try:
        months = _months(data.get("rectification_months", 3), "rectification_months")
    except ValidationFailed as exc:
        errors.update(exc.field_errors)
    if errors:
        raise ValidationFailed(_("问题未保存，请按提示更正。"), field_errors=errors)
    assert found_by_org is not None and about is not None
    responsible.sort(key=lambda o: wanted.index(o.pk))

    with transaction.atomic():
        finding = Finding(
            **records.reference(record),
            **values,
            about_organisation=about,
            found_by_org=found_by_org,
            found_by=found_by,
            raised_by=actor.user,
        )
        finding.save(force_insert=True)
        rects = []
        for org in responsible:
            rect = Rectification(
                finding=finding,
                responsible_org=org,
                raising_org=found_by_org,
                year=values["found_at"].year,
            )
            try:
                with transaction.atomic():
                    rect.save(force_insert=True)
            except IntegrityError:
                raise _fail(_("整改责任单位重复。"), "responsible_orgs") from None
            rects.append(rect)
            deadline_services.deadline_open(
                actor=actor,
                record=rect,
                kind=DEADLINE_COMMITMENT,
                title=(_("制定整改措施：%(t)s") % {"t": finding.title})[:200],
                rule=Rule.working_days(settings.RECTIFICATION_COMMITMENT_WORKING_DAYS),
                responsible_org=org,
                assigner_org=found_by_org,
                manage_action="rectification.rectification.manage",
            )
            deadline_services.deadline_open(
                actor=actor,
                record=rect,
                kind=DEADLINE_RECTIFICATION,
                title=(_("完成整改：%(t)s") % {"t": finding.title})[:200],
                rule=Rule.months(months),
                responsible_org=org,
                assigner_org=found_by_org,
                manage_action="rectification.rectification.manage",
            )
        audit.event(
            actor,
            "rectification.finding.raised",
            finding,
            found_by_org.pk,
            after={
                **_finding_snapshot(finding),
                "record": f"{records.record_label(record)}#{record.pk}",
                "about_organisation": about.pk,
                "found_by_org": found_by_org.pk,
                "found_by": found_by.pk if found_by else None,
                "rectifications": [
                    {"id": r.pk, "responsible_org": r.responsible_org_id} for r in rects
                ],
                "rectification_months": months,
            },
        )
        for rect in rects:
            _notify(
                rect,
                kind="rectification.finding.raised",
                to_unit=True,
                title=_("需要整改的问题：%(t)s") % {"t": finding.title},
                occurrence="raised",
            )
    return finding


def finding_update(*, actor: Actor, finding_id: int, version: int, data: dict[str, Any]) -> Finding:
    """Correct a finding's title, description, severity, date or sensitivity."""
    finding = Finding.objects.filter(pk=finding_id).first()
    if finding is None:
        raise ValidationFailed(_("问题不存在或已被删除。"))
    actor = access.require(actor, "rectification.finding.edit", finding)
    record = finding.record
    floor = getattr(record, "sensitivity", None) or Sensitivity.PUBLIC
    with transaction.atomic():
        finding = Finding.objects.select_for_update().get(pk=finding_id)
        if finding.version != version:
            raise ConcurrentEdit(
                _("该问题已被他人修改，您的修改未保存。请刷新页面查看最新内容后再修改。")
            )
        merged = {k: data.get(k, getattr(finding, k)) for k in (*FINDING_FIELDS, "description")}
        values = _clean_finding(merged, floor=floor)
        before = _finding_snapshot(finding)
        for key, value in values.items():
            setattr(finding, key, value)
        old, new = audit.diff(before, _finding_snapshot(finding))
        if not new:
            return finding
        finding.version += 1
        finding.save(update_fields=[*values, "version", "updated_at"])
        if "found_at" in new:
            finding.rectifications.update(year=finding.found_at.year)
        audit.event(
            actor,
            "rectification.finding.updated",
            finding,
            finding.found_by_org_id,
            before=old,
            after=new,
        )
    return finding


# --- The responsible unit: commit, report progress, submit ---------------------------------


def rectification_commit(
    *,
    actor: Actor,
    rectification_id: int,
    version: int,
    commitment: str,
    planned_completion: date | None,
) -> Rectification:
    """The unit states its measures and when it will have finished (also after a reopening).
    The planned date may not be later than the rectification deadline: ask for an extension of
    the deadline first."""
    actor = access.require(actor, "rectification.rectification.respond", _get(rectification_id))
    with transaction.atomic():
        rect = _lock(rectification_id, version)
        before_state = rect.state
        target = _step(rect, Step.COMMIT)
        text = _text(commitment, "commitment", _("整改措施和承诺"))
        if planned_completion is None:
            raise _fail(_("请填写计划完成日期。"), "planned_completion")
        if planned_completion < timezone.localdate():
            raise _fail(_("计划完成日期不能早于今天。"), "planned_completion")
        deadline = live_deadline(rect, DEADLINE_RECTIFICATION)
        if deadline is not None:
            due = timezone.localtime(deadline.due_at).date()
            if planned_completion > due:
                raise _fail(
                    _(
                        "计划完成日期不能晚于整改期限（%(due)s）。如确需更多时间，请先在"
                        "“办理期限”中申请延期。"
                    )
                    % {"due": due.isoformat()},
                    "planned_completion",
                )
        now = timezone.now()
        before = {
            "state": before_state,
            "planned_completion": rect.planned_completion,
            "commitment_sm3": _digest(rect.commitment),
        }
        versioned.save(
            rect,
            state=target,
            commitment=text,
            planned_completion=planned_completion,
            committed_at=now,
            committed_by=actor.user,
        )
        _meet(actor, rect, DEADLINE_COMMITMENT)
        _record(
            actor,
            rect,
            "rectification.rectification.committed",
            before=before,
            after={
                "state": rect.state,
                "planned_completion": planned_completion,
                "commitment_sm3": _digest(text),
            },
            to_unit=False,
            title=_("已制定整改措施：%(t)s") % {"t": rect.finding.title},
            occurrence=f"committed:{rect.version}",
        )
    return rect


def _report(
    actor: Actor,
    rect: Rectification,
    text: str,
    files: Sequence[Any],
    *,
    final: bool,
    stored: list[Any],
) -> ProgressReport:
    if len(files) > MAX_FILES:
        raise _fail(_("一次最多上传 %(n)d 个证明材料。") % {"n": MAX_FILES}, "files")
    author_org = rect.responsible_org
    report = ProgressReport(
        rectification=rect,
        text=text,
        is_final=final,
        author=actor.user,
        author_org=author_org,
        reported_at=timezone.now(),
    )
    report.save(force_insert=True)
    _add_evidence(actor, report, files, stored)
    return report


def _reported(
    rect: Rectification, report: ProgressReport, text: str, stored: list[Any]
) -> dict[str, Any]:
    """What the audit event of a report says: the state, the report, its text's digest and
    its files."""
    return {
        "state": rect.state,
        "report": report.pk,
        "text_sm3": _digest(text),
        "attachments": [a.pk for a in stored],
    }


def rectification_report_progress(
    *,
    actor: Actor,
    rectification_id: int,
    version: int,
    text: str,
    files: Sequence[Any] = (),
) -> ProgressReport:
    """A progress report of the responsible unit, with evidence files (attachments of the
    report). All or nothing: a refused file refuses the report."""
    actor = access.require(actor, "rectification.rectification.respond", _get(rectification_id))
    with _evidence() as stored, transaction.atomic():
        rect = _lock(rectification_id, version)
        _step(rect, Step.REPORT)
        body = _text(text, "text", _("整改进展"))
        report = _report(actor, rect, body, files, final=False, stored=stored)
        versioned.save(rect, last_report_at=report.reported_at)
        _record(
            actor,
            rect,
            "rectification.rectification.progress_reported",
            after=_reported(rect, report, body, stored),
            to_unit=False,
            title=_("整改进展：%(t)s") % {"t": rect.finding.title},
            occurrence=f"report:{report.pk}",
        )
    return report


def rectification_submit(
    *,
    actor: Actor,
    rectification_id: int,
    version: int,
    summary: str,
    files: Sequence[Any] = (),
) -> Rectification:
    """The unit reports that it has finished (整改完成情况, with evidence) and asks the raising
    organisation to verify; the rectification deadline is met."""
    actor = access.require(actor, "rectification.rectification.respond", _get(rectification_id))
    with _evidence() as stored, transaction.atomic():
        rect = _lock(rectification_id, version)
        target = _step(rect, Step.SUBMIT)
        body = _text(summary, "summary", _("整改完成情况"))
        report = _report(actor, rect, body, files, final=True, stored=stored)
        before = {"state": rect.state}
        versioned.save(
            rect,
            state=target,
            submitted_at=report.reported_at,
            last_report_at=report.reported_at,
        )
        _meet(actor, rect, DEADLINE_RECTIFICATION)
        _record(
            actor,
            rect,
            "rectification.rectification.submitted",
            before=before,
            after=_reported(rect, report, body, stored),
            to_unit=False,
            title=_("整改待核验：%(t)s") % {"t": rect.finding.title},
            occurrence=f"submitted:{rect.version}",
        )
    return rect


# --- The raising organisation: verify and close, or reopen ---------------------------------


def rectification_close(
    *, actor: Actor, rectification_id: int, version: int, note: str = ""
) -> Rectification:
    """Verification passed: the raising organisation closes the rectification (销号)."""
    actor = access.require(actor, "rectification.rectification.verify", _get(rectification_id))
    with transaction.atomic():
        rect = _lock(rectification_id, version)
        target = _step(rect, Step.CLOSE)
        text = _text(note, "note", _("核验意见"), required=False)
        before = {"state": rect.state}
        versioned.save(
            rect,
            state=target,
            closed_at=timezone.now(),
            closed_by=actor.user,
            verification_note=text,
        )
        _record(
            actor,
            rect,
            "rectification.rectification.verified_closed",
            before=before,
            after={"state": rect.state, "note_sm3": _digest(text)},
            to_unit=True,
            title=_("整改已核验销号：%(t)s") % {"t": rect.finding.title},
            occurrence="closed",
        )
    return rect


def rectification_reopen(
    *, actor: Actor, rectification_id: int, version: int, reason: str, months: int = 1
) -> Rectification:
    """Verification failed: back to the unit, with the reason and a new rectification
    deadline of `months` calendar months from now."""
    actor = access.require(actor, "rectification.rectification.verify", _get(rectification_id))
    with transaction.atomic():
        rect = _lock(rectification_id, version)
        target = _step(rect, Step.REOPEN)
        text = _text(reason, "reason", _("退回理由"))
        months = _months(months, "months")
        before = {"state": rect.state, "reopen_count": rect.reopen_count}
        rect.state = target
        rect.verification_note = text
        rect.reopen_count += 1
        versioned.save(rect, "state", "verification_note", "reopen_count")
        stale = live_deadline(rect, DEADLINE_RECTIFICATION)
        if stale is not None:  # submitted with time left: the clock is started afresh
            deadline_services.deadline_cancel(
                actor=actor, deadline_id=stale.pk, reason=_("退回重新整改")
            )
        deadline_services.deadline_open(
            actor=actor,
            record=rect,
            kind=DEADLINE_RECTIFICATION,
            title=(_("重新整改：%(t)s") % {"t": rect.finding.title})[:200],
            rule=Rule.months(months),
            responsible_org=rect.responsible_org,
            assigner_org=rect.raising_org,
            manage_action="rectification.rectification.manage",
        )
        _record(
            actor,
            rect,
            "rectification.rectification.reopened",
            before=before,
            after={
                "state": rect.state,
                "reopen_count": rect.reopen_count,
                "reason_sm3": _digest(text),
                "months": months,
            },
            to_unit=True,
            title=_("整改被退回，请重新整改：%(t)s") % {"t": rect.finding.title},
            occurrence=f"reopened:{rect.reopen_count}",
        )
    return rect


__all__ = [
    "RectificationState",
    "finding_raise",
    "finding_update",
    "rectification_close",
    "rectification_commit",
    "rectification_reopen",
    "rectification_report_progress",
    "rectification_submit",
]
