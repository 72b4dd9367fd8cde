"""Delivery problems and group robots through the API (the system administrator; issue 12):
the same forms, services, rights and refusals as the outbox and robot pages.

- `POST /api/v1/outbox/{id}/retry/`, `…/drop/` (`notifications.outbox.manage`): send a
  failed, dead or uncertain message again, or give up on it; one already handled: 409;
- `POST /api/v1/webhooks/` (`notifications.webhook.manage`): a new robot, the robot page's
  form as the body — 201 and the robot (its URL's query values masked, its secret never
  shown);
- `POST /api/v1/webhooks/{id}/edit/`: change it — every field, as the page posts them, and
  the `version` read (required here; a stale one: 409);
- `POST /api/v1/webhooks/{id}/test/`: queue a test message to it."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.api.readonly import read_only
from wulian.api.schema import problem_responses
from wulian.core import access, steps
from wulian.core.errors import ValidationFailed
from wulian.core.notifications import services
from wulian.core.notifications.forms import WebhookTargetForm
from wulian.core.notifications.models import OutboxMessage, WebhookTarget

_ID = OpenApiParameter(
    "id", {"type": "integer", "minimum": 1, "maximum": 10**18 - 1}, OpenApiParameter.PATH
)


OutboxMessageSerializer = read_only(
    "OutboxMessageSerializer",
    OutboxMessage,
    ["id", "channel", "kind", "title", "status", "attempts"],
)


class WebhookTargetSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    has_secret = serializers.SerializerMethodField()

    class Meta:
        model = WebhookTarget
        fields = [
            "id",
            "name",
            "kind",
            "url",
            "has_secret",
            "organisation",
            "kind_prefix",
            "enabled",
            "version",
        ]
        read_only_fields = fields

    def get_url(self, obj: WebhookTarget) -> str:
        return services.masked_url(obj.url)

    def get_has_secret(self, obj: WebhookTarget) -> bool:
        return bool(obj.secret)


def _actor(request: Request) -> access.Actor:
    return access.actor_for(request.user)


# --- Delivery problems ----------------------------------------------------------------------


def _outbox_view(name: str, service: Any, summary: str) -> type:
    @extend_schema(
        operation_id=f"outbox_{name}",
        summary=summary,
        tags=["outbox"],
        parameters=[_ID],
        request=None,
        responses={200: OutboxMessageSerializer, **problem_responses(401, 403, 404, 409)},
    )
    def post(self: Any, request: Request, pk: int) -> Response:
        if not OutboxMessage.objects.filter(pk=pk).exists():
            raise Http404
        message = service(actor=_actor(request), message_id=pk)
        return Response(OutboxMessageSerializer(message).data)

    return type(
        f"Outbox{name.title()}",
        (APIView,),
        {"post": post, "wulian_policy": "notifications.outbox.manage", "__doc__": summary},
    )


OutboxRetry = _outbox_view(
    "retry", services.outbox_retry, "Send a failed, dead or uncertain message again (重发)"
)
OutboxDrop = _outbox_view(
    "drop", services.outbox_drop, "Give up on a failed, dead or uncertain message (放弃)"
)


# --- Group robots ---------------------------------------------------------------------------


class _Webhooks(APIView):
    wulian_policy = "notifications.webhook.manage"

    @staticmethod
    def target(pk: int) -> WebhookTarget:
        target = WebhookTarget.objects.filter(pk=pk).first()
        if target is None:
            raise Http404
        return target


class WebhookCreate(_Webhooks):
    """Add a group robot."""

    @extend_schema(
        operation_id="webhooks_create",
        summary="Add a group robot (群机器人)",
        tags=["webhooks"],
        request={"application/json": steps.request_schema(WebhookTargetForm)},
        responses={201: WebhookTargetSerializer, **problem_responses(400, 401, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        form = steps.api_form(lambda data: WebhookTargetForm(data), request.data)
        target = services.webhook_target_create(actor=_actor(request), data=form.to_data())
        return Response(WebhookTargetSerializer(target).data, status=status.HTTP_201_CREATED)


class WebhookEdit(_Webhooks):
    """Change a group robot."""

    @extend_schema(
        operation_id="webhooks_edit",
        summary="Change a group robot (群机器人); send every field and the version read",
        tags=["webhooks"],
        parameters=[_ID],
        request={"application/json": steps.request_schema(WebhookTargetForm)},
        responses={200: WebhookTargetSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        target = self.target(pk)
        form = steps.api_form(lambda data: WebhookTargetForm(data, instance=target), request.data)
        version = form.cleaned_data.get("version")
        if not version:
            message = _("请提交读取时的版本号（version）。")
            raise ValidationFailed(message, field_errors={"version": [message]})
        changed = services.webhook_target_update(
            actor=_actor(request), target_id=target.pk, version=version, data=form.to_data()
        )
        return Response(WebhookTargetSerializer(changed).data)


class WebhookTest(_Webhooks):
    """Queue a test message to a group robot."""

    @extend_schema(
        operation_id="webhooks_test",
        summary="Queue a test message to a group robot (发送测试消息)",
        tags=["webhooks"],
        parameters=[_ID],
        request=None,
        responses={200: OutboxMessageSerializer, **problem_responses(401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        target = self.target(pk)
        message = services.webhook_target_test(actor=_actor(request), target_id=target.pk)
        return Response(OutboxMessageSerializer(message).data)
