"""Filters of the bulletin ledger and of the receipts list (the figures' click-through)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wulian.core.bulletins.choices import (
    BulletinSensitivity,
    BulletinState,
    FeedbackState,
    ReceiptState,
)
from wulian.core.bulletins.models import Bulletin, BulletinRecipient, BulletinSeries
from wulian.core.filters import FilterSet
from wulian.core.models import Organisation


def _organisations() -> QuerySet:
    return Organisation.objects.filter(is_active=True).order_by("sort_order", "code")


def _series() -> QuerySet:
    return BulletinSeries.objects.select_related("issuer").order_by("issuer_id", "name")


def receipt_q(state: str, now=None) -> Q:
    """Recipient rows in a receipt state (ReceiptState)."""
    now = now or timezone.now()
    return {
        ReceiptState.ON_TIME: Q(signed_at__isnull=False, signed_late=False),
        ReceiptState.LATE: Q(signed_at__isnull=False, signed_late=True),
        ReceiptState.MISSING: Q(signed_at__isnull=True, receipt_due_at__lt=now),
        ReceiptState.PENDING: Q(signed_at__isnull=True, receipt_due_at__gte=now),
    }[state]


def feedback_q(state: str, now=None) -> Q:
    now = now or timezone.now()
    return {
        FeedbackState.ON_TIME: Q(feedback_at__isnull=False, feedback_late=False),
        FeedbackState.LATE: Q(feedback_at__isnull=False, feedback_late=True),
        FeedbackState.MISSING: Q(feedback_at__isnull=True, feedback_due_at__lt=now),
        FeedbackState.PENDING: Q(feedback_at__isnull=True, feedback_due_at__gte=now),
    }[state]


class BulletinFilter(FilterSet):
    year = django_filters.NumberFilter(field_name="year", label=_("年度"), min_value=1900)
    issuer = django_filters.ModelChoiceFilter(
        queryset=_organisations(), field_name="issuer", label=_("印发单位")
    )
    series = django_filters.ModelChoiceFilter(
        queryset=_series(), field_name="series", label=_("定期通报")
    )
    state = django_filters.ChoiceFilter(choices=BulletinState.choices, label=_("状态"))
    sensitivity = django_filters.ChoiceFilter(
        choices=BulletinSensitivity.choices, label=_("敏感程度")
    )

    class Meta:
        model = Bulletin
        fields = ["year", "issuer", "series", "state", "sensitivity"]


class ReceiptFilter(FilterSet):
    year = django_filters.NumberFilter(field_name="bulletin__year", label=_("年度"), min_value=1900)
    series = django_filters.ModelChoiceFilter(
        queryset=_series(), field_name="bulletin__series", label=_("定期通报")
    )
    organisation = django_filters.ModelChoiceFilter(
        queryset=_organisations(), field_name="organisation", label=_("接收单位")
    )
    receipt = django_filters.ChoiceFilter(
        choices=ReceiptState.choices, method="by_receipt", label=_("签收情况")
    )
    feedback = django_filters.ChoiceFilter(
        choices=FeedbackState.choices, method="by_feedback", label=_("反馈情况")
    )

    class Meta:
        model = BulletinRecipient
        fields = ["year", "series", "organisation", "receipt", "feedback"]

    def by_receipt(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(receipt_q(value)) if value else qs

    def by_feedback(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(feedback_q(value)) if value else qs
