"""我的待办 from bulletins: bulletins my organisation has to sign for (with the receipt due
time), and signed ones on which it may still give feedback (within the window). Two queries,
whatever the number of bulletins. The receipt deadlines are listed here rather than by the
deadlines app's provider (same item, in this app's words; see apps.py)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wulian.core.access import Actor
from wulian.core.bulletins.choices import BulletinSensitivity, BulletinState
from wulian.core.bulletins.models import BulletinRecipient
from wulian.core.bulletins.policies import receiving_org_ids
from wulian.core.todos import TodoItem, provider

LIMIT = 200


def _mine(actor: Actor) -> Q:
    q = Q(pk__in=[])
    for level in BulletinSensitivity.values:
        orgs = receiving_org_ids(actor, level)
        if orgs:
            q |= Q(bulletin__sensitivity=level, organisation_id__in=orgs)
    return q


def _title(rec: BulletinRecipient) -> str:
    b = rec.bulletin
    label = f"{b.series.name if b.series_id else ''}{b.number_label}"
    return label if b.hides_title else f"{label}{b.title}"


@provider
def bulletin_todos(actor: Actor) -> list[TodoItem]:
    if not actor.office_org_ids():
        return []
    mine = _mine(actor)
    base = (
        BulletinRecipient.objects.filter(mine, bulletin__state=BulletinState.ISSUED)
        .select_related("bulletin", "bulletin__series", "organisation")
        .only(
            "id",
            "bulletin_id",
            "receipt_due_at",
            "feedback_due_at",
            "organisation__name",
            "organisation__short_name",
            "bulletin__title",
            "bulletin__year",
            "bulletin__number",
            "bulletin__sensitivity",
            "bulletin__series__name",
        )
    )
    source = pgettext("bulletins", "通报")
    now = timezone.now()
    items: list[TodoItem] = []
    for rec in base.filter(signed_at__isnull=True).order_by("receipt_due_at", "id")[:LIMIT]:
        items.append(
            TodoItem(
                title=_("签收通报：%(t)s（%(org)s）")
                % {"t": _title(rec), "org": rec.organisation.display_name},
                url=rec.get_absolute_url(),
                source=source,
                due=rec.receipt_due_at,
                status=_("待签收"),
                tone="danger" if rec.receipt_due_at and rec.receipt_due_at < now else "warning",
            )
        )
    for rec in base.filter(
        signed_at__isnull=False, feedback_at__isnull=True, feedback_due_at__gte=now
    ).order_by("feedback_due_at", "id")[:LIMIT]:
        items.append(
            TodoItem(
                title=_("反馈通报意见：%(t)s（%(org)s）")
                % {"t": _title(rec), "org": rec.organisation.display_name},
                url=rec.get_absolute_url(),
                source=source,
                due=rec.feedback_due_at,
                status=_("可反馈"),
            )
        )
    return items
