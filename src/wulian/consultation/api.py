"""The 联商 API, mounted at /api/v1/ (before the core API's catch-all): the register and the
analyses read through `ReadViewSet` (POST to each list makes one through the page's form and
service: `FormCreate`); the steps on them are made from consultation/steps.py; the import of an
audit-rectification list; the figures."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.api.views import FormCreate, ReadViewSet, creating, documented
from wulian.consultation import selectors, services
from wulian.consultation.filters import AnalysisFilter, MatterFilter
from wulian.consultation.forms import AnalysisForm, MatterForm
from wulian.consultation.models import Analysis, Matter
from wulian.consultation.steps import AnalysisOut, MatterOut
from wulian.consultation.views import _owners, analysis_choices
from wulian.core import access, pages


@documented(
    "The register of major matters (重大事项) the caller may see as each one's 知悉范围 allows",
    "One major matter",
    create=creating(MatterForm, "Enter a major matter in the register (登记重大事项)", MatterOut),
)
class MatterViewSet(ReadViewSet, FormCreate):
    serializer_class = MatterOut
    filterset_class = MatterFilter
    wulian_policy = "consultation.matter.view"
    action_policies = {"create": ("consultation.matter.create",)}
    create_form = MatterForm
    create_service = staticmethod(services.matter_create)
    queryset = Matter.objects.none()

    def get_queryset(self) -> QuerySet:
        # With a law-enforcement inspection's fields and findings (MatterOut.inspection).
        return (
            selectors.matter_list(actor=self.request.user)
            .select_related("inspection")
            .prefetch_related("inspection__departments", "inspection__findings")
        )

    def create_choices(self, actor: access.Actor) -> dict[str, Any]:
        return {"owners": _owners(actor), "parents": selectors.parents(actor)}


@documented(
    "Joint analyses (联合研判) with their imported rows counted",
    "One joint analysis",
    create=creating(AnalysisForm, "Start a joint analysis (建立联合研判)", AnalysisOut),
)
class AnalysisViewSet(ReadViewSet, FormCreate):
    serializer_class = AnalysisOut
    filterset_class = AnalysisFilter
    wulian_policy = "consultation.analysis.view"
    action_policies = {"create": ("consultation.analysis.create",)}
    create_form = AnalysisForm
    create_service = staticmethod(services.analysis_create)
    queryset = Analysis.objects.none()
    listed = (selectors, "analysis_list")

    def create_choices(self, actor: access.Actor) -> dict[str, Any]:
        return analysis_choices(actor)


class AnalysisImport(APIView):
    """Import an audit-rectification list into an analysis: all rows or none."""

    wulian_policy = "consultation.analysis.manage"
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="consultation_analysis_import",
        summary="Import an audit-rectification list (.xlsx, multipart `file`) into a joint "
        "analysis: every row checked, all imported or none (导入审计整改清单)",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        tags=["consultation"],
    )
    def post(self, request: Request, pk: int) -> Response:
        actor = access.actor_for(request.user)
        analysis = Analysis.objects.filter(pk=pk).first()
        if analysis is None or not access.can(actor, "consultation.analysis.view", analysis):
            raise Http404
        access.require(actor, "consultation.analysis.manage", analysis)  # before the body
        upload = request.FILES.get("file")
        result = services.audit_items_import(
            actor=actor,
            analysis_id=analysis.pk,
            file=upload if upload is not None else b"",
            filename=getattr(upload, "name", ""),
        )
        body = {
            "ok": result.ok,
            "counts": result.counts,
            "errors": [
                {"sheet": e.sheet, "row": e.row, "column": e.column, "message": e.message}
                for e in result.errors
            ],
        }
        return Response(body, status=200 if result.ok else 400)


@extend_schema(
    summary="联商 figures per year (联席会议, 议定事项按期办结, 征求意见采纳率, 通报签收率, "
    "联合研判, 整改销号, 审计整改率), each with the URL of the records behind it",
    parameters=[
        OpenApiParameter("year", OpenApiTypes.INT, description="四位数年度；省略时为全部年度")
    ],
    responses=OpenApiTypes.OBJECT,
    operation_id="consultation_figures",
    tags=["consultation"],
)
@api_view(["GET"])
def figures_api(request: Request) -> Response:
    from wulian.consultation.figures import as_dict

    year = pages.year_of(request.query_params)
    return Response(as_dict(selectors.figures(actor=request.user, year=year), year))


figures_api.cls.wulian_policy = "consultation.figures.view"
