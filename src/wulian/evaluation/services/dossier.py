"""Before: the CDI's reference dossier (confidential), its files and its audited reads."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, versioned
from wulian.core.access import Actor
from wulian.core.attachments import services as attachment_services
from wulian.core.choices import Sensitivity
from wulian.core.errors import RuleViolation, TransitionNotAllowed, ValidationFailed
from wulian.evaluation.choices import (
    DEADLINE_DOSSIER,
    STAGE_ORDER,
    DossierKind,
    DossierUse,
)
from wulian.evaluation.models import DossierItem, Evaluation
from wulian.evaluation.services.common import (
    _bump,
    _fail,
    _in_stage,
    _load,
    _locked,
    _meet,
    _notify,
    _record,
)

# --- The CDI's reference dossier (confidential) -------------------------------------------


def dossier_add(
    *, actor: Actor, evaluation_id: int, kind: str, title: str, body: str
) -> DossierItem:
    actor, _e = _load(actor, evaluation_id, "evaluation.dossier.add")
    title, body = (title or "").strip(), (body or "").strip()
    errors = {}
    if kind not in DossierKind.values:
        errors["kind"] = [_("请选择材料类型（巡察发现问题或日常监督信息）。")]
    if not title or len(title) > 200:
        errors["title"] = [_("请填写标题（不超过 200 个字）。")]
    if not body or len(body) > 20000:
        errors["body"] = [_("请填写材料内容（不超过 20000 个字）。")]
    if errors:
        raise ValidationFailed(_("参考材料未保存，请按提示更正。"), field_errors=errors)
    with transaction.atomic():
        evaluation = _locked(evaluation_id)
        _in_stage(evaluation, *STAGE_ORDER[:4], doing=_("提交参考材料"))
        item = DossierItem.objects.create(
            evaluation=evaluation,
            kind=kind,
            title=title,
            body=body,
            uploaded_by=actor.user,
            uploaded_at=timezone.now(),
        )
        audit.event(
            actor,
            "evaluation.dossier.added",
            evaluation,
            evaluation.cdi_id,
            after={"item": item.pk, "kind": kind},
        )
    return item


def dossier_deliver(*, actor: Actor, evaluation_id: int, version: int) -> Evaluation:
    """The CDI says the dossier is complete: its deadline is met and the team is told."""
    actor, _e = _load(actor, evaluation_id, "evaluation.dossier.add")
    with transaction.atomic():
        evaluation = _locked(evaluation_id, version)
        if evaluation.dossier_delivered_at is not None:
            raise TransitionNotAllowed(_("参考材料已提交，无需再次提交。"))
        if not evaluation.dossier.exists():
            raise RuleViolation(_("请先录入至少一份巡察发现问题或日常监督信息，再提交。"))
        evaluation.dossier_delivered_at = timezone.now()
        _bump(evaluation, "dossier_delivered_at")
        _meet(actor, evaluation, DEADLINE_DOSSIER)
        audit.event(
            actor,
            "evaluation.dossier.delivered",
            evaluation,
            evaluation.cdi_id,
            after={"items": evaluation.dossier.count()},
        )
        _notify(
            evaluation,
            "evaluation.dossier.delivered",
            _("纪委监委已提供评议参考材料：%(t)s") % {"t": evaluation.title},
            [evaluation.working_body_id],
        )
    return evaluation


def dossier_attach(
    *, actor: Actor, evaluation_id: int, item_id: int, upload: Any, description: str = ""
) -> Any:
    """A file (the inspection report, a supervision record) on an item of the CDI's dossier
    (wulian.core.attachments): confidential as the item is — only the team and the CDI see
    it, every download is an audit event, the department never learns it exists."""
    actor, _e = _load(actor, evaluation_id, "evaluation.dossier.add")
    item = (
        DossierItem.objects.select_related("evaluation")
        .filter(pk=item_id, evaluation_id=evaluation_id)
        .first()
    )
    if item is None:
        raise _fail(_("所选参考材料不属于本评议，请按参考材料列表中的编号选择。"), "item")
    _in_stage(item.evaluation, *STAGE_ORDER[:4], doing=_("提交参考材料"))
    return attachment_services.attachment_add(
        actor=actor,
        record=item,
        upload=upload,
        description=description,
        sensitivity=Sensitivity.CONFIDENTIAL,
    )


def dossier_read(*, actor: Actor, evaluation: Evaluation, via: str = "page") -> list[DossierItem]:
    """The dossier, as an audited read (every reading is recorded); each item with its files
    (`files`, read in one query)."""
    from django.contrib.contenttypes.models import ContentType

    from wulian.core.attachments.models import Attachment

    actor = access.require(actor, "evaluation.dossier.view", evaluation)
    items = list(evaluation.dossier.select_related("uploaded_by").order_by("id"))
    files: dict[int, list[Attachment]] = {i.pk: [] for i in items}
    for att in Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(DossierItem),
        object_id__in=list(files),
        removed_at=None,
    ).order_by("id"):
        files[att.object_id].append(att)
    for item in items:
        item.files = files[item.pk]  # type: ignore[attr-defined]
    audit.event(
        actor,
        "evaluation.dossier.read",
        evaluation,
        evaluation.cdi_id,
        after={"items": [i.pk for i in items], "via": via},
    )
    return items


def dossier_use(
    *, actor: Actor, evaluation_id: int, item_id: int, use: str, note: str = ""
) -> DossierItem:
    """The team records how a dossier item was used."""
    actor, _e = _load(actor, evaluation_id)
    if use not in DossierUse.values or not use:
        raise _fail(_("请选择使用情况。"), "use")
    note = (note or "").strip()
    if len(note) > 500:
        raise _fail(_("使用说明不能超过 500 个字。"), "note")
    with transaction.atomic():
        evaluation = _locked(evaluation_id)
        item = (
            DossierItem.objects.select_for_update()
            .filter(pk=item_id, evaluation=evaluation)
            .first()
        )
        if item is None:
            raise _fail(_("所选参考材料不属于本评议。"), "item")
        before = {"use": item.use}
        item.use, item.use_note = use, note
        versioned.save(item, "use", "use_note")
        _record(
            actor,
            evaluation,
            "evaluation.dossier.used",
            before=before,
            after={"item": item.pk, "use": use},
        )
    return item
