"""The ledger's filters (代表建议台账), one FilterSet for the HTML ledger, its .xlsx export and
the API (NetBox's rule). It includes the figures' filters (`figures.FigureFilters`), so that a
figure and the list it opens always agree.

Each filter matches an index of `Suggestion` (session, status, lead unit, category, verdict —
each with `-id` for keyset pages); "unit" (lead or co-unit) asks the assignment index; the
search asks the full-text index (`search.py`). The verdict filter is dropped for a person who
may not see verdicts (the selector removes it): a unit must not learn who rated what by
filtering."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wulian.core.filters import (
    AllModelChoiceFilter,
    DeputyLookupFilter,
    OrganisationLookupFilter,
    YesNoFilter,
)
from wulian.core.models import Organisation, Person
from wulian.suggestions import search
from wulian.suggestions.choices import (
    ACTIVE_ASSIGNMENT,
    AssignmentRole,
    Category,
    RaisedDuring,
    Satisfaction,
    SuggestionStatus,
)
from wulian.suggestions.figures import FigureFilters
from wulian.suggestions.models import Assignment, CongressSession, Suggestion

S = SuggestionStatus
AWAITING_CONTACT = (S.HANDLING, S.REOPENED)
AWAITING_REPLY = (S.ASSIGNED, S.HANDLING, S.REOPENED)


def contact_overdue_q(now=None) -> Q:
    now = now or timezone.now()
    return Q(status__in=AWAITING_CONTACT, first_contact_at__isnull=True, contact_due_at__lt=now)


def reply_overdue_q(now=None) -> Q:
    now = now or timezone.now()
    return Q(status__in=AWAITING_REPLY, reply_due_at__lt=now)


class SuggestionFilter(FigureFilters):
    q = django_filters.CharFilter(method="search", label=_("关键词"))
    session = AllModelChoiceFilter(
        queryset=CongressSession.objects.only("id", "name").order_by("-opens_on", "-id"),
        field_name="session",
        label=_("届次会次"),
    )
    status = django_filters.ChoiceFilter(choices=SuggestionStatus.choices, label=_("状态"))
    unit = OrganisationLookupFilter(
        queryset=Organisation.objects.filter(is_active=True),
        method="by_unit",
        label=_("承办单位"),
    )
    co_unit = OrganisationLookupFilter(
        queryset=Organisation.objects.all(), method="by_co_unit", label=_("会办单位")
    )
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("类别"))
    raised_during = django_filters.ChoiceFilter(choices=RaisedDuring.choices, label=_("提出时间"))
    overdue = django_filters.ChoiceFilter(
        choices=[
            ("yes", _("已逾期（联系或答复）")),
            ("contact", _("联系代表逾期")),
            ("reply", _("答复逾期")),
        ],
        method="only_overdue",
        label=_("是否逾期"),
    )
    verdict = django_filters.ChoiceFilter(choices=Satisfaction.choices, label=_("代表评价"))
    is_key = YesNoFilter(field_name="is_key", label=_("重点督办"))
    deputy = DeputyLookupFilter(
        queryset=Person.objects.all(),
        field_name="lead_deputy",
        label=_("领衔代表"),
    )

    class Meta:
        model = Suggestion
        fields = [
            "q",
            "session",
            "status",
            "unit",
            "co_unit",
            "category",
            "raised_during",
            "overdue",
            "verdict",
            "is_key",
            "year",
            "stage",
            "reply_category",
            "lead_unit",
            "deputy",
        ]

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return search.matching(qs, value)

    def by_unit(self, qs: QuerySet, name: str, value: Organisation) -> QuerySet:
        return qs.filter(
            Exists(
                Assignment.objects.filter(
                    suggestion=OuterRef("pk"), unit_id=value.pk, status__in=ACTIVE_ASSIGNMENT
                )
            )
        )

    def by_co_unit(self, qs: QuerySet, name: str, value: Organisation) -> QuerySet:
        """Suggestions the unit co-handles (会办), as the supervision profile counts them."""
        return qs.filter(
            Exists(
                Assignment.objects.filter(
                    suggestion=OuterRef("pk"),
                    unit_id=value.pk,
                    role=AssignmentRole.CO,
                    status__in=ACTIVE_ASSIGNMENT,
                )
            )
        )

    def only_overdue(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        now = timezone.now()
        if value == "contact":
            return qs.filter(contact_overdue_q(now))
        if value == "reply":
            return qs.filter(reply_overdue_q(now))
        if value == "yes":
            return qs.filter(contact_overdue_q(now) | reply_overdue_q(now))
        return qs


# The filters a person who may not see verdicts never gets (they would reveal them).
PRIVATE_FILTERS = ("verdict",)
