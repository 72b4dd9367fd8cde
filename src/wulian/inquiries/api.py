"""The inquiries' API: read viewsets; the steps come from inquiries/steps.py."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers

from wulian.api.views import FormCreate, ReadViewSet, creating, documented
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
            "opinion_sent_at",
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

    def get_queryset(self) -> QuerySet:
        return selectors.inquiry_list(actor=self.request.user)
