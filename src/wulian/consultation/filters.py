"""The register's filter: one FilterSet for the HTML list and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from wulian.consultation.choices import (
    AnalysisSubject,
    MatterKind,
    MatterSensitivity,
    MatterStatus,
    Side,
)
from wulian.consultation.models import Analysis, Matter
from wulian.core.filters import FilterSet


class MatterFilter(FilterSet):
    year = django_filters.NumberFilter(field_name="year", label=_("年度"), min_value=2000)
    side = django_filters.ChoiceFilter(choices=Side.choices, label=_("所属方"))
    kind = django_filters.ChoiceFilter(choices=MatterKind.choices, label=_("事项类别"))
    status = django_filters.ChoiceFilter(choices=MatterStatus.choices, label=_("状态"))
    sensitivity = django_filters.ChoiceFilter(
        choices=MatterSensitivity.choices, label=_("知悉范围")
    )
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("名称"))

    class Meta:
        model = Matter
        fields = ["year", "side", "kind", "status", "sensitivity", "q"]


class AnalysisFilter(FilterSet):
    year = django_filters.NumberFilter(field_name="year", label=_("年度"), min_value=2000)
    subject = django_filters.ChoiceFilter(choices=AnalysisSubject.choices, label=_("研判领域"))

    class Meta:
        model = Analysis
        fields = ["year", "subject"]
