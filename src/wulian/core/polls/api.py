"""The polls' API besides the declared steps (polls/steps.py):

- `GET /api/v1/polls/` (`polls.poll.list`): the polls the caller may see;
- `POST /api/v1/polls/new/` (`polls.poll.create`): a draft, the new-poll page's form as the
  body; 201;
- `GET /api/v1/polls/{id}/results/` and `/receipts/` (`polls.poll.results`): the stored result,
  and the published ballots under their receipts (`?receipt=` is not offered: a receipt is
  never put in a URL — POST `{"receipt": …}` to /receipts/ to find one);
- `POST /api/v1/polls/{id}/vote/` (public): `{"slip": code, "choices": {item id: option}}`, or
  without a slip as a signed-in roster member; 201 and the receipt, answered once. Wrong slip
  codes are counted per client address: too many → 429 with Retry-After."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.api.errors import problem
from wulian.api.readonly import read_only
from wulian.api.schema import problem_responses
from wulian.core import access, steps
from wulian.core.clientip import client_ip
from wulian.core.errors import ValidationFailed
from wulian.core.polls import selectors, services
from wulian.core.polls.forms import PollForm, ReceiptForm
from wulian.core.polls.models import Poll
from wulian.core.polls.steps import PollOut, serialize
from wulian.core.polls.views import _organisers


def _find(pk: Any) -> Poll | None:
    """The poll of a path's id (an id no column holds is no poll: 404, not an overflow)."""
    pk = int(pk)
    return Poll.objects.filter(pk=pk).first() if 0 < pk <= steps.ID_MAX else None


def _poll(actor: access.Actor, pk: int, action: str) -> Poll:
    poll = _find(pk)
    if poll is None or not access.can(actor, "polls.poll.see", poll):
        raise Http404
    access.require(actor, action, poll)
    return poll


PollSummary = read_only(
    "PollSummary",
    Poll,
    ["id", "title", "kind", "state", "organiser", "witness", "opens_at", "closes_at"],
)


class PollList(APIView):
    """The polls the caller may see."""

    wulian_policy = "polls.poll.list"

    @extend_schema(
        operation_id="polls_list",
        summary="The polls the caller may see (测评票决)",
        tags=["polls"],
        responses={200: PollSummary(many=True), **problem_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        actor = access.actor_for(request.user)
        return Response(PollSummary(selectors.poll_list(actor=actor), many=True).data)


class PollCreate(APIView):
    """Draft a poll."""

    wulian_policy = "polls.poll.create"

    @extend_schema(
        operation_id="polls_create",
        summary="Draft a poll (拟定测评（票决）)",
        tags=["polls"],
        request={"application/json": steps.request_schema(PollForm)},
        responses={201: PollOut, **problem_responses(400, 401, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        actor = access.require(access.actor_for(request.user), "polls.poll.create")
        form = steps.api_form(
            lambda data: PollForm(data, organisers=_organisers(actor)), request.data
        )
        poll = services.poll_create(actor, **form.to_data())
        return Response(serialize(poll, actor), status=status.HTTP_201_CREATED)


class PollResults(APIView):
    """A sealed poll's result."""

    wulian_policy = "polls.poll.results"

    @extend_schema(
        operation_id="polls_results",
        parameters=[steps._id_parameter()],
        summary="A sealed poll's result: per item and per group shown (计票结果)",
        tags=["polls"],
        responses={200: {"type": "object"}, **problem_responses(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        poll = _poll(access.actor_for(request.user), pk, "polls.poll.results")
        return Response({"id": poll.pk, "state": poll.state, "seal": poll.seal, **poll.result})


class ReceiptOut(serializers.Serializer):
    receipt = serializers.CharField()
    group = serializers.CharField()
    choices = serializers.CharField()


class PollReceipts(APIView):
    """The published ballots under their receipts; POST a receipt to find one."""

    wulian_policy = "polls.poll.results"

    @extend_schema(
        operation_id="polls_receipts",
        parameters=[steps._id_parameter()],
        summary="The published ballots, sorted by receipt (公布的选票)",
        tags=["polls"],
        responses={200: ReceiptOut(many=True), **problem_responses(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        poll = _poll(access.actor_for(request.user), pk, "polls.poll.results")
        rows = selectors.receipt_rows(poll)
        return Response([{"receipt": r, "group": g, "choices": c} for r, g, c in rows])

    @extend_schema(
        operation_id="polls_receipt_find",
        parameters=[steps._id_parameter()],
        summary="One published ballot by its receipt (核对回执)",
        tags=["polls"],
        request={"application/json": steps.request_schema(ReceiptForm)},
        responses={200: {"type": "object"}, **problem_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        poll = _poll(access.actor_for(request.user), pk, "polls.poll.results")
        form = steps.api_form(ReceiptForm, request.data)
        found = selectors.ballot_by_receipt(poll, form.cleaned_data["receipt"])
        if found is None:
            message = _("没有这个回执码的选票，请核对。")
            raise ValidationFailed(message, field_errors={"receipt": [message]})
        return Response(
            {**found, "choices": [{"item": i, "choice": c} for i, c in found["choices"]]}
        )


class VoteIn(serializers.Serializer):
    slip = serializers.CharField(required=False, allow_blank=True, max_length=40)
    choices = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=20), allow_empty=False
    )


class VoteOut(serializers.Serializer):
    receipt = serializers.CharField()
    poll_title = serializers.CharField()


class PollVote(APIView):
    """Cast a ballot with a slip code, or as a signed-in roster member."""

    wulian_policy = "public"
    permission_classes: list[Any] = []

    @extend_schema(
        operation_id="polls_vote",
        parameters=[steps._id_parameter()],
        summary="Cast a ballot (投票): a slip code, or the signed-in roster member; the receipt "
        "is answered once",
        tags=["polls"],
        request=VoteIn,
        responses={201: VoteOut, **problem_responses(400, 401, 403, 404, 409, 429)},
    )
    def post(self, request: Request, pk: int) -> Response:
        body = VoteIn(data=request.data if isinstance(request.data, dict) else {})
        if not body.is_valid():
            raise ValidationFailed(
                _("请求有误，请按提示更正。"),
                field_errors={k: [str(e) for e in v] for k, v in body.errors.items()},
            )
        slip = body.validated_data.get("slip") or ""
        poll = _find(pk)
        if poll is None:
            raise Http404
        actor = None
        if not slip:
            if not request.user.is_authenticated:
                raise NotAuthenticated(_("请登录后投票，或提供投票码（slip）。"))
            actor = access.actor_for(request.user)
            if not access.can(actor, "polls.poll.see", poll):
                raise Http404
        try:
            receipt = services.ballot_cast(
                actor,
                poll_id=poll.pk,
                choices=body.validated_data["choices"],
                slip=slip,
                ip=client_ip(request),
            )
        except services.CodeThrottled as exc:
            response = problem(exc.status, detail=exc.message, code=exc.code)
            response["Retry-After"] = str(exc.retry_after)
            return response
        return Response(
            {"receipt": receipt.receipt, "poll_title": receipt.poll_title},
            status=status.HTTP_201_CREATED,
        )
