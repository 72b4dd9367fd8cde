"""The judicial lists' filters, one per list, shared by the pages, the API and the figures'
links (every figure is a link to a filtered list)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from wulian.core.choices import ExpertCategory
from wulian.core.filters import FilterSet, IdFilter
from wulian.judicial.choices import (
    Availability,
    BatchState,
    CaseKind,
    ExpertStatus,
    Grade,
    PetitionState,
    SuggestionState,
)
from wulian.judicial.models import Case, CourtSuggestion, Expert, Petition, ReviewBatch

YES_NO = (("1", _("是")), ("0", _("否")))


class ExpertFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("姓名或单位"))
    category = django_filters.ChoiceFilter(
        field_name="profile__category", choices=ExpertCategory.choices, label=_("类别")
    )
    status = django_filters.ChoiceFilter(choices=ExpertStatus.choices, label=_("状态"))
    availability = django_filters.ChoiceFilter(choices=Availability.choices, label=_("可参加情况"))

    class Meta:
        model = Expert
        fields = ["q", "category", "status", "availability"]

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()[:60]
        return qs.filter(
            Q(profile__person__name__icontains=value)
            | Q(profile__employer__icontains=value)
            | Q(profile__law_firm__icontains=value)
        )


class CaseFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("案号或案由"))
    court = IdFilter(field_name="court_id", label=_("承办单位"))
    kind = django_filters.ChoiceFilter(choices=CaseKind.choices, label=_("评查类别"))
    batch = IdFilter(field_name="batch_id", label=_("评查批次"))
    year = django_filters.NumberFilter(
        field_name="batch__year", label=_("评查年度"), min_value=2000, max_value=2100
    )
    grade = django_filters.ChoiceFilter(choices=Grade.choices, label=_("评查等次"))
    corrected = django_filters.ChoiceFilter(
        choices=YES_NO, method="is_corrected", label=_("已纠正")
    )
    enterprise = django_filters.ChoiceFilter(
        choices=YES_NO, method="is_enterprise", label=_("涉企")
    )

    class Meta:
        model = Case
        fields = ["q", "court", "kind", "batch", "year", "grade", "corrected", "enterprise"]

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()[:80]
        return qs.filter(Q(number__icontains=value) | Q(cause__icontains=value))

    def is_corrected(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(corrected_by__isnull=value != "1")

    def is_enterprise(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(involves_enterprise=value == "1")


class BatchFilter(FilterSet):
    year = django_filters.NumberFilter(label=_("年度"), min_value=2000, max_value=2100)
    state = django_filters.ChoiceFilter(choices=BatchState.choices, label=_("状态"))

    class Meta:
        model = ReviewBatch
        fields = ["year", "state"]


class SuggestionFilter(FilterSet):
    state = django_filters.ChoiceFilter(choices=SuggestionState.choices, label=_("状态"))
    addressee = IdFilter(field_name="addressee_id", label=_("送达单位"))
    batch = IdFilter(field_name="batch_id", label=_("评查批次"))
    year = django_filters.NumberFilter(
        field_name="batch__year", label=_("年度"), min_value=2000, max_value=2100
    )
    mechanisms = django_filters.ChoiceFilter(
        choices=YES_NO, method="has_mechanisms", label=_("建立制度机制")
    )
    sent = django_filters.ChoiceFilter(choices=YES_NO, method="is_sent", label=_("已送达"))

    class Meta:
        model = CourtSuggestion
        fields = ["state", "addressee", "batch", "year", "mechanisms", "sent"]

    def is_sent(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if value == "1":
            return qs.exclude(state=SuggestionState.DRAFT)
        return qs.filter(state=SuggestionState.DRAFT)

    def has_mechanisms(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if value == "1":
            return qs.filter(mechanisms__isnull=False).distinct()
        return qs.filter(mechanisms__isnull=True)


class PetitionFilter(FilterSet):
    state = django_filters.ChoiceFilter(choices=PetitionState.choices, label=_("状态"))
    organisation = IdFilter(field_name="organisation_id", label=_("转办单位"))
    year = django_filters.NumberFilter(
        field_name="received_on__year", label=_("年度"), min_value=2000, max_value=2100
    )

    class Meta:
        model = Petition
        fields = ["state", "organisation", "year"]
