"""The stations' list filters, shared by the pages, the API and the figures' links."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wulian.core.filters import FilterSet, IdFilter
from wulian.stations.choices import Disposition, District, EventKind, EventState
from wulian.stations.models import Event, Opinion, Station

ON_TIME = (("1", _("按期答复")), ("0", _("逾期答复")))


class StationFilter(FilterSet):
    district = django_filters.ChoiceFilter(choices=District.choices, label=_("所在区县"))
    practice_base = django_filters.BooleanFilter(label=_("全过程人民民主基层实践基地"))

    class Meta:
        model = Station
        fields = ["district", "practice_base"]


class EventFilter(FilterSet):
    station = IdFilter(field_name="station_id", label=_("联络站"))
    district = django_filters.ChoiceFilter(
        field_name="station__district", choices=District.choices, label=_("所在区县")
    )
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label=_("活动类型"))
    state = django_filters.ChoiceFilter(choices=EventState.choices, label=_("状态"))
    year = django_filters.NumberFilter(
        field_name="date__year", label=_("年度"), min_value=1900, max_value=9999
    )

    class Meta:
        model = Event
        fields = ["station", "district", "kind", "state", "year"]


class OpinionFilter(FilterSet):
    station = IdFilter(field_name="station_id", label=_("联络站"))
    district = django_filters.ChoiceFilter(
        field_name="station__district", choices=District.choices, label=_("所在区县")
    )
    disposition = django_filters.ChoiceFilter(choices=Disposition.choices, label=_("处理方式"))
    handed = django_filters.BooleanFilter(
        field_name="handed_at", lookup_expr="isnull", exclude=True, label=_("曾转交部门")
    )
    on_time = django_filters.ChoiceFilter(
        choices=ON_TIME, method="by_on_time", label=_("答复是否按期")
    )
    year = django_filters.NumberFilter(label=_("年度"), min_value=1900, max_value=9999)
    q = django_filters.CharFilter(field_name="topic", lookup_expr="icontains", label=_("事项"))

    class Meta:
        model = Opinion
        fields = ["station", "district", "disposition", "handed", "on_time", "year", "q"]

    def by_on_time(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(replied_on_time=value == "1")
