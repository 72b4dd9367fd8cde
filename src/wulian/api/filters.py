from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend

# The widest integer column (bigint); a number beyond it cannot be compared in SQL.
DB_INT_MAX = 2**63 - 1


def _fits_database(value: Decimal | float | int | None) -> None:
    if value is not None and abs(value) > DB_INT_MAX:
        raise ValidationError(_("数值超出范围。"), code="max_value")


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend with the shared FilterSets of `<app>/filters.py`, plus one
    guard: a number filter value must fit a database integer. Beyond that, SQLite raises
    OverflowError and PostgreSQL an out-of-range error — a 500 instead of a 400."""

    def get_filterset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            for field in filterset.form.fields.values():
                if isinstance(field, forms.DecimalField | forms.FloatField | forms.IntegerField):
                    field.validators.append(_fits_database)
        return filterset
