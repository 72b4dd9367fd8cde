"""The 联评 API: evaluations read (list, one), created through the page's form; the dossier read
(audited); the figures. The steps: from the declarations (steps.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.api.views import FormCreate, ReadViewSet, creating, documented
from wulian.core import access
from wulian.evaluation import forms, selectors, services, views
from wulian.evaluation.models import DossierItem, Evaluation
from wulian.evaluation.steps import EvaluationOut


class DossierFileOut(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    size = serializers.IntegerField()
    description = serializers.CharField()
    file_url = serializers.SerializerMethodField()

    def get_file_url(self, att: Any) -> str:
        from django.urls import reverse

        return reverse("attachments_api:attachment-file", args=[att.pk])


class DossierItemOut(serializers.ModelSerializer):
    # Its files (each download through file_url is an audit event).
    attachments = DossierFileOut(source="files", many=True, read_only=True)

    class Meta:
        model = DossierItem
        fields = ["id", "kind", "title", "body", "uploaded_at", "use", "use_note", "attachments"]
        read_only_fields = fields


class FiguresOut(serializers.Serializer):
    year = serializers.IntegerField()
    total = serializers.IntegerField()
    rows = serializers.ListField(child=serializers.DictField())
    dimensions = serializers.DictField(child=serializers.FloatField())
    campaigns = serializers.DictField(child=serializers.IntegerField())


def figures_json(actor: Any, year: int, *, everything: bool = False) -> dict[str, Any]:
    data = selectors.figures(actor=actor, year=year, everything=everything)
    return {
        "year": year,
        "total": data["total"],
        "rows": [
            {
                "id": r["evaluation"].pk,
                "department": r["evaluation"].department.name,
                "stage": r["evaluation"].stage,
                "grade": r["evaluation"].grade,
                "score": r["evaluation"].score,
                "conduct_grade": r["evaluation"].conduct_grade,
                "dimension_scores": r["evaluation"].dimension_scores,
                "rectifications": r["rect_total"],
                "closed_on_time": r["rect_on_time"],
            }
            for r in data["rows"]
        ],
        "dimensions": data["dimensions"],
        "campaigns": dict(data["campaigns"]),
    }


@documented(
    "List evaluations (工作评议) the caller may see",
    "One evaluation",
    create=creating(forms.CreateForm, "立项: create an evaluation", EvaluationOut),
    dossier=extend_schema(
        summary="The confidential reference dossier (team and CDI only; audited)",
        responses={200: DossierItemOut(many=True)},
    ),
    figures=extend_schema(summary="The year's figures (?year=)", responses={200: FiguresOut}),
)
class EvaluationViewSet(ReadViewSet, FormCreate):
    serializer_class = EvaluationOut
    wulian_policy = "evaluation.evaluation.view"
    action_policies = {"create": ("evaluation.evaluation.create",)}
    create_form = forms.CreateForm
    create_service = staticmethod(views.create_from)
    queryset = Evaluation.objects.none()

    def get_queryset(self) -> QuerySet:
        return selectors.evaluation_list(actor=self.request.user, filters=self.request.GET)

    def create_data(self, form: Any) -> dict[str, Any]:
        return views._create_data(form)

    @action(detail=True, methods=["get"])
    def dossier(self, request: Request, pk: str) -> Response:
        e = self.get_object()
        items = services.dossier_read(actor=request.user, evaluation=e, via="api")
        return Response(DossierItemOut(items, many=True).data)

    @action(detail=False, methods=["get"])
    def figures(self, request: Request) -> Response:
        from wulian.core import pages

        actor = access.actor_for(request.user)
        years = selectors.years(actor=actor)
        year = pages.year_of(request.GET) or (years[0] if years else 0)
        return Response(figures_json(actor, year))


class ConductImport(APIView):
    """`POST /api/v1/evaluations/conduct-import/`: the 行风政风评议 grades from a workbook —
    the page's import (all rows or none)."""

    wulian_policy = "evaluation.evaluation.conduct"
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="evaluation_conduct_import",
        summary="Import 行风政风评议 grades (.xlsx, multipart `file`): every row checked, all "
        "recorded or none",
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        tags=["evaluation"],
    )
    def post(self, request: Request) -> Response:
        from wulian.core import imports as core_imports
        from wulian.evaluation import imports

        upload = request.FILES.get("file")
        result = imports.conduct_import(
            actor=access.actor_for(request.user),
            file=upload if upload is not None else b"",
            filename=getattr(upload, "name", ""),
        )
        return Response(core_imports.result_json(result), status=200 if result.ok else 400)
