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


# The links findings are raised in, and the record types each raises them on: the ledger's
# 问题来源 filter (key, label, app_label.model …). A link whose app is not installed is not offered.
SOURCES: tuple[tuple[str, object, tuple[str, ...]], ...] = (
    ("suggestions", _("代表建议"), ("suggestions.suggestion",)),
    ("judicial", _("司法监督"), ("judicial.courtsuggestion", "judicial.case")),
    ("inquiries", _("专题询问"), ("inquiries.question",)),
    ("evaluation", _("工作评议"), ("evaluation.evaluation",)),
    ("livelihood", _("民生实事"), ("livelihood.project",)),
    ("consultation", _("联商"), ("consultation.matter", "consultation.analysis")),
    ("activities", _("监督活动"), ("activities.activity",)),
)


def _installed(label: str) -> bool:
    from django.apps import apps

    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def source_choices() -> list[tuple[str, object]]:
    return [(key, name) for key, name, models in SOURCES if _installed(models[0])]


def source_types(key: str) -> list[ContentType]:
    """The content types a source key stands for (none for an unknown key)."""
    models = next((m for k, _name, m in SOURCES if k == key), ())
    out = []
    for label in models:
        app_label, _dot, model = label.partition(".")
        try:
            out.append(ContentType.objects.get_by_natural_key(app_label, model))
        except ContentType.DoesNotExist:
            continue
    return out


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
        return qs.filter(finding__content_type__in=source_types(value))

    def only_overdue(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        late = Exists(live_deadlines().filter(due_at__lt=timezone.now()))
        if value == "yes":
            return qs.filter(late)
        if value == "no":
            return qs.exclude(late)
        return qs
