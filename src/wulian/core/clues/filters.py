"""The clue list's filters, shared by the page and the .xlsx export. Only columns that the
sending office's status view shows too (state, disposition, year): filtering never reveals
what a row would not show."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wulian.core.clues.choices import ClueState, Disposition
from wulian.core.clues.models import Clue
from wulian.core.filters import FilterSet


class ClueFilter(FilterSet):
    state = django_filters.ChoiceFilter(choices=ClueState.choices, label=_("状态"))
    disposition = django_filters.ChoiceFilter(choices=Disposition.choices, label=_("处置方式"))
    year = django_filters.NumberFilter(method="in_year", label=_("年度"), min_value=1900)

    class Meta:
        model = Clue
        fields = ["state", "disposition", "year"]

    def in_year(self, qs: QuerySet, name: str, value: int) -> QuerySet:
        return qs.filter(created_at__year=int(value))
