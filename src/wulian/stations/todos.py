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


@todos.provider
def _station_todos(actor: Actor) -> list[todos.TodoItem]:
    mine = station_orgs(actor, Role.DEPUTY)
    if not mine:
        return []
    items: list[todos.TodoItem] = []
    source = _("联络站")
    open_n = Opinion.objects.filter(
        station__organisation_id__in=mine, disposition=Disposition.OPEN
    ).count()
    if open_n:
        items.append(
            todos.TodoItem(
                title=_("群众意见待处理（%(n)d 条）") % {"n": open_n},
                url=reverse("stations:opinion_list") + "?disposition=open",
                source=source,
                status=_("请答复、转交、形成建议或说明去向"),
                tone="warning",
            )
        )
    replied_n = Opinion.objects.filter(
        station__organisation_id__in=mine, disposition=Disposition.REPLIED
    ).count()
    if replied_n:
        items.append(
            todos.TodoItem(
                title=_("部门已答复的群众意见（%(n)d 条）") % {"n": replied_n},
                url=reverse("stations:opinion_list") + "?disposition=replied",
                source=source,
                status=_("请告知群众"),
            )
        )
    unrecorded = Event.objects.filter(
        station__organisation_id__in=mine,
        state=EventState.PLANNED,
        date__lte=timezone.localdate(),
    ).count()
    if unrecorded:
        items.append(
            todos.TodoItem(
                title=_("活动待记录（%(n)d 次）") % {"n": unrecorded},
                url=reverse("stations:event_list") + "?state=planned",
                source=source,
                status=_("请填写参加人数和活动记录"),
            )
        )
    return items


@todos.provider
def _department_todos(actor: Actor) -> list[todos.TodoItem]:
    depts = department_desk(actor)
    if not depts:
        return []
    n = Opinion.objects.filter(department_id__in=depts, disposition=Disposition.HANDED).count()
    if not n:
        return []
    return [
        todos.TodoItem(
            title=_("联络站转交的群众意见待答复（%(n)d 条）") % {"n": n},
            url=reverse("stations:opinion_list") + "?disposition=handed",
            source=_("联络站"),
            status=_("请在15个工作日内答复"),
            tone="warning",
        )
    ]
