"""`/api/v1/activities/`: the activity ledger for other systems, with the same filters and the
same scope as the HTML list. Read-only for now; writes will go through the same services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.api.readonly import name_of, read_only
from wulian.api.schema import PROBLEM_RESPONSE
from wulian.core import access
from wulian.core.activities import selectors
from wulian.core.activities.filters import ActivityFilter
from wulian.core.activities.models import Activity, ActivityParticipant

ID_PARAMETER = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1, "maximum": 10**18 - 1},
    OpenApiParameter.PATH,
    description="The activity's id.",
)


ParticipantSerializer = read_only(
    "ParticipantSerializer",
    ActivityParticipant,
    [
        "id",
        "organisation",
        "organisation_name",
        "person",
        "person_name",
        "role",
        "attended",
    ],
    organisation_name=name_of("organisation"),
    person_name=serializers.CharField(source="person.name", read_only=True, default=None),
)


ActivitySerializer = read_only(
    "ActivitySerializer",
    Activity,
    [
        "id",
        "kind",
        "title",
        "starts_at",
        "ends_at",
        "place",
        "organiser",
        "organiser_name",
        "sensitivity",
        "state",
        "cancel_reason",
        "notes",
        "version",
        "participants",
    ],
    organiser_name=name_of("organiser"),
    participants=ParticipantSerializer(many=True, read_only=True),
)


def _activity_form_schema() -> dict[str, Any]:
    from wulian.core import steps
    from wulian.core.activities.forms import ActivityForm

    return steps.request_schema(ActivityForm)


@extend_schema_view(
    list=extend_schema(summary="List supervision activities (监督活动) the caller may see"),
    retrieve=extend_schema(summary="One supervision activity", parameters=[ID_PARAMETER]),
    create=extend_schema(
        summary="Create a supervision activity (新建活动), the new-activity page's form",
        request={"application/json": _activity_form_schema()},
        responses={201: ActivitySerializer, 400: PROBLEM_RESPONSE, 403: PROBLEM_RESPONSE},
    ),
)
class ActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Supervision activities: the organiser's and participants' staff and the supervisors
    see them; an activity outside the caller's scope is a 404. `POST` to the list creates one
    (the new-activity page's form and policy; the organiser: one of the caller's desks)."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    wulian_policy = "activities.activity.view"
    lookup_value_regex = r"[0-9]{1,18}"
    queryset = Activity.objects.none()

    action_policies = {"create": ("activities.activity.create",)}

    def get_queryset(self) -> QuerySet:
        return selectors.activity_list(actor=self.request.user)

    def create(self, request: Request) -> Response:
        from wulian.core import steps
        from wulian.core.activities import services
        from wulian.core.activities.forms import ActivityForm
        from wulian.core.activities.views import _organisers

        actor = access.actor_for(request.user)
        form = steps.api_form(
            lambda data: ActivityForm(data, organisers=_organisers(actor)), request.data
        )
        activity = services.activity_create(actor=actor, data=form.to_data())
        fresh = selectors.activity_list(actor=actor).get(pk=activity.pk)
        return Response(ActivitySerializer(fresh).data, status=status.HTTP_201_CREATED)


class ActivityEdit(APIView):
    """`POST /api/v1/activities/{id}/edit/`: the edit page's form (every field, and the
    `version` read) under its policy; an activity the caller may not see: 404."""

    wulian_policy = "activities.activity.manage"

    @extend_schema(
        operation_id="activities_edit",
        summary="Change a supervision activity (编辑活动); every field and the version read",
        tags=["activities"],
        parameters=[ID_PARAMETER],
        request={"application/json": _activity_form_schema()},
        responses={
            200: ActivitySerializer,
            400: PROBLEM_RESPONSE,
            403: PROBLEM_RESPONSE,
            404: PROBLEM_RESPONSE,
            409: PROBLEM_RESPONSE,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        from wulian.core import steps
        from wulian.core.activities import services
        from wulian.core.activities.forms import ActivityForm

        actor = access.actor_for(request.user)
        activity = Activity.objects.filter(pk=pk).first()
        if activity is None or not access.can(actor, "activities.activity.view", activity):
            raise Http404
        access.require(actor, "activities.activity.manage", activity)
        form = steps.api_form(lambda data: ActivityForm(data, instance=activity), request.data)
        services.activity_update(
            actor=actor,
            activity_id=activity.pk,
            version=form.cleaned_data["version"],
            data=form.to_data(),
        )
        fresh = selectors.activity_list(actor=actor).get(pk=activity.pk)
        return Response(ActivitySerializer(fresh).data)


# --- Meetings (ADR 0023): what a meeting step answers, and the action items ----------------


class ConvenerSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")
    signed_name = serializers.CharField()
    signed_at = serializers.DateTimeField(allow_null=True)


class AgendaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    title = serializers.CharField()
    presenter_org = serializers.IntegerField(source="presenter_org_id", allow_null=True)
    presenter = serializers.CharField()


class AttendanceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organisation_name = serializers.CharField(source="organisation.name")
    person_name = serializers.CharField(source="person.name", default=None)
    attendance = serializers.CharField()
    excuse_reason = serializers.CharField()


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    text = serializers.CharField()


class MeetingSerializer(serializers.Serializer):
    """A meeting as its people see it: conveners and their co-signatures, agenda, attendance,
    the minutes and the decisions (action items: `/api/v1/action-items/{id}/`)."""

    activity = serializers.IntegerField(source="activity_id")
    minutes_state = serializers.CharField()
    minutes_version = serializers.IntegerField(source="version")
    minutes_title = serializers.CharField()
    minutes_body = serializers.CharField()
    minutes_number = serializers.CharField(source="number_label")
    minutes_issued_at = serializers.DateTimeField(allow_null=True)
    conveners = ConvenerSerializer(many=True)
    agenda = AgendaSerializer(many=True)
    attendance = AttendanceSerializer(many=True, source="activity.participants.all")
    decisions = DecisionSerializer(many=True)


class ActionItemSerializer(serializers.ModelSerializer):
    owner_org_name = serializers.CharField(source="owner_org.name", read_only=True)
    owner_person_name = serializers.CharField(
        source="owner_person.name", read_only=True, default=None
    )
    meeting = serializers.IntegerField(source="decision.meeting.activity_id", read_only=True)

    class Meta:
        from wulian.core.activities.models import ActionItem

        model = ActionItem
        fields = [
            "id",
            "meeting",
            "decision",
            "title",
            "owner_org",
            "owner_org_name",
            "owner_person",
            "owner_person_name",
            "due_at",
            "due_rule",
            "state",
            "report",
            "reported_at",
            "verified_at",
            "return_reason",
            "return_count",
            "version",
        ]
        read_only_fields = fields
