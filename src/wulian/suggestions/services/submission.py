"""Sessions, and a suggestion's arrival: submission, withdrawal, acceptance or rejection."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, versioned
from wulian.core.access import Actor
from wulian.core.choices import CONGRESS_SIDE
from wulian.core.deadlines.rules import Rule
from wulian.core.errors import (
    ValidationFailed,
)
from wulian.core.models import Organisation, Person
from wulian.core.selectors import users_holding
from wulian.suggestions import merging, search
from wulian.suggestions.choices import (
    ACTIVE_ASSIGNMENT,
    DEADLINE_ASSIGN,
    DEADLINE_CONTACT,
    DEADLINE_OPINION,
    DEADLINE_RECEIPT,
    DEADLINE_REPLY,
    DEADLINE_REREPLY,
    DEADLINE_VERDICT,
    AssignmentStatus,
    Category,
    NotAcceptedReason,
    RaisedDuring,
    Step,
)
from wulian.suggestions.models import (
    Assignment,
    CongressSession,
    CoSigner,
    Suggestion,
)
from wulian.suggestions.policies import (
    congress_org_ids,
)
from wulian.suggestions.services._common import (
    MAX_COSIGNERS,
    MAX_NOTE,
    MAX_TITLE,
    _cancel,
    _digest,
    _discard_files,
    _fail,
    _get,
    _lead_deputy_users,
    _lock,
    _notify,
    _office_users,
    _open,
    _snapshot,
    _step,
    _store_files,
    _text,
    _title,
    _users_of_people,
)

# --- Sessions --------------------------------------------------------------------------------


def session_create(*, actor: Actor, data: dict[str, Any]) -> CongressSession:
    """A session of the congress (届次/会次), reference data of congress staff."""
    actor = access.require(actor, "suggestions.suggestion.manage")
    errors: dict[str, list[str]] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = [_("请填写届次会次，如“市十五届人大二次会议”。")]
    elif len(name) > 60:
        errors["name"] = [_("届次会次不能超过 60 个字。")]
    elif CongressSession.objects.filter(name=name).exists():
        errors["name"] = [_("该届次会次已存在。")]
    opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
    if not isinstance(opens_on, date):
        errors["opens_on"] = [_("请填写开幕日期。")]
    if not isinstance(closes_on, date):
        errors["closes_on"] = [_("请填写闭幕日期。")]
    elif isinstance(opens_on, date) and closes_on < opens_on:
        errors["closes_on"] = [_("闭幕日期不能早于开幕日期。")]
    office = Organisation.objects.filter(
        pk=data.get("office_id"), is_active=True, kind__in=sorted(CONGRESS_SIDE)
    ).first()
    if office is None:
        errors["office"] = [_("请选择负责建议工作的人大工作机构。")]
    if errors:
        raise ValidationFailed(_("会次未保存，请按提示更正。"), field_errors=errors)
    with transaction.atomic():
        is_current = bool(data.get("is_current"))
        if is_current:
            CongressSession.objects.filter(is_current=True).update(is_current=False)
        session = CongressSession.objects.create(
            name=name,
            year=data.get("year") or opens_on.year,
            opens_on=opens_on,
            closes_on=closes_on,
            office=office,
            is_current=is_current,
        )
        audit.event(
            actor,
            "suggestions.session.created",
            session,
            office.pk,
            after={
                "name": name,
                "opens_on": opens_on,
                "closes_on": closes_on,
                "office": office.pk,
                "is_current": is_current,
            },
        )
    return session


# --- Submission, withdrawal, review ----------------------------------------------------------


def _clean_submission(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}

    def check(fn: Any) -> Any:
        try:
            return fn()
        except ValidationFailed as exc:
            for k, v in exc.field_errors.items():
                errors.setdefault(k, []).extend(v)
            return None

    values: dict[str, Any] = {}
    values["title"] = check(lambda: _text(data.get("title"), "title", _("标题"), limit=MAX_TITLE))
    values["content"] = check(lambda: _text(data.get("content"), "content", _("内容")))
    category = data.get("category") or ""
    if category not in Category.values:
        errors["category"] = [_("请选择建议类别。")]
    values["category"] = category
    session = None
    if data.get("session_id"):
        session = CongressSession.objects.filter(pk=data.get("session_id")).first()
    else:
        session = CongressSession.objects.filter(is_current=True).first()
    if session is None:
        errors["session"] = [_("请选择届次会次（尚未设置当前会次时请联系人大代表工委）。")]
    values["session"] = session
    raised = data.get("raised_during") or ""
    if not raised and session is not None:
        today = timezone.localdate()
        raised = (
            RaisedDuring.SESSION
            if session.opens_on <= today <= session.closes_on
            else RaisedDuring.RECESS
        )
    if raised not in RaisedDuring.values:
        errors["raised_during"] = [_("请选择大会期间或闭会期间。")]
    values["raised_during"] = raised
    # A deputy submits their own; congress staff name the lead deputy.
    staff = bool(congress_org_ids(actor))
    lead_id = data.get("lead_deputy_id") if staff else actor.person_id
    if not staff and data.get("lead_deputy_id") and int(data["lead_deputy_id"]) != actor.person_id:
        errors["lead_deputy"] = [_("代表只能以本人名义领衔提出建议。")]
    lead = Person.objects.filter(pk=lead_id, is_active=True).first() if lead_id else None
    if lead is None:
        errors["lead_deputy"] = [_("请选择领衔代表。")]
    values["lead_deputy"] = lead
    wanted: list[int] = []
    for raw in data.get("co_signer_ids") or ():
        try:
            wanted.append(int(raw))
        except (TypeError, ValueError):
            errors["co_signers"] = [_("附议代表无效。")]
    if lead is not None and lead.pk in wanted:
        errors["co_signers"] = [
            _("领衔代表不能同时是附议代表，请从附议代表中去掉“%(name)s”。") % {"name": lead.name}
        ]
    wanted = [i for i in dict.fromkeys(wanted) if lead is None or i != lead.pk]
    co = list(Person.objects.filter(pk__in=wanted, is_active=True))
    if len(wanted) > MAX_COSIGNERS:
        errors["co_signers"] = [_("附议代表不能超过 %(n)d 人。") % {"n": MAX_COSIGNERS}]
    elif len(co) != len(wanted):
        errors["co_signers"] = [_("所选附议代表不存在或已停用。")]
    co.sort(key=lambda p: wanted.index(p.pk))
    values["co_signers"] = co
    if errors:
        raise ValidationFailed(_("建议未提交，请按提示更正。"), field_errors=errors)
    return values


def suggestion_submit(
    *, actor: Actor, data: dict[str, Any], files: Sequence[Any] = ()
) -> Suggestion:
    """Submit a suggestion: a deputy their own, congress staff on a deputy's behalf. It gets
    the next number of its session (第N号).

    `data`: session_id (default the current session), title, content, category,
    raised_during (default from the session's dates), lead_deputy_id (staff only),
    co_signer_ids."""
    actor = access.require(actor, "suggestions.suggestion.submit")
    values = _clean_submission(actor, data)
    co = values.pop("co_signers")
    stored: list[Any] = []
    try:
        with transaction.atomic():
            session = CongressSession.objects.select_for_update().get(pk=values["session"].pk)
            last = Suggestion.objects.filter(session=session).aggregate(m=Max("number"))["m"]
            suggestion = Suggestion(
                **values,
                number=(last or 0) + 1,
                office_id=session.office_id,
                submitted_by=actor.user,
                submitted_at=timezone.now(),
                search_tokens=search.tokens_for(values["title"], values["content"]),
            )
            suggestion.save(force_insert=True)
            CoSigner.objects.bulk_create(
                [
                    CoSigner(suggestion=suggestion, person=p, position=i)
                    for i, p in enumerate(co, start=1)
                ]
            )
            _store_files(actor, suggestion, files, stored)
            audit.event(
                actor,
                "suggestions.suggestion.submitted",
                suggestion,
                suggestion.office_id,
                after={
                    "session": session.pk,
                    "number": suggestion.number,
                    "status": suggestion.status,
                    "category": suggestion.category,
                    "raised_during": suggestion.raised_during,
                    "lead_deputy": suggestion.lead_deputy_id,
                    "co_signers": [p.pk for p in co],
                    "on_behalf": actor.person_id != suggestion.lead_deputy_id,
                    "content_sm3": _digest(suggestion.content),
                    "attachments": [a.pk for a in stored],
                },
            )
            _notify(
                suggestion,
                kind="suggestions.suggestion.submitted",
                recipients=_office_users(suggestion),
                title=_("收到代表建议 %(t)s，请审查") % {"t": _title(suggestion)},
                occurrence="submitted",
            )
    except BaseException:
        _discard_files(stored)
        raise
    return suggestion


def suggestion_withdraw(
    *,
    actor: Actor,
    suggestion_id: int,
    version: int,
    statement: str,
    letter_date: date | None = None,
) -> Suggestion:
    """Withdrawal, only in writing: the deputy's own written statement, or congress staff
    recording the deputy's letter (with its date). It ends handling: every assignment ends and
    every clock on the suggestion stops."""
    actor = access.require(actor, "suggestions.suggestion.withdraw", _get(suggestion_id))
    statement = _text(statement, "statement", _("书面撤回说明"), limit=MAX_NOTE)
    on_behalf = not (
        actor.person_id is not None and _get(suggestion_id).lead_deputy_id == actor.person_id
    )
    if on_behalf and not isinstance(letter_date, date):
        raise _fail(_("代为撤回须登记代表书面撤回申请的日期。"), "letter_date")
    if isinstance(letter_date, date) and letter_date > timezone.localdate():
        raise _fail(_("书面申请日期不能晚于今天。"), "letter_date")
    with transaction.atomic():
        s = _lock(suggestion_id, version)
        target = _step(s, Step.WITHDRAW)
        merging.require_no_open_followers(s)
        before = _snapshot(s)
        reason = _("代表书面撤回建议")
        active = list(
            Assignment.objects.select_for_update()
            .filter(suggestion=s, status__in=ACTIVE_ASSIGNMENT)
            .order_by("id")
        )
        for a in active:
            _cancel(actor, a, DEADLINE_RECEIPT, reason)
            _cancel(actor, a, DEADLINE_OPINION, reason)
        for kind in (
            DEADLINE_ASSIGN,
            DEADLINE_CONTACT,
            DEADLINE_REPLY,
            DEADLINE_REREPLY,
            DEADLINE_VERDICT,
        ):
            _cancel(actor, s, kind, reason)
        now = timezone.now()
        for a in active:
            versioned.save(a, status=AssignmentStatus.ENDED, ended_at=now)
        versioned.save(s, status=target, withdrawn_at=now, withdrawal_statement=statement)
        audit.event(
            actor,
            "suggestions.suggestion.withdrawn",
            s,
            s.office_id,
            before=before,
            after={
                **_snapshot(s),
                "on_behalf": on_behalf,
                "letter_date": letter_date,
                "statement_sm3": _digest(statement),
                "ended_assignments": [a.pk for a in active],
            },
        )
        units = users_holding([a.unit_id for a in active])
        _notify(
            s,
            kind="suggestions.suggestion.withdrawn",
            recipients=[*_office_users(s), *units, *_lead_deputy_users(s)],
            title=_("代表已书面撤回建议 %(t)s，办理终止") % {"t": _title(s)},
            occurrence="withdrawn",
        )
    return s


def suggestion_accept(*, actor: Actor, suggestion_id: int, version: int) -> Suggestion:
    """Review: accepted (立案). A suggestion raised between sessions must then be assigned
    within SUGGESTION_ASSIGN_WORKING_DAYS working days (a deadline on the office)."""
    actor = access.require(actor, "suggestions.suggestion.review", _get(suggestion_id))
    with transaction.atomic():
        s = _lock(suggestion_id, version)
        target = _step(s, Step.REVIEW_ACCEPT)
        before = _snapshot(s)
        versioned.save(s, status=target, reviewed_at=timezone.now(), reviewed_by=actor.user)
        if s.raised_during == RaisedDuring.RECESS:
            office = Organisation.objects.get(pk=s.office_id)
            _open(
                actor,
                s,
                kind=DEADLINE_ASSIGN,
                title=(_("交办闭会期间建议 %(t)s") % {"t": _title(s)})[:200],
                rule=Rule.working_days(settings.SUGGESTION_ASSIGN_WORKING_DAYS),
                responsible_org=office,
                assigner_org=office,
            )
        audit.event(
            actor,
            "suggestions.suggestion.accepted",
            s,
            s.office_id,
            before=before,
            after=_snapshot(s),
        )
        _notify(
            s,
            kind="suggestions.suggestion.accepted",
            recipients=_lead_deputy_users(s),
            title=_("您的建议 %(t)s 已立案，将交有关单位办理") % {"t": _title(s)},
            occurrence="accepted",
        )
    return s


def suggestion_reject(
    *, actor: Actor, suggestion_id: int, version: int, reason: str, note: str = ""
) -> Suggestion:
    """Review: not accepted (不予立案) for one of the standard reasons; the deputy is told why
    (the reason and the explanation are the letter)."""
    actor = access.require(actor, "suggestions.suggestion.review", _get(suggestion_id))
    if reason not in NotAcceptedReason.values:
        raise _fail(_("请选择不予立案的理由。"), "reason")
    note = _text(
        note, "note", _("说明"), required=reason == NotAcceptedReason.OTHER, limit=MAX_NOTE
    )
    with transaction.atomic():
        s = _lock(suggestion_id, version)
        target = _step(s, Step.REVIEW_REJECT)
        before = _snapshot(s)
        versioned.save(
            s,
            status=target,
            reviewed_at=timezone.now(),
            reviewed_by=actor.user,
            not_accepted_reason=reason,
            not_accepted_note=note,
        )
        audit.event(
            actor,
            "suggestions.suggestion.not_accepted",
            s,
            s.office_id,
            before=before,
            after={**_snapshot(s), "reason": reason, "note_sm3": _digest(note)},
        )
        _notify(
            s,
            kind="suggestions.suggestion.not_accepted",
            recipients=[*_users_of_people([s.lead_deputy_id]), s.submitted_by],
            title=_("您的建议 %(t)s 未予立案：%(reason)s")
            % {"t": _title(s), "reason": NotAcceptedReason(reason).label},
            body=note,
            occurrence="not_accepted",
        )
    return s
