"""Starting an opinion round through the API: the page's form, policy and refusals.

- `POST /api/v1/opinion-rounds/` (`opinions.round.create`): a round in preparation with its
  first version — the new-round page's form as the body (JSON with `text`, or multipart with
  `docx`); 201 and the round.
Everything after that is a declared step (`/api/v1/opinion-rounds/{id}/<step>/`)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.api.parsers import JSONParser
from wulian.api.schema import problem_responses
from wulian.core import access, steps
from wulian.core.opinions import services
from wulian.core.opinions.forms import RoundForm
from wulian.core.opinions.steps import RoundOut, serialize
from wulian.core.opinions.views import _drafters


class RoundCreate(APIView):
    """Start an opinion round."""

    wulian_policy = "opinions.round.create"
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        operation_id="opinion_rounds_create",
        summary="Start an opinion round on a draft (建立征求意见)",
        tags=["opinion-rounds"],
        request={
            "application/json": steps.request_schema(RoundForm),
            "multipart/form-data": steps.request_schema(RoundForm),
        },
        responses={201: RoundOut, **problem_responses(400, 401, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        actor = access.require(access.actor_for(request.user), "opinions.round.create")
        files = request.FILES or None
        form = steps.api_form(
            lambda data: RoundForm(data, files, drafters=_drafters(actor)), request.data
        )
        round_ = services.round_create(actor=actor, data=form.to_data())
        return Response(serialize(round_, actor), status=status.HTTP_201_CREATED)
