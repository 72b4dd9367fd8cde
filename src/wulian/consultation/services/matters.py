"""The register of major matters (重大事项): enter, change, link the records about one."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.consultation.choices import (
    MatterKind,
    MatterSensitivity,
    MatterStatus,
    side_of_kind,
)
from wulian.consultation.models import Matter, MatterLink
from wulian.consultation.policies import can_view_record, manager_org_ids, sees_matter
from wulian.consultation.services._common import fail, snapshot, stale
from wulian.core import access, audit, records
from wulian.core.access import Actor
from wulian.core.errors import ValidationFailed
from wulian.core.models import Organisation
from wulian.core.notifications import outbox
from wulian.core.selectors import users_holding
from wulian.core.servicekit import get

FIELDS = ("title", "kind", "summary", "year", "starts_on", "ends_on", "sensitivity", "status")


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or ""))
    except ValueError:
        return None


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """Check a matter's fields; every problem on its field, in Chinese, saying what to fix."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = [_("请填写事项名称。")]
    elif len(title) > 200:
        errors["title"] = [_("事项名称不能超过 200 个字。")]
    values["title"] = title
    values["summary"] = (data.get("summary") or "").strip()
    if len(values["summary"]) > 5000:
        errors["summary"] = [_("主要内容不能超过 5000 个字。")]
    for field, choices, message in (
        ("kind", MatterKind, _("请选择事项类别。")),
        ("sensitivity", MatterSensitivity, _("请选择知悉范围。")),
        ("status", MatterStatus, _("请选择状态。")),
    ):
        value = data.get(field) or (MatterStatus.PLANNED if field == "status" else "")
        if value not in choices.values:
            errors[field] = [message]
        values[field] = value
    starts, ends = _date(data.get("starts_on")), _date(data.get("ends_on"))
    if starts is None:
        errors["starts_on"] = [_("请填写开始日期，例如 2024-03-01。")]
    if ends is None:
        errors["ends_on"] = [_("请填写结束日期，例如 2024-06-30。")]
    elif starts is not None and ends < starts:
        errors["ends_on"] = [_("结束日期不能早于开始日期。")]
    values["starts_on"], values["ends_on"] = starts, ends
    try:
        year = int(data.get("year") or (starts.year if starts else 0))
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        errors["year"] = [_("请填写四位数年度，例如 2024。")]
    values["year"] = year
    if errors:
        raise ValidationFailed(_("事项未保存，请按提示更正。"), field_errors=errors)
    return values


def _parent(actor: Actor, parent_id: Any) -> Matter | None:
    if not parent_id:
        return None
    parent = Matter.objects.filter(pk=parent_id).first()
    if parent is None or not sees_matter(actor, parent):
        raise fail(_("所选协同的专项工作不存在或您无权查看。"), "parent")
    return parent


def _notify_other_side(matter: Matter, *, kind: str, title: str) -> None:
    """A shared matter is told to the other side's offices that take part in the register."""
    if matter.sensitivity != MatterSensitivity.SHARED:
        return
    from wulian.consultation.choices import SIDE_KINDS

    other = next(s for s in SIDE_KINDS if s != matter.side)
    org_ids = Organisation.objects.filter(
        kind__in=sorted(SIDE_KINDS[other]), is_active=True, parent__isnull=True
    ).values_list("pk", flat=True)
    outbox.enqueue(
        kind=kind,
        recipients=users_holding(list(org_ids), roles=("leader",)),
        title=title,
        url=matter.get_absolute_url(),
        dedupe=f"consultation.matter:{matter.pk}:{kind}:{matter.version}",
    )


def managed(actor: Actor, matter_id: int) -> tuple[Actor, Matter]:
    """The matter, for a person who may change it (its organisation's staff or leaders)."""
    found = get(Matter, matter_id, _("事项不存在或已被删除。"))
    return access.require(actor, "consultation.matter.manage", found), found


def matter_create(*, actor: Actor, data: dict[str, Any]) -> Matter:
    """Enter a matter in the register for one of the actor's organisations (its side follows
    from the organisation)."""
    actor = access.require(actor, "consultation.matter.create")
    values = clean(data)
    owner = Organisation.objects.filter(pk=data.get("owner_org_id"), is_active=True).first()
    if owner is None or owner.pk not in manager_org_ids(actor):
        raise fail(
            _("请选择您任职（工作人员或负责人）的人大或纪委监委单位作为牵头单位。"), "owner_org"
        )
    side = side_of_kind(owner.kind)
    assert side is not None  # manager_org_ids holds only the two sides' organisations
    parent = _parent(actor, data.get("parent_id"))
    with transaction.atomic():
        matter = Matter(**values, owner_org=owner, side=side, parent=parent, created_by=actor.user)
        matter.save(force_insert=True)
        audit.event(
            actor,
            "consultation.matter.created",
            matter,
            owner.pk,
            after={**snapshot(matter, FIELDS), "owner_org": owner.pk, "side": side},
        )
        _notify_other_side(
            matter,
            kind="consultation.matter.created",
            title=_("对方登记了重大事项：%(t)s") % {"t": matter.title},
        )
    return matter


def matter_update(*, actor: Actor, matter_id: int, version: int, data: dict[str, Any]) -> Matter:
    """Change a matter's fields (its organisation and side stay); a stale version is refused."""
    actor, _found = managed(actor, matter_id)
    values = clean(data)
    parent = _parent(actor, data.get("parent_id"))
    if parent is not None and parent.pk == matter_id:
        raise fail(_("事项不能协同自身。"), "parent")
    with transaction.atomic():
        matter = Matter.objects.select_for_update().get(pk=matter_id)
        if matter.version != version:
            raise stale()
        old, new = audit.diff(
            {**snapshot(matter, FIELDS), "parent": matter.parent_id},
            {
                **values,
                "parent": parent.pk if parent else None,
                "starts_on": str(values["starts_on"]),
                "ends_on": str(values["ends_on"]),
            },
        )
        if not new:
            return matter
        for key, value in values.items():
            setattr(matter, key, value)
        matter.parent = parent
        matter.version += 1
        matter.save(update_fields=[*values, "parent", "version", "updated_at"])
        audit.event(
            actor, "consultation.matter.updated", matter, matter.owner_org_id, before=old, after=new
        )
        _notify_other_side(
            matter,
            kind="consultation.matter.updated",
            title=_("对方更新了重大事项：%(t)s") % {"t": matter.title},
        )
    return matter


def matter_link(*, actor: Actor, matter_id: int, record: Any) -> MatterLink:
    """Link a record the actor may see (a meeting, a bulletin, an opinion round, an analysis)
    to the matter. A record of 机密 sensitivity is refused: the register is read by both
    sides."""
    actor, _found = managed(actor, matter_id)
    if record is None or not can_view_record(actor, record):
        raise fail(_("所选记录不存在或您无权查看。"), "record_id")
    if getattr(record, "sensitivity", "") == "confidential":
        raise fail(_("机密记录不能关联到重大事项登记簿。"), "record_id")
    with transaction.atomic():
        matter = Matter.objects.select_for_update().get(pk=matter_id)
        link = MatterLink(
            matter=matter,
            **records.reference(record),
            linked_by=actor.user,
            linked_at=timezone.now(),
        )
        try:
            with transaction.atomic():
                link.save(force_insert=True)
        except IntegrityError:
            raise fail(_("该记录已关联到本事项。"), "record_id") from None
        audit.event(
            actor,
            "consultation.matter.linked",
            matter,
            matter.owner_org_id,
            after={
                "record": f"{records.record_label(record)}#{record.pk}",
                "record_kind": record_kind(records.record_label(record)),
            },
        )
    return link


def record_kind(model_label: str) -> str:
    """The kind a linked record is named by on the matter's timeline (choices.LINKABLE)."""
    from wulian.consultation.choices import LINKABLE

    return next((value for value, _label, model in LINKABLE if model == model_label), "")


def matter_unlink(*, actor: Actor, matter_id: int, link_id: int, reason: str) -> Matter:
    """Take a wrongly linked record off the matter (with the reason, kept in the audit); the
    record itself is untouched."""
    actor, _found = managed(actor, matter_id)
    reason = (reason or "").strip()
    if not reason:
        raise fail(_("请填写取消关联的理由，例如“误关联了其他事项的会议”。"), "reason")
    if len(reason) > 500:
        raise fail(_("理由不能超过 500 个字。"), "reason")
    with transaction.atomic():
        matter = Matter.objects.select_for_update().get(pk=matter_id)
        link = (
            MatterLink.objects.select_related("content_type")
            .filter(pk=link_id or 0, matter=matter)
            .first()
        )
        if link is None:
            raise fail(_("所选关联记录不属于本事项，或已取消关联。"), "link")
        model = f"{link.content_type.app_label}.{link.content_type.model}"
        link.delete()
        audit.event(
            actor,
            "consultation.matter.unlinked",
            matter,
            matter.owner_org_id,
            before={"record": f"{model}#{link.object_id}"},
            after={"record_kind": record_kind(model), "reason": reason},
        )
    return matter
