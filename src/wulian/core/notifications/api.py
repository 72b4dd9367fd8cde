"""`/api/v1/notifications/`: the signed-in person's inbox (unread first), marking one or all
read, and the person's channel preferences — the same services and rules as the inbox and
preferences pages. Nobody reads another person's notifications (the scope is the recipient)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.api.readonly import read_only
from wulian.api.schema import PROBLEM_RESPONSE
from wulian.api.views import ID_REGEX
from wulian.core import access
from wulian.core.errors import ValidationFailed
from wulian.core.notifications import selectors, services
from wulian.core.notifications.models import Notification

NotificationOut = read_only(
    "NotificationOut",
    Notification,
    ["id", "kind", "title", "body", "url", "created_at", "read_at", "unread"],
    unread=serializers.BooleanField(read_only=True),
)


MarkedOut = inline_serializer("NotificationsMarked", {"marked": serializers.IntegerField()})


@extend_schema_view(
    list=extend_schema(summary="The caller's notifications (消息), unread first, newest first"),
    read=extend_schema(
        summary="Mark one of the caller's notifications read",
        request=None,
        responses={200: MarkedOut, 401: PROBLEM_RESPONSE},
    ),
    read_all=extend_schema(
        summary="Mark all the caller's notifications read",
        request=None,
        responses={200: MarkedOut, 401: PROBLEM_RESPONSE},
    ),
)
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationOut
    wulian_policy = "notifications.inbox.view"
    lookup_value_regex = ID_REGEX
    queryset = Notification.objects.none()

    def get_queryset(self) -> QuerySet:
        return selectors.inbox(actor=access.actor_for(self.request.user))

    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        # Another person's, or one already read, is left as it is: {"marked": 0}, and nothing
        # says which (as on the inbox page).
        marked = services.notification_mark_read(
            actor=access.actor_for(request.user), notification_id=int(pk)
        )
        return Response({"marked": int(marked)})

    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        n = services.notification_mark_all_read(actor=access.actor_for(request.user))
        return Response({"marked": n})


PreferencesOut = inline_serializer(
    "NotificationPreferences",
    {
        "rows": serializers.ListField(
            child=inline_serializer(
                "NotificationPreferenceRow",
                {
                    "kind": serializers.CharField(help_text="'' is everything"),
                    "label": serializers.CharField(),
                    "channels": serializers.DictField(
                        child=inline_serializer(
                            "NotificationPreferenceCell",
                            {
                                "value": serializers.ChoiceField(
                                    ["on", "off", ""], help_text="'': as for everything"
                                ),
                                "effective": serializers.BooleanField(),
                            },
                        )
                    ),
                },
            )
        )
    },
)


class PreferenceChoiceIn(serializers.Serializer):
    kind = serializers.CharField(allow_blank=True, max_length=100, help_text="'' is everything")
    channel = serializers.CharField(max_length=20)
    value = serializers.ChoiceField(["on", "off", ""], help_text="'': as for everything")


class PreferencesIn(serializers.Serializer):
    choices = PreferenceChoiceIn(many=True)

    def validate_choices(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(value) > 500:
            raise serializers.ValidationError(_("一次最多提交 500 项设置。"))
        return value


def _rows(actor: Any) -> dict[str, Any]:
    return {
        "rows": [
            {
                "kind": row.prefix,
                "label": row.label,
                "channels": {
                    c.channel: {"value": c.value, "effective": c.effective} for c in row.cells
                },
            }
            for row in selectors.preference_rows(actor=actor)
        ]
    }


class PreferencesView(APIView):
    """The caller's channel preferences: per kind of message and channel, on, off or (for a
    kind) as for everything."""

    wulian_policy = "notifications.preference.manage"

    @extend_schema(summary="The caller's notification preferences", responses=PreferencesOut)
    def get(self, request: Request) -> Response:
        return Response(_rows(access.actor_for(request.user)))

    @extend_schema(
        summary="Save the caller's notification preferences (the listed cells only)",
        request=PreferencesIn,
        responses={200: PreferencesOut, 400: PROBLEM_RESPONSE, 401: PROBLEM_RESPONSE},
    )
    def put(self, request: Request) -> Response:
        data = PreferencesIn(data=request.data)
        if not data.is_valid():
            raise ValidationFailed(
                _("提交的消息设置格式有误，请按提示更正。"),
                field_errors={k: [str(e) for e in v] for k, v in data.errors.items()},
            )
        values = {"on": True, "off": False, "": None}
        choices = {
            (c["kind"], c["channel"]): values[c["value"]] for c in data.validated_data["choices"]
        }
        actor = access.actor_for(request.user)
        services.preferences_save(actor=actor, choices=choices)
        return Response(_rows(actor))
