"""Publication of a suggestion and its replies (公开), redacted, and its withdrawal."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, versioned
from wulian.core.access import Actor
from wulian.core.errors import (
    RuleViolation,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.selectors import users_holding
from wulian.suggestions import redact, search, selectors
from wulian.suggestions.models import (
    Reply,
    Suggestion,
)
from wulian.suggestions.services._common import (
    MAX_TITLE,
    S,
    _deputies,
    _digest,
    _get,
    _lock,
    _notify,
    _text,
    _title,
)

# --- Publication -----------------------------------------------------------------------------


def _publication_digests(s: Suggestion, replies: Iterable[Reply]) -> dict[str, Any]:
    """The audit trail's record of the approved texts: their SM3 digests, not the texts."""
    return {
        "public": s.public,
        "title_sm3": _digest(s.public_title),
        "content_sm3": _digest(s.public_content),
        "replies_sm3": {str(r.round): _digest(r.published_text) for r in replies},
    }


def suggestion_publish(
    *,
    actor: Actor,
    suggestion_id: int,
    version: int,
    title: str,
    content: str,
    replies: Mapping[int, str],
) -> Suggestion:
    """Congress staff approve the texts the public page shows — the public title, the public
    content (empty: not shown) and each reply round's text (`replies`: round → text; empty:
    that reply is not shown) — and publish the answered suggestion; on a published one, the
    approved texts are replaced. Nothing else of the suggestion is ever public.

    A reply's text may be approved only if its unit wrote a public text for it (the unit's
    consent); at least one reply is approved. The audit event holds SM3 digests of the
    approved texts, not the texts. The deputies and the lead unit are told."""
    actor = access.require(actor, "suggestions.suggestion.manage", _get(suggestion_id))
    with transaction.atomic():
        s = _lock(suggestion_id, version)
        if s.status not in (S.ANSWERED, S.CLOSED):
            raise TransitionNotAllowed(
                _("只有已答复的建议才能公开（当前为“%(state)s”）。")
                % {"state": s.get_status_display()}
            )
        rows = list(Reply.objects.select_for_update().filter(suggestion=s).order_by("round"))
        if not any(r.public_text for r in rows):
            raise RuleViolation(
                _("答复没有可公开的文本。请承办单位在答复时填写公开文本（去除个人信息）后再公开。")
            )
        errors: dict[str, list[str]] = {}

        def text(value: Any, field: str, label: str, **kw: Any) -> str:
            try:
                return _text(value, field, label, **kw)
            except ValidationFailed as exc:
                errors.update(exc.field_errors or {})
                return ""

        new_title = text(title, "title", _("公开标题"), limit=MAX_TITLE)
        new_content = text(content, "content", _("公开内容"), required=False)
        rounds = {r.round for r in rows}
        for n in sorted(set(replies) - rounds):
            errors[f"reply_{n}"] = [_("该建议没有第 %(n)d 次答复。") % {"n": n}]
        texts: dict[int, str] = {}
        for r in rows:
            field = f"reply_{r.round}"
            texts[r.round] = text(
                replies.get(r.round, ""),
                field,
                _("第 %(n)d 次答复的公开文本") % {"n": r.round},
                required=False,
            )
            if texts[r.round] and not r.public_text:
                errors[field] = [
                    _("承办单位没有为第 %(n)d 次答复填写公开文本，即未同意公开，请留空。")
                    % {"n": r.round}
                ]
        if not errors and not any(texts.values()):
            last = max(r.round for r in rows if r.public_text)
            errors[f"reply_{last}"] = [_("请审定至少一次答复的公开文本。")]
        if errors:
            raise ValidationFailed(_("公开文本未审定，请按提示更正。"), field_errors=errors)
        before = _publication_digests(s, rows)
        changed = [r for r in rows if r.published_text != texts[r.round]]
        same = (s.public_title, s.public_content) == (new_title, new_content)
        if s.public and same and not changed:
            return s  # approved as it stands: nothing to record
        now = timezone.now()
        for r in changed:
            r.published_text = texts[r.round]
            r.save(update_fields=["published_text"])
        names = selectors.public_names(suggestion_id=s.pk)
        shown = [new_title, new_content, *(texts[r.round] for r in rows)]
        first = not s.public
        s.public = True
        if first:
            s.published_at = now
        versioned.save(
            s,
            "public",
            "published_at",
            public_title=new_title,
            public_content=new_content,
            public_approved_by=actor.user,
            public_approved_at=now,
            public_search_tokens=search.public_tokens_for(
                *(redact.redact(t, names) for t in shown)
            ),
        )
        audit.event(
            actor,
            "suggestions.suggestion.published",
            s,
            s.office_id,
            before=before,
            after=_publication_digests(s, rows),
        )
        _notify(
            s,
            kind="suggestions.suggestion.published",
            recipients=[*_deputies(s), *users_holding([s.lead_unit_id] if s.lead_unit_id else [])],
            title=(
                _("建议 %(t)s 及其答复已在公开页面公开")
                if first
                else _("建议 %(t)s 公开的文本已更新")
            )
            % {"t": _title(s)},
            occurrence=f"published:{s.version}",
        )
    return s


def suggestion_unpublish(*, actor: Actor, suggestion_id: int, version: int) -> Suggestion:
    """Congress staff take a suggestion off the public page; its approved texts are cleared
    (publishing again needs a new approval). The deputies and the lead unit are told."""
    actor = access.require(actor, "suggestions.suggestion.manage", _get(suggestion_id))
    with transaction.atomic():
        s = _lock(suggestion_id, version)
        rows = list(Reply.objects.select_for_update().filter(suggestion=s).order_by("round"))
        if not s.public:
            raise TransitionNotAllowed(_("该建议没有公开，无需取消公开。"))
        before = _publication_digests(s, rows)
        for r in rows:
            if r.published_text:
                r.published_text = ""
                r.save(update_fields=["published_text"])
        versioned.save(
            s,
            public=False,
            published_at=None,
            public_title="",
            public_content="",
            public_approved_by=None,
            public_approved_at=None,
            public_search_tokens="",
        )
        audit.event(
            actor,
            "suggestions.suggestion.unpublished",
            s,
            s.office_id,
            before=before,
            after={"public": False},
        )
        _notify(
            s,
            kind="suggestions.suggestion.unpublished",
            recipients=[*_deputies(s), *users_holding([s.lead_unit_id] if s.lead_unit_id else [])],
            title=_("建议 %(t)s 已从公开页面撤下") % {"t": _title(s)},
            occurrence=f"unpublished:{s.version}",
        )
    return s
