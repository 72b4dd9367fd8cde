"""The rectification ledger's filters (整改台账), shared by the page and the .xlsx export.
Each filter matches an index of `Rectification` (state, responsible unit, raising
organisation, year); "overdue" asks the deadlines table by its record index."""

from __future__ import annotations

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wulian.core.deadlines.choices import LIVE_STATES
from wulian.core.deadlines.models import Deadline
from wulian.core.filters import AllModelChoiceFilter, FilterSet
from wulian.core.models import Organisation
from wulian.core.rectification.choices import RectificationState
from wulian.core.rectification.models import Rectification


def live_deadlines() -> QuerySet:
    """The live deadlines of the outer rectification row (for Exists/Subquery)."""
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Rectification),
        object_id=OuterRef("pk"),
        state__in=sorted(LIVE_STATES),
    )


def _organisations() -> QuerySet:
    return Organisation.objects.filter(is_active=True).order_by("sort_order", "code")


class RectificationFilter(FilterSet):
    state = django_filters.ChoiceFilter(choices=RectificationState.choices, label=_("状态"))
    responsible_org = AllModelChoiceFilter(
        queryset=_organisations(), field_name="responsible_org", label=_("整改责任单位")
    )
    raising_org = AllModelChoiceFilter(
        queryset=_organisations(), field_name="raising_org", label=_("提出单位")
    )
    year = django_filters.NumberFilter(field_name="year", label=_("年度"), min_value=1900)
    overdue = django_filters.ChoiceFilter(
        choices=[("yes", _("已逾期")), ("no", _("未逾期"))],
        method="only_overdue",
        label=_("是否逾期"),
    )

    class Meta:
        model = Rectification
        fields = ["state", "responsible_org", "raising_org", "year", "overdue"]

    def only_overdue(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        late = Exists(live_deadlines().filter(due_at__lt=timezone.now()))
        if value == "yes":
            return qs.filter(late)
        if value == "no":
            return qs.exclude(late)
        return qs
