"""`/api/v1/activities/`: the activity ledger for other systems, with the same filters and the
same scope as the HTML list. Read-only for now; writes will go through the same services."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from wulian.core.activities import selectors
from wulian.core.activities.filters import ActivityFilter
from wulian.core.activities.models import Activity, ActivityParticipant

ID_PARAMETER = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1, "maximum": 10**18 - 1},
    OpenApiParameter.PATH,
    description="The activity's id.",
)


class ParticipantSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True, default=None)

    class Meta:
        model = ActivityParticipant
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "person",
            "person_name",
            "role",
            "attended",
        ]
        read_only_fields = fields


class ActivitySerializer(serializers.ModelSerializer):
    organiser_name = serializers.CharField(source="organiser.name", read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)

    class Meta:
        model = Activity
        fields = [
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
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="List supervision activities (监督活动) the caller may see"),
    retrieve=extend_schema(summary="One supervision activity", parameters=[ID_PARAMETER]),
)
class ActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Supervision activities: the organiser's and participants' staff and the supervisors
    see them; an activity outside the caller's scope is a 404."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    wulian_policy = "activities.activity.view"
    lookup_value_regex = r"[0-9]{1,18}"
    queryset = Activity.objects.none()

    def get_queryset(self) -> QuerySet:
        return selectors.activity_list(actor=self.request.user)
