"""The project list's filters (the page, the API and the supervision profile's links)."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from wulian.core.filters import FilterSet, OrganisationLookupFilter, YesNoFilter
from wulian.core.models import Organisation
from wulian.livelihood.choices import Satisfaction
from wulian.livelihood.models import Indicator, Project


def warned() -> Exists:
    """A project with a deviation warning standing on one of its indicators."""
    return Exists(Indicator.objects.filter(project=OuterRef("pk"), warned_gap__isnull=False))


class ProjectFilter(FilterSet):
    year = django_filters.NumberFilter(
        field_name="cycle__year", label=_("年度"), min_value=2000, max_value=2100
    )
    responsible = OrganisationLookupFilter(
        queryset=Organisation.objects.all(), field_name="responsible", label=_("责任单位")
    )
    warning = YesNoFilter(method="with_warning", label=_("偏差预警"))
    satisfaction = django_filters.ChoiceFilter(
        choices=Satisfaction.choices, label=_("满意度测评结果")
    )

    class Meta:
        model = Project
        fields = ["year", "responsible", "warning", "satisfaction"]

    def with_warning(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(warned()) if value else qs.exclude(warned())
