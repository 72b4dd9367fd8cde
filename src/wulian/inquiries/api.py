"""The inquiries' API: read viewsets; the steps come from inquiries/steps.py."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from wulian.api.views import FormCreate, ReadViewSet, creating, documented
from wulian.core import pages
from wulian.inquiries import selectors, services
from wulian.inquiries.forms import InquiryForm
from wulian.inquiries.models import Inquiry, Question


class InquiryQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = [
            "id",
            "inquiry",
            "position",
            "asker_kind",
            "asker",
            "text",
            "unit",
            "official",
            "answer",
            "answered_at",
            "version",
        ]
        read_only_fields = fields


class InquirySerializer(serializers.ModelSerializer):
    class Meta:
        model = Inquiry
        fields = [
            "id",
            "organiser",
            "year",
            "title",
            "source",
            "source_note",
            "state",
            "meeting",
            "held_on",
            "report_due",
            "look_back",
            "ballot",
            "opinion_sent_at",
            "opinion_text",
            "looked_back_at",
            "look_back_findings",
            "version",
        ]
        read_only_fields = fields


@documented(
    "List special inquiries (专题询问)",
    "One special inquiry",
    create=creating(InquiryForm, "Start a special inquiry (专题询问)", InquirySerializer),
)
class InquiryViewSet(ReadViewSet, FormCreate):
    serializer_class = InquirySerializer
    wulian_policy = "inquiries.inquiry.view"
    action_policies = {"create": ("inquiries.inquiry.manage",)}
    create_form = InquiryForm
    create_service = staticmethod(services.inquiry_create)
    queryset = Inquiry.objects.none()
    listed = (selectors, "inquiry_list")


@extend_schema(
    summary="The year's special inquiries in figures (专题询问数据统计): questions asked and "
    "answered, commitments and their rectifications closed, 审议意见 on time, 回头看 done — per "
    "inquiry, as the caller may see them",
    parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="四位数年度；省略时为今年")],
    responses=OpenApiTypes.OBJECT,
    operation_id="inquiries_figures",
)
@api_view(["GET"])
def figures_api(request: Request) -> Response:
    year = pages.year_of(request.query_params) or timezone.localdate().year
    return Response(selectors.figures(actor=request.user, year=year).as_dict())


figures_api.cls.wulian_policy = "inquiries.inquiry.view"  # type: ignore[attr-defined]
