"""The rectification ledger's filters (整改台账), shared by the page and the .xlsx export.
Each filter matches an index of `Rectification` (state, responsible unit, raising
organisation, year); "overdue" asks the deadlines table by its record index."""

from __future__ import annotations

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wulian.core.deadlines.choices import LIVE_STATES
from wulian.core.deadlines.models import Deadline
from wulian.core.filters import AllModelChoiceFilter, FilterSet
from wulian.core.models import Organisation
from wulian.core.rectification.choices import RectificationState
from wulian.core.rectification.models import Rectification


def live_deadlines() -> QuerySet:
    """The live deadlines of the outer rectification row (for Exists/Subquery)."""
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Rectification),
        object_id=OuterRef("pk"),
        state__in=sorted(LIVE_STATES),
    )


# The records findings are raised on, by link: the ledger's 来源 filter (app_label.model, label).
# A type whose app is not installed is not offered.
SOURCES: tuple[tuple[str, object], ...] = (
    ("suggestions.suggestion", _("代表建议")),
    ("judicial.courtsuggestion", _("司法监督意见建议")),
    ("inquiries.question", _("专题询问")),
    ("evaluation.evaluation", _("工作评议")),
    ("livelihood.project", _("民生实事")),
    ("consultation.analysis", _("联合研判")),
    ("activities.activity", _("监督活动")),
)


def source_choices() -> list[tuple[str, object]]:
    from django.apps import apps

    out = []
    for label, name in SOURCES:
        try:
            apps.get_model(label)
        except LookupError:
            continue
        out.append((label, name))
    return out


def source_type(label: str) -> ContentType | None:
    """The content type of a source label (`inquiries.question`), None for an unknown one."""
    app_label, _dot, model = label.partition(".")
    try:
        return ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist:
        return None


def _organisations() -> QuerySet:
    return Organisation.objects.filter(is_active=True).order_by("sort_order", "code")


class RectificationFilter(FilterSet):
    state = django_filters.ChoiceFilter(choices=RectificationState.choices, label=_("状态"))
    responsible_org = AllModelChoiceFilter(
        queryset=_organisations(), field_name="responsible_org", label=_("整改责任单位")
    )
    raising_org = AllModelChoiceFilter(
        queryset=_organisations(), field_name="raising_org", label=_("提出单位")
    )
    year = django_filters.NumberFilter(field_name="year", label=_("年度"), min_value=1900)
    overdue = django_filters.ChoiceFilter(
        choices=[("yes", _("已逾期")), ("no", _("未逾期"))],
        method="only_overdue",
        label=_("是否逾期"),
    )
    source = django_filters.ChoiceFilter(
        choices=source_choices, method="from_source", label=_("问题来源")
    )

    class Meta:
        model = Rectification
        fields = ["state", "responsible_org", "raising_org", "year", "overdue", "source"]

    def from_source(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        ct = source_type(value)
        return qs.filter(finding__content_type=ct) if ct else qs.none()

    def only_overdue(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        late = Exists(live_deadlines().filter(due_at__lt=timezone.now()))
        if value == "yes":
            return qs.filter(late)
        if value == "no":
            return qs.exclude(late)
        return qs
