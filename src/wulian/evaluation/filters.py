"""The evaluations list's filter (the page and the API): a year, a department (its history)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from wulian.core.filters import FilterSet
from wulian.evaluation.models import Evaluation


class EvaluationFilter(FilterSet):
    year = django_filters.NumberFilter(label=_("评议年度"))
    department = django_filters.NumberFilter(field_name="department_id", label=_("被评议部门"))

    class Meta:
        model = Evaluation
        fields = ["year", "department"]
