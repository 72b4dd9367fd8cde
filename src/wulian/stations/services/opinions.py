"""Residents' opinions taken at a station's event, and the four ways they go: answered on the
spot, handed to a department (15 working days, the reply back to the station), raised by the
deputy as his suggestion (the 联办 link), or not accepted with where to go instead."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit
from wulian.core.access import Actor
from wulian.core.deadlines import services as deadline_services
from wulian.core.deadlines.rules import Rule, WorkingDays
from wulian.core.deadlines.selectors import live_deadline
from wulian.core.errors import ValidationFailed, next_state
from wulian.core.models import Organisation
from wulian.core.notifications import outbox
from wulian.core.selectors import users_holding
from wulian.stations.choices import (
    DEADLINE_OPINION,
    OPINION_TRANSITIONS,
    REPLY_WORKING_DAYS,
    Elsewhere,
    EventState,
    OpinionStep,
)
from wulian.stations.models import Event, Opinion
from wulian.stations.services._common import count, digest, fail, get, lock, text
from wulian.suggestions.similarity import tokens

MAX_PHONE = 30


def _get(opinion_id: int) -> Opinion:
    return get(Opinion, opinion_id, _("群众意见不存在。"))


def _step(o: Opinion, step: str) -> str:
    refusal = _("该意见当前为“%(state)s”，不能%(step)s。")
    return next_state(OPINION_TRANSITIONS, o, step, OpinionStep, refusal, field="disposition")


def opinion_record(
    *,
    actor: Actor,
    event_id: int,
    topic: str,
    content: str,
    resident_name: str = "",
    resident_phone: str = "",
    consent: bool = False,
) -> Opinion:
    """Take a resident's opinion at an event (on the deputy's phone, in a few seconds): the
    matter in a few words, what was said, and — only with the resident's consent to be
    contacted — a name and phone number."""
    event = get(Event, event_id, _("活动不存在。"))
    actor = access.require(actor, "stations.opinion.record", event)
    errors: dict[str, list[str]] = {}

    def check(fn: Any) -> Any:
        try:
            return fn()
        except ValidationFailed as exc:  # gather every field's message
            for k, v in exc.field_errors.items():
                errors.setdefault(k, []).extend(v)
            return ""

    topic = check(lambda: text(topic, "topic", _("事项"), limit=120))
    content = check(lambda: text(content, "content", _("意见内容")))
    name = check(
        lambda: text(resident_name, "resident_name", _("群众姓名"), required=False, limit=60)
    )
    phone = str(resident_phone or "").strip()
    if len(phone) > MAX_PHONE:
        errors["resident_phone"] = [_("联系电话不能超过 30 个字符。")]
    if phone and not consent:
        errors["consent"] = [_("群众未同意联系时不能记录联系电话：请勾选“同意联系”或删去电话。")]
    if event.state == EventState.CANCELLED:
        errors["__all__"] = [_("活动已取消，不能记录意见。")]
    elif event.date > timezone.localdate():
        errors["__all__"] = [_("活动尚未举行，举行当天或之后才能记录意见。")]
    if errors:
        message = (errors.get("__all__") or [_("意见未记录，请按提示更正。")])[0]
        raise fail(message) if set(errors) == {"__all__"} else _invalid(message, errors)
    with transaction.atomic():
        o = Opinion(
            event=event,
            station_id=event.station_id,
            year=event.date.year,
            topic=topic,
            content=content,
            resident_name=name,
            resident_phone=phone,
            consent=bool(consent),
            recorded_by=actor.user,
            search_tokens=" ".join(tokens(f"{topic} {content}")),
        )
        o.save(force_insert=True)
        count(event.station_id, o.year, opinions=1)
        audit.event(
            actor,
            "stations.opinion.recorded",
            o,
            event.station.organisation_id,
            after={
                "event": event.pk,
                "topic": topic,
                "content_sm3": digest(content),
                "consent": bool(consent),
                "contact_given": bool(phone),
            },
        )
    return o


def _invalid(message: str, errors: dict[str, list[str]]) -> Exception:
    errors.pop("__all__", None)
    return ValidationFailed(message, field_errors=errors)


def _close(o: Opinion, actor: Actor, step: str, fields: dict[str, Any], tally: str) -> Opinion:
    """Move a locked opinion on by `step`, set `fields`, count it and audit it."""
    before = {"disposition": o.disposition}
    o.disposition = _step(o, step)
    for k, v in fields.items():
        setattr(o, k, v)
    o.version += 1
    o.save(update_fields=["disposition", *fields, "version", "updated_at"])
    count(o.station_id, o.year, **{tally: 1})
    audit.event(
        actor,
        f"stations.opinion.{o.disposition}",
        o,
        o.station.organisation_id,
        before=before,
        after={
            "disposition": o.disposition,
            **{
                k: (v.pk if hasattr(v, "pk") else v) for k, v in fields.items() if "answer" not in k
            },
            **({"answer_sm3": digest(fields["answer"])} if "answer" in fields else {}),
        },
    )
    return o


def opinion_answer(*, actor: Actor, opinion_id: int, version: int, answer: str) -> Opinion:
    """Answered on the spot (当场答复): what the deputy told the resident."""
    actor = access.require(actor, "stations.opinion.handle", _get(opinion_id))
    answer = text(answer, "answer", _("答复内容"))
    with transaction.atomic():
        o = lock(Opinion, opinion_id, version, "station")
        return _close(o, actor, OpinionStep.ANSWER, {"answer": answer}, "answered")


def opinion_hand(
    *, actor: Actor, opinion_id: int, version: int, department_id: int, note: str = ""
) -> Opinion:
    """Hand to a department (转交部门): it replies within 15 working days; reminders go to it
    and, three working days after the time is up, the matter goes to the congress working body
    the station belongs to."""
    opinion = _get(opinion_id)
    actor = access.require(actor, "stations.opinion.handle", opinion)
    dept = Organisation.objects.filter(pk=department_id, is_active=True).first()
    if dept is None or dept.kind == "liaison_station":
        raise fail(_("请选择承办的部门。"), "department")
    note = text(note, "note", _("转交说明"), required=False)
    with transaction.atomic():
        o = lock(Opinion, opinion_id, version, "station__organisation")
        station_org = o.station.organisation
        body = station_org.parent or station_org
        _close(
            o, actor, OpinionStep.HAND, {"department": dept, "handed_at": timezone.now()}, "handed"
        )
        deadline_services.deadline_open(
            actor=actor,
            record=o,
            kind=DEADLINE_OPINION,
            title=_("答复联络站群众意见：%(t)s") % {"t": o.topic},
            rule=Rule.working_days(REPLY_WORKING_DAYS),
            responsible_org=dept,
            assigner_org=station_org,
            manage_action="stations.opinion.handle",
            escalate_after=WorkingDays(3),
            escalate_to=[body],
        )
        outbox.enqueue(
            kind="stations.opinion.handed",
            recipients=users_holding([dept.pk]),
            title=_("收到联络站转交的群众意见：%(t)s，请在15个工作日内答复") % {"t": o.topic},
            body=note,
            url=o.get_absolute_url(),
            dedupe=f"stations:opinion:{o.pk}:handed",
        )
    return o


def opinion_reply(*, actor: Actor, opinion_id: int, version: int, reply: str) -> Opinion:
    """The department's reply: back to the station (its deputies tell the resident)."""
    actor = access.require(actor, "stations.opinion.reply", _get(opinion_id))
    reply = text(reply, "reply", _("答复内容"))
    with transaction.atomic():
        o = lock(Opinion, opinion_id, version, "station__organisation")
        deadline = live_deadline(o, DEADLINE_OPINION)
        now = timezone.now()
        on_time = deadline is None or now <= deadline.due_at
        _close(
            o,
            actor,
            OpinionStep.REPLY,
            {"reply": reply, "replied_at": now, "replied_on_time": on_time},
            "replied_on_time" if on_time else "replied_late",
        )
        if deadline is not None:
            deadline_services.deadline_meet(actor=actor, deadline_id=deadline.pk)
        outbox.enqueue(
            kind="stations.opinion.replied",
            recipients=users_holding(
                [o.station.organisation_id], roles=("deputy", "staff", "leader", "liaison")
            ),
            title=_("部门已答复群众意见：%(t)s，请告知群众") % {"t": o.topic},
            url=o.get_absolute_url(),
            dedupe=f"stations:opinion:{o.pk}:replied",
        )
    return o


def opinion_raise(
    *, actor: Actor, opinion_id: int, version: int, title: str, content: str, category: str
) -> Opinion:
    """The deputy raises the matter as his own suggestion (代表建议) in the 联办 link; the
    opinion links to it."""
    from wulian.suggestions.services.submission import suggestion_submit

    actor = access.require(actor, "stations.opinion.raise", _get(opinion_id))
    with transaction.atomic():
        o = lock(Opinion, opinion_id, version, "station")
        _step(o, OpinionStep.RAISE)
        suggestion = suggestion_submit(
            actor=actor, data={"title": title, "content": content, "category": category}
        )
        _close(o, actor, OpinionStep.RAISE, {"suggestion": suggestion}, "raised")
    return o


def opinion_decline(
    *, actor: Actor, opinion_id: int, version: int, elsewhere: str, answer: str
) -> Opinion:
    """Not a matter for the station (不予受理): the resident is told where to go instead —
    a court, arbitration, the petition channel, administrative reconsideration."""
    actor = access.require(actor, "stations.opinion.handle", _get(opinion_id))
    if elsewhere not in Elsewhere.values:
        raise fail(_("请选择引导群众的途径。"), "elsewhere")
    answer = text(answer, "answer", _("向群众的说明"))
    with transaction.atomic():
        o = lock(Opinion, opinion_id, version, "station")
        return _close(
            o, actor, OpinionStep.DECLINE, {"elsewhere": elsewhere, "answer": answer}, "declined"
        )


def reply_due(opinion: Opinion) -> Any:
    """When the department's reply is due (None when it is not waiting for one)."""
    d = live_deadline(opinion, DEADLINE_OPINION)
    return d.due_at if d is not None else None


__all__ = [
    "opinion_answer",
    "opinion_decline",
    "opinion_hand",
    "opinion_raise",
    "opinion_record",
    "opinion_reply",
    "reply_due",
]
