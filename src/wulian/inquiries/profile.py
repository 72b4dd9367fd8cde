"""专题询问 in a department's supervision profile (wulian.reports.profile): the commitments it
made when answering the year's inquiries — rectifications raised on its questions — those
closed and those overdue, each the rectification ledger filtered alike (来源 专题询问), over
the rectifications the viewer sees."""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wulian.core import access
from wulian.core.access import Actor
from wulian.core.measures import Measure
from wulian.core.rectification.choices import RectificationState
from wulian.core.rectification.filters import live_deadlines
from wulian.core.rectification.models import Rectification
from wulian.inquiries.models import Question

LINK = "inquiries"
TITLE = _("专题询问（联督）")
ORDER = 35
SOURCE = "inquiries.question"


def measures() -> tuple[Measure, ...]:
    return (
        Measure("commitments", _("询问中作出的整改承诺"), better=0),
        Measure("kept", _("已兑现（已销号）"), of="commitments"),
        Measure("overdue", _("逾期未兑现"), of="commitments", better=-1),
    )


def counts(
    *, actor: Actor, year: int, organisation_ids: Collection[int] | None
) -> dict[int, dict[str, int | None]] | None:
    if not access.can(actor, "rectification.rectification.view"):
        return None
    qs = access.scope(actor, "rectification.rectification.view", Rectification.objects.all())
    qs = qs.filter(year=year, finding__content_type=ContentType.objects.get_for_model(Question))
    if organisation_ids is not None:
        qs = qs.filter(responsible_org_id__in=list(organisation_ids))
    rows = (
        qs.order_by()
        .annotate(late=Exists(live_deadlines().filter(due_at__lt=timezone.now())))
        .values("responsible_org_id")
        .annotate(
            commitments=Count("pk"),
            kept=Count("pk", filter=Q(state=RectificationState.CLOSED)),
            overdue=Count("pk", filter=Q(late=True)),
        )
    )
    return {r.pop("responsible_org_id"): r for r in rows}


def url(key: str, *, organisation_id: int | None, year: int) -> str | None:
    """The ledger a value counts; `organisation_id=None`: every organisation's (a total)."""
    params: dict[str, object] = {"year": year, "source": SOURCE}
    if organisation_id is not None:
        params["responsible_org"] = organisation_id
    if key == "kept":
        params["state"] = RectificationState.CLOSED
    elif key == "overdue":
        params["overdue"] = "yes"
    return f"{reverse('rectification:ledger')}?{urlencode(params)}"
