"""A law-enforcement inspection (执法检查) as structured fields of its matter: the law
inspected, the scope, the plan, the teams, the inspected departments, the report and the
审议意见; its findings as rows, each handed on as a rectification (the core's finding about the
matter, with the inspected department responsible). Changed under the matter's version."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.consultation.choices import InspectionTopic, MatterKind, MatterSensitivity
from wulian.consultation.models import Inspection, InspectionFinding, Matter
from wulian.consultation.services._common import fail, stale
from wulian.consultation.services.matters import managed
from wulian.core import audit, versioned
from wulian.core.access import Actor
from wulian.core.choices import Sensitivity
from wulian.core.errors import TransitionNotAllowed, ValidationFailed
from wulian.core.models import Organisation

TEXTS = (
    ("law", 300, True),
    ("scope", 5000, True),
    ("plan", 5000, False),
    ("teams", 5000, False),
    ("report", 20000, False),
    ("opinions", 20000, False),
)
MAX_DEPARTMENTS = 50


def _matter(actor: Actor, matter_id: int) -> tuple[Actor, Matter]:
    actor, found = managed(actor, matter_id)
    if found.kind != MatterKind.LAW_INSPECTION:
        raise TransitionNotAllowed(_("只有事项类别为“执法检查”的事项才能填写执法检查情况。"))
    return actor, found


def _clean(data: dict[str, Any]) -> tuple[dict[str, str], list[Organisation]]:
    errors: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    for name, limit, required in TEXTS:
        value = (data.get(name) or "").strip()
        label = str(Inspection._meta.get_field(name).verbose_name)
        if required and not value:
            errors[name] = [_("请填写%(f)s。") % {"f": label}]
        elif len(value) > limit:
            errors[name] = [_("%(f)s不能超过 %(n)d 个字。") % {"f": label, "n": limit}]
        values[name] = value
    wanted = list(dict.fromkeys(int(i) for i in data.get("department_ids") or ()))
    departments = list(Organisation.objects.filter(pk__in=wanted, is_active=True))
    if not wanted:
        errors["departments"] = [_("请至少选择一个被检查单位。")]
    elif len(wanted) > MAX_DEPARTMENTS:
        errors["departments"] = [_("被检查单位不能超过 %(n)d 个。") % {"n": MAX_DEPARTMENTS}]
    elif len(departments) != len(wanted):
        errors["departments"] = [_("所选被检查单位不存在或已停用。")]
    if errors:
        raise ValidationFailed(_("执法检查情况未保存，请按提示更正。"), field_errors=errors)
    departments.sort(key=lambda o: wanted.index(o.pk))
    return values, departments


def inspection_save(
    *, actor: Actor, matter_id: int, version: int, data: dict[str, Any]
) -> Inspection:
    """Enter or change the inspection's fields of a matter of kind 执法检查 (the matter's
    version moves on; a stale one is refused)."""
    actor, _found = _matter(actor, matter_id)
    values, departments = _clean(data)
    with transaction.atomic():
        matter = Matter.objects.select_for_update().get(pk=matter_id)
        if matter.version != version:
            raise stale()
        inspection = Inspection.objects.filter(matter=matter).first()
        before: dict[str, Any] = {}
        if inspection is not None:
            before = {name: getattr(inspection, name) for name, _l, _r in TEXTS}
            before["departments"] = sorted(inspection.departments.values_list("pk", flat=True))
        after = {**values, "departments": sorted(o.pk for o in departments)}
        old, new = audit.diff(before, after) if before else ({}, after)
        if not new:
            return inspection  # type: ignore[return-value]
        if inspection is None:
            inspection = Inspection(matter=matter, **values)
            inspection.save(force_insert=True)
        else:
            for key, value in values.items():
                setattr(inspection, key, value)
            inspection.save(update_fields=[*values, "updated_at"])
        inspection.departments.set(departments)
        versioned.save(matter)
        audit.event(
            actor,
            "consultation.inspection.saved",
            matter,
            matter.owner_org_id,
            before=old or None,
            after=new,
        )
    return inspection


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        raise fail(_("请填写不小于 0 的数字，例如 125.5。"), "amount") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise fail(_("请填写不小于 0 的数字，例如 125.5。"), "amount")
    return amount.quantize(Decimal("0.01"))


def inspection_finding_add(
    *,
    actor: Actor,
    matter_id: int,
    department_id: int | None,
    topic: str,
    problem: str,
    amount: Any = None,
) -> InspectionFinding:
    """Record one problem the inspection found at one of its inspected departments."""
    actor, _found = _matter(actor, matter_id)
    problem = (problem or "").strip()
    if not problem:
        raise fail(_("请填写问题描述。"), "problem")
    if len(problem) > 2000:
        raise fail(_("问题描述不能超过 2000 个字。"), "problem")
    if topic not in InspectionTopic.values:
        raise fail(_("请选择问题类别。"), "topic")
    value = _amount(amount)
    with transaction.atomic():
        matter = Matter.objects.select_for_update().get(pk=matter_id)
        inspection = Inspection.objects.filter(matter=matter).first()
        if inspection is None:
            raise TransitionNotAllowed(
                _("请先填写执法检查情况（检查的法律法规、范围和被检查单位）。")
            )
        if not inspection.departments.filter(pk=department_id or 0).exists():
            raise fail(_("请选择本次执法检查的被检查单位。"), "department")
        row = InspectionFinding(
            inspection=inspection,
            department_id=department_id,
            topic=topic,
            problem=problem,
            amount=value,
            recorded_by=actor.user,
            recorded_at=timezone.now(),
        )
        row.save(force_insert=True)
        audit.event(
            actor,
            "consultation.inspection.finding_recorded",
            matter,
            matter.owner_org_id,
            after={
                "row": row.pk,
                "department": department_id,
                "topic": topic,
                "amount": str(value) if value is not None else None,
            },
        )
    return row


def inspection_finding_hand_on(
    *, actor: Actor, matter_id: int, row_id: int, rectification_months: int = 3
) -> InspectionFinding:
    """Hand a recorded problem on as a rectification: the core's finding about the matter,
    raised by the matter's organisation, the inspected department responsible. Once only."""
    from wulian.core.rectification import services as rectification

    actor, _found = _matter(actor, matter_id)
    with transaction.atomic():
        matter = Matter.objects.select_for_update().get(pk=matter_id)
        row = (
            InspectionFinding.objects.select_for_update()
            .filter(pk=row_id or 0, inspection__matter=matter)
            .first()
        )
        if row is None:
            raise fail(_("所选问题不属于本次执法检查。"), "row")
        if row.finding_id is not None:
            raise TransitionNotAllowed(_("该问题已交办整改，不能重复交办。"))
        topic = InspectionTopic(row.topic).label
        finding = rectification.finding_raise(
            actor=actor,
            record=matter,
            data={
                "title": f"{topic}：{row.problem}"[:200],
                "description": row.problem,
                "severity": "general",
                "found_at": timezone.localdate(),
                "sensitivity": Sensitivity.INTERNAL
                if matter.sensitivity == MatterSensitivity.SHARED
                else Sensitivity.SENSITIVE,
                "about_organisation_id": row.department_id,
                "found_by_org_id": matter.owner_org_id,
                "responsible_org_ids": [row.department_id],
                "rectification_months": rectification_months,
            },
        )
        row.finding = finding
        row.save(update_fields=["finding"])
        audit.event(
            actor,
            "consultation.inspection.handed_on",
            matter,
            matter.owner_org_id,
            after={"row": row.pk, "finding": finding.pk, "department": row.department_id},
        )
    return row
