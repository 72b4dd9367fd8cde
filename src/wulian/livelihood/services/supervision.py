"""The project's supervision set-up: its milestones (节点), and the supervision orders (督办)
on a lagging project with their escalation to the CDI."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit
from wulian.core.access import Actor
from wulian.livelihood.models import Milestone, Project
from wulian.livelihood.services.common import bump, check_version, fail

MAX_MILESTONES = 24


def _project(project_id: int) -> Project:
    project = Project.objects.select_for_update().filter(pk=project_id).first()
    if project is None:
        raise fail(_("该民生实事项目不存在。"))
    return project


def _date(text: str, number: int) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise fail(
            _("第 %(n)d 行的日期“%(d)s”无法识别，请写成 2023-06-30。") % {"n": number, "d": text},
            "milestones",
        ) from None


def parse_milestones(text: str) -> list[tuple[str, date, date | None]]:
    """One milestone a line: 节点名称|计划完成日期|实际完成日期 (the last may be left out)."""
    today = timezone.localdate()
    out: list[tuple[str, date, date | None]] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if len(parts) < 2 or not parts[0]:
            raise fail(
                _("第 %(n)d 行应为“节点名称|计划完成日期|实际完成日期”。") % {"n": number},
                "milestones",
            )
        due = _date(parts[1], number)
        done = _date(parts[2], number) if len(parts) > 2 and parts[2] else None
        if done is not None and done > today:
            raise fail(
                _("第 %(n)d 行的实际完成日期晚于今天，尚未完成的节点请不填实际完成日期。")
                % {"n": number},
                "milestones",
            )
        out.append((parts[0][:200], due, done))
    if len(out) > MAX_MILESTONES:
        raise fail(_("每个项目的节点最多 %(n)d 个。") % {"n": MAX_MILESTONES}, "milestones")
    return out


def milestones_text(project: Project) -> str:
    """The project's milestones as the form writes them (the form's initial value)."""
    return "\n".join(
        "|".join([m.title, m.due_on.isoformat(), m.done_on.isoformat() if m.done_on else ""])
        for m in project.milestones.all()
    )


def milestones_set(
    actor: Actor, *, project_id: int, milestones: str, version: int | None = None
) -> Project:
    """The project's milestones (节点), replaced as a whole from the form's lines."""
    parsed = parse_milestones(milestones)
    with transaction.atomic():
        project = _project(project_id)
        access.require(actor, "livelihood.project.manage", project)
        check_version(project, version)
        before = milestones_text(project)
        project.milestones.all().delete()
        Milestone.objects.bulk_create(
            [Milestone(project=project, title=t, due_on=d, done_on=x) for t, d, x in parsed]
        )
        bump(project)
        audit.record(
            action="livelihood.project.milestones_set",
            actor=actor,
            target=project,
            before={"milestones": before},
            after={"milestones": milestones_text(project)},
            organisation_id=project.responsible_id,
        )
    return project
