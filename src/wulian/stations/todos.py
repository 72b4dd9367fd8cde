"""我的待办 of the liaison-station link: a station's deputies (opinions taken and not yet
dealt with, events held and not yet recorded, replies to pass on to residents) and a
department's desk (opinions handed to it). A fixed number of queries each."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import todos
from wulian.core.access import Actor
from wulian.core.choices import Role
from wulian.stations.choices import Disposition, EventState
from wulian.stations.models import Event, Opinion
from wulian.stations.policies import department_desk, station_orgs


def _counted(
    items: list[todos.TodoItem], n: int, title: str, url: str, status: str, tone: str = "neutral"
) -> None:
    """One item for `n` records waiting (none when there are none): `title` counts them, `url`
    lists them."""
    if n:
        items.append(
            todos.TodoItem(
                title=title % {"n": n}, url=url, source=_("联络站"), status=status, tone=tone
            )
        )


@todos.provider
def _station_todos(actor: Actor) -> list[todos.TodoItem]:
    mine = station_orgs(actor, Role.DEPUTY)
    if not mine:
        return []
    items: list[todos.TodoItem] = []
    opinions = Opinion.objects.filter(station__organisation_id__in=mine)
    _counted(
        items,
        opinions.filter(disposition=Disposition.OPEN).count(),
        _("群众意见待处理（%(n)d 条）"),
        reverse("stations:opinion_list") + "?disposition=open",
        _("请答复、转交、形成建议或说明去向"),
        "warning",
    )
    _counted(
        items,
        opinions.filter(disposition=Disposition.REPLIED).count(),
        _("部门已答复的群众意见（%(n)d 条）"),
        reverse("stations:opinion_list") + "?disposition=replied",
        _("请告知群众"),
    )
    _counted(
        items,
        Event.objects.filter(
            station__organisation_id__in=mine,
            state=EventState.PLANNED,
            date__lte=timezone.localdate(),
        ).count(),
        _("活动待记录（%(n)d 次）"),
        reverse("stations:event_list") + "?state=planned",
        _("请填写参加人数和活动记录"),
    )
    return items


@todos.provider
def _department_todos(actor: Actor) -> list[todos.TodoItem]:
    depts = department_desk(actor)
    if not depts:
        return []
    items: list[todos.TodoItem] = []
    _counted(
        items,
        Opinion.objects.filter(department_id__in=depts, disposition=Disposition.HANDED).count(),
        _("联络站转交的群众意见待答复（%(n)d 条）"),
        reverse("stations:opinion_list") + "?disposition=handed",
        _("请在15个工作日内答复"),
        "warning",
    )
    return items
