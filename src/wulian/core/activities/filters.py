"""The activity ledger's filters, shared by the HTML list and the API."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wulian.core.activities.choices import ActionState, ActivityKind, ActivityState
from wulian.core.activities.models import ActionItem, Activity, ActivityParticipant
from wulian.core.filters import AllModelChoiceFilter, FilterSet, YesNoFilter
from wulian.core.models import Organisation

# Dates outside these years filter nothing (and cannot overflow the time-zone conversion).
_FIRST, _LAST = date(1900, 1, 1), date(9998, 12, 31)


def _local_midnight(day: date) -> datetime:
    day = min(max(day, _FIRST), _LAST)
    return timezone.make_aware(datetime.combine(day, time.min))


class ActivityFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("关键词"))
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices, label=_("活动类型"))
    state = django_filters.ChoiceFilter(choices=ActivityState.choices, label=_("状态"))
    organisation = AllModelChoiceFilter(
        queryset=Organisation.objects.filter(is_active=True).order_by("sort_order", "code"),
        method="with_organisation",
        label=_("单位（组织或参加）"),
    )
    date_from = django_filters.DateFilter(method="starts_from", label=_("开始日期（起）"))
    date_to = django_filters.DateFilter(method="starts_until", label=_("开始日期（止）"))

    class Meta:
        model = Activity
        fields = ["q", "kind", "state", "organisation", "date_from", "date_to"]

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()[:60]
        if not value:
            return qs
        return qs.filter(Q(title__icontains=value) | Q(place__icontains=value))

    def with_organisation(self, qs: QuerySet, name: str, value: Organisation) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(
            Q(organiser=value)
            | Q(pk__in=ActivityParticipant.objects.filter(organisation=value).values("activity_id"))
        )

    def starts_from(self, qs: QuerySet, name: str, value: date) -> QuerySet:
        return qs.filter(starts_at__gte=_local_midnight(value))

    def starts_until(self, qs: QuerySet, name: str, value: date) -> QuerySet:
        return qs.filter(starts_at__lt=_local_midnight(min(value, _LAST) + timedelta(days=1)))


class ActionItemFilter(FilterSet):
    """The action-item list's filters (HTML list, .xlsx 台账 and API alike)."""

    owner = AllModelChoiceFilter(
        queryset=Organisation.objects.filter(is_active=True).order_by("sort_order", "code"),
        field_name="owner_org",
        label=_("责任单位"),
    )
    state = django_filters.ChoiceFilter(choices=ActionState.choices, label=_("状态"))
    overdue = YesNoFilter(method="only_overdue", label=_("逾期"))
    year = django_filters.NumberFilter(
        field_name="due_at__year", label=_("完成时限年度"), min_value=1900, max_value=9999
    )

    class Meta:
        model = ActionItem
        fields = ["owner", "state", "overdue", "year"]

    def only_overdue(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        late = Q(state=ActionState.OPEN, due_at__lt=timezone.now())
        return qs.filter(late) if value else qs.exclude(late)
