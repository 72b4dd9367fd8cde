"""Key suggestions (重点督办建议): marking and unmarking, with the leader who follows them."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, versioned
from wulian.core.access import Actor
from wulian.core.errors import (
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.models import Person
from wulian.core.selectors import users_holding
from wulian.suggestions.models import (
    Suggestion,
)
from wulian.suggestions.services._common import (
    S,
    _get,
    _lock,
    _notify,
    _title,
)


def suggestion_mark_key(
    *,
    actor: Actor,
    suggestion_id: int,
    version: int,
    is_key: bool,
    leader_id: int | None = None,
    decided_on: date | None = None,
) -> Suggestion:
    """Record the chairpersons' council's choice of a key suggestion (重点督办) and the leader
    responsible for it (or take it back)."""
    actor = access.require(actor, "suggestions.suggestion.mark_key", _get(suggestion_id))
    leader = None
    if is_key:
        errors: dict[str, list[str]] = {}
        leader = Person.objects.filter(pk=leader_id, is_active=True).first() if leader_id else None
        if leader is None:
            errors["leader"] = [_("请选择督办领导。")]
        if not isinstance(decided_on, date):
            errors["decided_on"] = [_("请填写主任会议确定的日期。")]
        elif decided_on > timezone.localdate():
            errors["decided_on"] = [_("确定日期不能晚于今天。")]
        if errors:
            raise ValidationFailed(_("重点督办未保存，请按提示更正。"), field_errors=errors)
    with transaction.atomic():
        s = _lock(suggestion_id, version)
        if s.status in (S.SUBMITTED, S.NOT_ACCEPTED, S.WITHDRAWN):
            raise TransitionNotAllowed(
                _("该建议当前为“%(state)s”，不能列为重点督办。") % {"state": s.get_status_display()}
            )
        before = {
            "is_key": s.is_key,
            "key_leader": s.key_leader_id,
            "key_decided_on": s.key_decided_on,
        }
        s.is_key = is_key
        s.key_leader = leader
        s.key_decided_on = decided_on if is_key else None
        after = {
            "is_key": s.is_key,
            "key_leader": s.key_leader_id,
            "key_decided_on": s.key_decided_on,
        }
        if before == after:
            return s
        versioned.save(s, "is_key", "key_leader", "key_decided_on")
        audit.event(
            actor, "suggestions.suggestion.key_marked", s, s.office_id, before=before, after=after
        )
        if is_key and s.lead_unit_id:
            _notify(
                s,
                kind="suggestions.suggestion.key_marked",
                recipients=users_holding([s.lead_unit_id]),
                title=_("代表建议 %(t)s 列为重点督办建议") % {"t": _title(s)},
                occurrence=f"key:{s.version}",
            )
    return s
