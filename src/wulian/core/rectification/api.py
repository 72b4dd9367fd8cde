"""Raising and correcting a finding through the API (issue 12): the finding pages' forms,
policies and refusals.

- `POST /api/v1/findings/raise/{record_type}/{record_id}/` (`rectification.finding.raise`):
  a finding on a record the caller sees (one outside that: 404), with one rectification per
  responsible organisation — the raise page's form as the body; 201 and the finding;
- `POST /api/v1/findings/{id}/edit/` (`rectification.finding.edit`): correct its title,
  description, severity, date or sensitivity — the edit page's form, with the `version` read;
  a finding the caller may not see: 404."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.api.schema import problem_responses
from wulian.core import access, records, steps
from wulian.core.models import Organisation
from wulian.core.rectification import services
from wulian.core.rectification.forms import FindingEditForm, FindingForm
from wulian.core.rectification.models import Finding
from wulian.core.rectification.policies import raising_org_ids


class FindingSerializer(serializers.ModelSerializer):
    rectifications = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = [
            "id",
            "title",
            "description",
            "severity",
            "found_at",
            "sensitivity",
            "about_organisation",
            "found_by_org",
            "version",
            "rectifications",
        ]
        read_only_fields = fields

    def get_rectifications(self, obj: Finding) -> list[int]:
        return sorted(obj.rectifications.values_list("pk", flat=True))


class FindingRaise(APIView):
    """Raise a finding on a record."""

    wulian_policy = "rectification.finding.raise"

    @extend_schema(
        operation_id="findings_raise",
        summary="Raise a finding (提出问题) on a record the caller sees",
        tags=["findings"],
        parameters=[
            OpenApiParameter("record_type", str, OpenApiParameter.PATH, description="app.model"),
            OpenApiParameter("record_id", int, OpenApiParameter.PATH),
        ],
        request={"application/json": steps.request_schema(FindingForm)},
        responses={201: FindingSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, record_type: str, record_id: int) -> Response:
        from wulian.core.rectification.views import _record

        actor = access.actor_for(request.user)
        record = _record(record_type, record_id)
        if not records.can_view(actor, record):
            raise Http404
        access.require(actor, "rectification.finding.raise", record)
        raisers = Organisation.objects.filter(pk__in=raising_org_ids(actor), is_active=True)
        floor = getattr(record, "sensitivity", "") or ""
        form = steps.api_form(
            lambda data: FindingForm(data, raisers=raisers, sensitivity_floor=floor),
            request.data,
        )
        finding = services.finding_raise(actor=actor, record=record, data=form.to_data())
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)


class FindingEdit(APIView):
    """Correct a finding."""

    wulian_policy = "rectification.finding.edit"

    @extend_schema(
        operation_id="findings_edit",
        summary="Correct a finding (编辑问题); send the version read",
        tags=["findings"],
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        request={"application/json": steps.request_schema(FindingEditForm)},
        responses={200: FindingSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        actor = access.actor_for(request.user)
        finding = Finding.objects.filter(pk=pk).first()
        if finding is None or not access.can(actor, "rectification.finding.view", finding):
            raise Http404
        access.require(actor, "rectification.finding.edit", finding)
        form = steps.api_form(lambda data: FindingEditForm(data), request.data)
        changed = services.finding_update(
            actor=actor,
            finding_id=finding.pk,
            version=form.cleaned_data["version"],
            data=form.to_data(),
        )
        return Response(FindingSerializer(changed).data)
