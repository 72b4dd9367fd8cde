"""Review outcome: handled as a deputy's letter (作为代表来信处理).

Source: 《全国人民代表大会代表建议、批评和意见处理办法》 (the national rules on handling deputies'
suggestions): what is not to be raised as a suggestion (e.g. a forwarded letter from the
public, the deputy's own or relatives' matter, a specific case for litigation or petition) is
not handled as a suggestion and may be handled as a deputy's letter (作为代表来信处理) instead
of being refused outright. The article number was not verified here (it differs between the
2005 text and later revisions; docs/adr/0019). Local rules found carry the same list
(e.g. 深圳, 第九条; the 不予立案 reasons in `choices.NotAcceptedReason`).

The outcome ends the suggestion's handling here (state 作为代表来信处理); the letter itself is
handled by the office's letters-and-visits work outside this link. The deputy is told."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, versioned
from wulian.core.access import Actor
from wulian.suggestions.choices import Step
from wulian.suggestions.models import Suggestion
from wulian.suggestions.services._common import (
    MAX_NOTE,
    _digest,
    _get,
    _lock,
    _notify,
    _snapshot,
    _step,
    _text,
    _title,
    _users_of_people,
)


def suggestion_treat_as_letter(
    *, actor: Actor, suggestion_id: int, version: int, note: str
) -> Suggestion:
    """Review: not a suggestion, handled as a deputy's letter (作为代表来信处理), with the reason
    the deputy is told. Who: congress staff (`suggestions.suggestion.review`). Refusals:
    AccessDenied, ConcurrentEdit, TransitionNotAllowed (not awaiting review), ValidationFailed
    (no reason)."""
    actor = access.require(actor, "suggestions.suggestion.review", _get(suggestion_id))
    note = _text(note, "note", _("说明"), limit=MAX_NOTE)
    with transaction.atomic():
        s = _lock(suggestion_id, version)
        target = _step(s, Step.REVIEW_LETTER)
        before = _snapshot(s)
        versioned.save(
            s,
            status=target,
            reviewed_at=timezone.now(),
            reviewed_by=actor.user,
            not_accepted_note=note,
        )
        audit.event(
            actor,
            "suggestions.suggestion.as_letter",
            s,
            s.office_id,
            before=before,
            after={**_snapshot(s), "note_sm3": _digest(note)},
        )
        _notify(
            s,
            kind="suggestions.suggestion.as_letter",
            recipients=[*_users_of_people([s.lead_deputy_id]), s.submitted_by],
            title=_("您的建议 %(t)s 不作为代表建议办理，已转作代表来信处理") % {"t": _title(s)},
            body=note,
            occurrence="as_letter",
        )
    return s
