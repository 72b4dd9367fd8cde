"""The livelihood API: the cycles and projects listed and read (`/api/v1/livelihood/…`), a
cycle made through the page's form, and the year's figures; the steps come from steps.py."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from wulian.api.views import FormCreate, ReadViewSet, creating, documented
from wulian.livelihood import selectors, services
from wulian.livelihood.forms import CycleForm
from wulian.livelihood.models import Cycle, Project
from wulian.livelihood.serializers import CycleOut, ProjectOut


def _create_cycle(*, actor: Any, data: dict[str, Any]) -> Cycle:
    return services.cycle_create(actor, **data)


class _CycleForm(CycleForm):
    def to_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["organiser_id"] = data.pop("organiser").pk
        return data


@documented(
    "List the yearly livelihood cycles (民生实事年度)",
    "One cycle",
    create=creating(CycleForm, "Open a year's cycle (建立民生实事年度)", CycleOut),
)
class CycleViewSet(ReadViewSet, FormCreate):
    serializer_class = CycleOut
    wulian_policy = "livelihood.cycle.view"
    action_policies = {"create": ("livelihood.cycle.manage",)}
    create_form = _CycleForm
    create_service = staticmethod(_create_cycle)
    queryset = Cycle.objects.none()
    listed = (selectors, "cycle_list")


@documented("List the livelihood projects (民生实事项目), filter by ?year=", "One project")
class ProjectViewSet(ReadViewSet):
    serializer_class = ProjectOut
    wulian_policy = "livelihood.project.view"
    queryset = Project.objects.none()

    def get_queryset(self) -> QuerySet:
        year = self.request.query_params.get("year")
        return selectors.project_list(
            actor=self.request.user, year=int(year) if year and year.isdigit() else None
        )


@extend_schema(
    summary="The year's figures (民生实事项目完成情况): per indicator, project and cycle",
    parameters=[OpenApiParameter("year", int, description="default: the latest cycle")],
    responses={200: dict},
)
@api_view(["GET"])
def figures_api(request: Request) -> Response:
    year = selectors.year_or_latest(request.query_params)
    return Response(selectors.figures(actor=request.user, year=year).as_dict())


figures_api.cls.wulian_policy = "livelihood.figures.view"
