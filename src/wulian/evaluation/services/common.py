"""What the services of 联评 share: the rules' constants, loading and locking an evaluation, its
version, its stage, its notices and deadlines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from wulian.core import access, audit, versioned
from wulian.core.access import Actor
from wulian.core.deadlines import services as deadline_services
from wulian.core.deadlines.rules import Rule
from wulian.core.deadlines.selectors import live_deadline
from wulian.core.errors import ConcurrentEdit, TransitionNotAllowed
from wulian.core.notifications import outbox
from wulian.core.selectors import users_holding
from wulian.core.servicekit import fail as _fail  # noqa: F401 (the services import it from here)
from wulian.core.servicekit import get
from wulian.evaluation.models import Evaluation

MANAGE = "evaluation.evaluation.manage"
DOSSIER_WORKING_DAYS = 10
OPINION_WORKING_DAYS = 10
REPORT_MONTHS = 3
MAX_DIMENSIONS = 12


def _locked(evaluation_id: int, version: int | None = None) -> Evaluation:
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation_id)
    if version is not None and evaluation.version != version:
        raise ConcurrentEdit(_("该评议已被他人修改，请刷新页面后重试。"))
    return evaluation


def _load(actor: Actor, evaluation_id: int, action: str = MANAGE) -> tuple[Actor, Evaluation]:
    evaluation = get(Evaluation, evaluation_id, _("评议不存在或已被删除。"))
    return access.require(actor, action, evaluation), evaluation


def _bump(evaluation: Evaluation, *fields: str) -> None:
    evaluation.version += 1
    evaluation.save(update_fields=[*fields, "version", "updated_at"])


def _in_stage(evaluation: Evaluation, *stages: str, doing: str) -> None:
    if evaluation.stage not in stages:
        raise TransitionNotAllowed(
            _("该评议当前处于“%(s)s”阶段，不能%(d)s。")
            % {"s": evaluation.get_stage_display(), "d": doing}
        )


def _notify(evaluation: Evaluation, kind: str, title: str, org_ids: Sequence[int]) -> None:
    outbox.enqueue(
        kind=kind,
        recipients=users_holding(org_ids),
        title=title,
        url=evaluation.get_absolute_url(),
        dedupe=f"{kind}:{evaluation.pk}:{evaluation.version}",
    )


def _meet(actor: Actor, evaluation: Evaluation, kind: str) -> None:
    deadline = live_deadline(evaluation, kind)
    if deadline is not None:
        deadline_services.deadline_meet(actor=actor, deadline_id=deadline.pk)


def _record(
    actor: Actor,
    evaluation: Evaluation,
    action: str,
    *,
    after: dict[str, Any],
    before: dict[str, Any] | None = None,
) -> None:
    """A step's audit event, in the working body's trail."""
    audit.event(actor, action, evaluation, evaluation.working_body_id, before=before, after=after)


def _change(actor: Actor, evaluation: Evaluation, action: str, said: str, **change: Any) -> None:
    """One field changed (`change`: the field and its new value) and audited as `action`:
    what it was and what it is, under the name `said`."""
    ((field, value),) = change.items()
    before = getattr(evaluation, field)
    versioned.save(evaluation, **change)
    _record(actor, evaluation, action, before={said: before}, after={said: value})


def _open(
    actor: Actor, evaluation: Evaluation, kind: str, title: str, rule: Rule, responsible: Any
) -> None:
    """A time limit the working body sets on `responsible` (an organisation); `title` names
    the task, with %(t)s for the evaluation's title."""
    deadline_services.deadline_open(
        actor=actor,
        record=evaluation,
        kind=kind,
        title=(title % {"t": evaluation.title})[:200],
        rule=rule,
        responsible_org=responsible,
        assigner_org=evaluation.working_body,
        manage_action=MANAGE,
    )
