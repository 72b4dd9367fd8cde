"""What the stages of a suggestion's life share: limits, validation, locking, saving,
deadlines through the deadlines app, who is told and how."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.access import Actor
from wulian.core.choices import OrgKind
from wulian.core.crypto import sm3_hex
from wulian.core.deadlines import services as deadline_services
from wulian.core.deadlines.models import Deadline
from wulian.core.deadlines.rules import Rule
from wulian.core.deadlines.selectors import live_deadline
from wulian.core.errors import (
    ConcurrentEdit,
    TransitionNotAllowed,
    ValidationFailed,
    next_state,
)
from wulian.core.models import Organisation
from wulian.core.notifications import outbox
from wulian.core.selectors import users_holding
from wulian.core.servicekit import fail as _fail
from wulian.suggestions.choices import (
    DEADLINE_VERDICT,
    STEP_STATES,
    TRANSITIONS,
    Step,
    SuggestionStatus,
)
from wulian.suggestions.models import (
    CoSigner,
    Suggestion,
)
from wulian.suggestions.policies import (
    DESK_ROLES,
    clock_granted,
)

M = TypeVar("M", bound=Model)
S = SuggestionStatus
MAX_TITLE = 200
MAX_TEXT = 20_000
MAX_NOTE = 5_000
MAX_COSIGNERS = 50
MAX_CO_UNITS = 10
MAX_BATCH = 500
MAX_FILES = 10
# A contact time typed a few minutes before the receipt (clocks differ) is accepted.
CLOCK_SKEW = timedelta(minutes=5)
# Organisations that may handle a suggestion (never a supervising body).
HANDLING_KINDS = frozenset(
    {
        OrgKind.HANDLING_UNIT,
        OrgKind.GOVERNMENT,
        OrgKind.COURT,
        OrgKind.PROCURATORATE,
        OrgKind.OTHER,
    }
)


# --- Helpers -------------------------------------------------------------------------------


def _digest(text: str) -> str:
    return sm3_hex(text.encode()) if text else ""


def _text(
    value: Any, field: str, label: str, *, required: bool = True, limit: int = MAX_TEXT
) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if required and not text:
        raise _fail(_("请填写%(label)s。") % {"label": label}, field)
    if len(text) > limit:
        raise _fail(_("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": limit}, field)
    return text


def _stale() -> ConcurrentEdit:
    return ConcurrentEdit(
        _("该建议已被他人处理或修改，您的操作未执行。请刷新页面查看最新状态后再操作。")
    )


def _step(suggestion: Suggestion, step: str) -> str:
    refusal = _("该建议当前为“%(state)s”，不能%(step)s。")
    return next_state(TRANSITIONS, suggestion, step, Step, refusal, field="status")


def _require_state(suggestion: Suggestion, step: str) -> None:
    if suggestion.status not in STEP_STATES[step]:
        raise TransitionNotAllowed(
            _("该建议当前为“%(state)s”，不能%(step)s。")
            % {"state": suggestion.get_status_display(), "step": Step(step).label}
        )


def _get(suggestion_id: int) -> Suggestion:
    return _found(Suggestion.objects.all(), suggestion_id, _("建议不存在。"))


def _lock(suggestion_id: int, version: int | None = None) -> Suggestion:
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion_id)
    if version is not None and suggestion.version != version:
        raise _stale()
    return suggestion


def _snapshot(s: Suggestion) -> dict[str, Any]:
    return {
        "status": s.status,
        "lead_unit": s.lead_unit_id,
        "reply_round": s.reply_round,
    }


def _found(qs: QuerySet[M], pk: int, missing: str) -> M:
    """The row `pk` of `qs`, or a ValidationFailed saying it does not exist."""
    row = qs.filter(pk=pk).first()
    if row is None:
        raise ValidationFailed(missing)
    return row


def _locked(qs: QuerySet[M], pk: int, version: int, *, missing: str, stale: str) -> M:
    """The row `pk` locked (`qs` is a `select_for_update()` queryset); a stale `version` is
    a ConcurrentEdit with `stale`."""
    row = _found(qs, pk, missing)
    if row.version != version:
        raise ConcurrentEdit(stale)
    return row


def _meet(actor: Actor, record: Any, kind: str) -> Deadline | None:
    deadline = live_deadline(record, kind)
    if deadline is None:
        return None
    with clock_granted():
        return deadline_services.deadline_meet(actor=actor, deadline_id=deadline.pk)


def _cancel(actor: Actor, record: Any, kind: str, reason: str) -> None:
    deadline = live_deadline(record, kind)
    if deadline is not None:
        with clock_granted():
            deadline_services.deadline_cancel(actor=actor, deadline_id=deadline.pk, reason=reason)


def _open(actor: Actor, record: Any, **kwargs: Any) -> Deadline:
    with clock_granted():
        return deadline_services.deadline_open(
            actor=actor, record=record, manage_action="suggestions.suggestion.clock", **kwargs
        )


def _oversight_orgs() -> list[Organisation]:
    """Where an overdue contact or reply is escalated: the government supervision office and
    the stationed group."""
    return list(
        Organisation.objects.filter(
            kind__in=[OrgKind.GOV_SUPERVISION_OFFICE, OrgKind.STATIONED_GROUP], is_active=True
        )
    )


def _users_of_people(person_ids: Iterable[int]) -> list[Any]:
    from wulian.accounts.models import User

    ids = [i for i in person_ids if i is not None]
    if not ids:
        return []
    return list(User.objects.filter(person__id__in=ids, is_active=True))


def _deputies(s: Suggestion) -> list[Any]:
    """The accounts of the lead deputy and every co-signer (each gets the reply)."""
    ids = [
        s.lead_deputy_id,
        *CoSigner.objects.filter(suggestion=s).values_list("person_id", flat=True),
    ]
    return _users_of_people(ids)


def _lead_deputy_users(s: Suggestion) -> list[Any]:
    return _users_of_people([s.lead_deputy_id])


def _office_users(s: Suggestion) -> list[Any]:
    return users_holding([s.office_id], DESK_ROLES)


def _gov_office_users() -> list[Any]:
    ids = Organisation.objects.filter(
        kind=OrgKind.GOV_SUPERVISION_OFFICE, is_active=True
    ).values_list("pk", flat=True)
    return users_holding(list(ids), DESK_ROLES)


def _notify(
    s: Suggestion,
    *,
    kind: str,
    recipients: Iterable[Any],
    title: str,
    occurrence: str,
    body: str = "",
) -> None:
    outbox.enqueue(
        kind=kind,
        recipients=recipients,
        title=title,
        body=body,
        url=s.get_absolute_url(),
        dedupe=f"suggestion:{s.pk}:{occurrence}",
    )


def _store_files(actor: Actor, record: Any, files: Sequence[Any], stored: list[Any]) -> None:
    from wulian.core.attachments.services import attachment_add

    if len(files) > MAX_FILES:
        raise _fail(_("附件不能超过 %(n)d 个。") % {"n": MAX_FILES}, "files")
    for f in files:
        stored.append(attachment_add(actor=actor, record=record, upload=f))


def _discard_files(attachments: list[Any]) -> None:
    for att in attachments:
        default_storage.delete(att.storage_name)


def _handling_unit(org_id: Any, field: str) -> Organisation:
    try:
        pk = int(org_id)
    except (TypeError, ValueError):
        raise _fail(_("请选择承办单位。"), field) from None
    org = Organisation.objects.filter(pk=pk, is_active=True).first()
    if org is None:
        raise _fail(_("所选承办单位不存在或已停用。"), field)
    if org.kind not in HANDLING_KINDS:
        raise _fail(_("“%(name)s”是监督机关，不能作为承办单位。") % {"name": org.name}, field)
    return org


def _title(s: Suggestion) -> str:
    return f"{s.session.name}{s.number_label}《{s.title}》"


def _day(at: datetime) -> str:
    return f"{timezone.localtime(at):%Y-%m-%d}"


def _open_verdict_deadline(actor: Actor, s: Suggestion, start: datetime) -> Deadline:
    """The deputy returns the 征询意见表 (the verdict) within SUGGESTION_VERDICT_WORKING_DAYS
    working days of receiving the reply. The lead deputy's account is the responsible person,
    reminded before the end (without an account, the office's desk staff are); when it ends the
    congress office is told to follow up and record the paper form (`verdict_messages`) — no
    supervision order, and nothing is deemed satisfied: the suggestion stays answered without
    a verdict."""
    office = Organisation.objects.get(pk=s.office_id)
    deputy_user = next(iter(_lead_deputy_users(s)), None)
    return _open(
        actor,
        s,
        kind=DEADLINE_VERDICT,
        title=(_("评价代表建议 %(t)s 的答复（反馈征询意见表）") % {"t": _title(s)})[:200],
        rule=Rule.working_days(settings.SUGGESTION_VERDICT_WORKING_DAYS),
        start=start,
        # A deadline names the organisation that answers for it: the congress office, which
        # follows up a missing 征询意见表 and records the deputy's paper form. It also assigns it
        # (the escalation at the end reaches its desk staff; nobody else is escalated to).
        responsible_org=office,
        responsible_user=deputy_user,
        assigner_org=office,
    )
