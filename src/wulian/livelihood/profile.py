"""民生实事 in a department's supervision profile (wulian.reports.profile): the projects of a
year's cycle the department is responsible for, those with a deviation warning standing, and
those the deputies rated 不满意 at the next session — the project list's own filters
(`filters.ProjectFilter`), over the projects the viewer sees."""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wulian.core import access
from wulian.core.access import Actor
from wulian.core.measures import Measure
from wulian.livelihood.choices import Satisfaction
from wulian.livelihood.filters import warned
from wulian.livelihood.models import Project

LINK = "livelihood"
TITLE = _("民生实事（联督）")
ORDER = 30


def measures() -> tuple[Measure, ...]:
    return (
        Measure("total", _("承担民生实事项目"), better=0),
        Measure("warned", _("存在偏差预警"), of="total", better=-1),
        Measure("unsatisfied", _("满意度测评不满意"), of="total", better=-1),
    )


def counts(
    *, actor: Actor, year: int, organisation_ids: Collection[int] | None
) -> dict[int, dict[str, int | None]] | None:
    if not access.can(actor, "livelihood.project.view"):
        return None
    qs = access.scope(actor, "livelihood.project.view", Project.objects.all())
    qs = qs.filter(cycle__year=year).order_by()
    if organisation_ids is not None:
        qs = qs.filter(responsible_id__in=list(organisation_ids))
    rows = (
        qs.annotate(is_warned=warned())
        .values("responsible_id")
        .annotate(
            total=Count("pk"),
            warned=Count("pk", filter=Q(is_warned=True)),
            unsatisfied=Count("pk", filter=Q(satisfaction=Satisfaction.UNSATISFIED)),
        )
    )
    return {r.pop("responsible_id"): r for r in rows}


def url(key: str, *, organisation_id: int | None, year: int) -> str | None:
    params: dict[str, object] = {"year": year}
    if organisation_id is not None:  # None: every organisation (ADR 0031)
        params["responsible"] = organisation_id
    if key == "warned":
        params["warning"] = "true"
    elif key == "unsatisfied":
        params["satisfaction"] = Satisfaction.UNSATISFIED
    return f"{reverse('livelihood:project_list')}?{urlencode(params)}"
