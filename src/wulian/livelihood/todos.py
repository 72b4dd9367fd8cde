"""我的待办 of the livelihood link: a department's months to report, a group member's reports
to verify, the congress side's next step of a cycle."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import todos
from wulian.core.access import Actor
from wulian.livelihood.choices import ActualState, CycleState
from wulian.livelihood.models import Actual, Cycle, Project
from wulian.livelihood.policies import congress_manager


@todos.provider
def livelihood_todos(actor: Actor) -> list[todos.TodoItem]:
    items: list[todos.TodoItem] = []
    if not actor.is_authenticated:
        return items
    offices = actor.office_org_ids()
    source = _("民生实事")
    today = timezone.localdate()
    if offices:
        for p in Project.objects.filter(
            cycle__state=CycleState.IMPLEMENTING, responsible_id__in=offices
        ).only("pk", "title")[:20]:
            items.append(
                todos.TodoItem(
                    title=_("报送民生实事项目进展：%(t)s") % {"t": p.title},
                    url=p.get_absolute_url() + "#report",
                    source=source,
                )
            )
    if actor.person_id is not None:
        for a in (
            Actual.objects.filter(
                state=ActualState.REPORTED,
                indicator__project__group__person_id=actor.person_id,
            )
            .select_related("indicator__project")
            .order_by("reported_at")[:20]
        ):
            items.append(
                todos.TodoItem(
                    title=_("核实民生实事项目进展：%(t)s（%(m)d月）")
                    % {"t": a.indicator.project.title, "m": a.month},
                    url=a.get_absolute_url(),
                    source=source,
                )
            )
    if congress_manager(actor):
        for c in Cycle.objects.exclude(state=CycleState.CLOSED).filter(year__gte=today.year - 1):
            items.append(
                todos.TodoItem(
                    title=_("民生实事年度（%(y)s）：%(s)s")
                    % {"y": c.year, "s": CycleState(c.state).label},
                    url=c.get_absolute_url(),
                    source=source,
                )
            )
    return items
