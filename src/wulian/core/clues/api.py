"""Drafting and correcting a clue through the API (issue 12), under the clue pages' policies
and all of ADR 0007's confidentiality rules:

- `POST /api/v1/clues/` (`clues.clue.create`): a draft, the new-clue page's form as the body
  (and `source`: "app_label.model:id" of a record the caller sees, as the page's `?source=`);
  201 and the clue as its drafting office sees it;
- `POST /api/v1/clues/{id}/edit/` (`clues.clue.edit`): correct a draft — the edit page's form
  with the `version` read; a clue the caller may not follow is a 404 (nobody else learns it
  exists), one already transferred a 409.

The answer is the clue as `GET /api/v1/clues/{id}/` shows it (clues.steps._out): the content
only to those who may read it, and every such read audited."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.api.schema import problem_responses
from wulian.core import access, records, steps
from wulian.core.clues import services
from wulian.core.clues.forms import ClueForm
from wulian.core.clues.models import CONTENT_FIELDS, Clue
from wulian.core.clues.steps import ClueOut, _out
from wulian.core.errors import TransitionNotAllowed, ValidationFailed
from wulian.core.models import Organisation


class _CreateForm(ClueForm):
    """The new-clue form as its schema shows it (with the sending office to choose; bound to
    nothing, so that reading its fields asks the database nothing at import)."""

    schema_kwargs = {"senders": Organisation.objects.none(), "data": {}}


class _EditForm(ClueForm):
    schema_kwargs = {"data": {}}


def _create_schema() -> dict[str, Any]:
    schema = steps.request_schema(_CreateForm)
    schema["properties"]["source"] = {
        "type": "string",
        "description": "The record the clue comes from: app_label.model:id (optional).",
    }
    return schema


def _source(actor: access.Actor, value: Any) -> Any:
    """The record `value` names, if the caller sees it (as the page's `?source=`)."""
    from wulian.core.attachments.selectors import record_for

    if value in (None, ""):
        return None
    kind, _sep, pk = str(value).partition(":")
    try:
        record = record_for(kind, int(pk))
    except (LookupError, ValueError):
        record = None
    if record is None or isinstance(record, Clue) or not records.can_view(actor, record):
        message = _("所选记录不存在或您无权查看。")
        raise ValidationFailed(message, field_errors={"source": [message]})
    return record


class ClueCreate(APIView):
    """Draft a clue."""

    wulian_policy = "clues.clue.create"

    @extend_schema(
        operation_id="clues_create",
        summary="Draft a clue (线索草稿) for transfer to the CDI",
        tags=["clues"],
        request={"application/json": _create_schema()},
        responses={201: ClueOut, **problem_responses(400, 401, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        from wulian.core.clues.views import _senders

        actor = access.actor_for(request.user)
        data = request.data
        source = _source(actor, data.get("source") if isinstance(data, dict) else None)
        form = steps.api_form(lambda d: ClueForm(d, senders=_senders(actor)), data)
        clue = services.clue_draft(actor=actor, data=form.to_data(), source=source)
        return Response(_out(clue, actor), status=status.HTTP_201_CREATED)


class ClueEdit(APIView):
    """Correct a draft clue."""

    wulian_policy = "clues.clue.edit"

    @extend_schema(
        operation_id="clues_edit",
        summary="Correct a draft clue (修改线索草稿); send the version read",
        tags=["clues"],
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        request={"application/json": steps.request_schema(_EditForm)},
        responses={200: ClueOut, **problem_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        from wulian.core.clues.choices import ClueState

        actor = access.actor_for(request.user)
        clue = Clue.objects.defer(*CONTENT_FIELDS, "feedback").filter(pk=pk).first()
        if clue is None or not access.can(actor, "clues.clue.view_status", clue):
            raise Http404
        access.require(actor, "clues.clue.edit", clue)
        if clue.state != ClueState.DRAFT:
            raise TransitionNotAllowed(_("该线索已移送，不能再修改。"))
        form = steps.api_form(lambda d: ClueForm(d), request.data)
        version = form.cleaned_data.get("version")
        if not version:
            message = _("请提交读取时的版本号（version）。")
            raise ValidationFailed(message, field_errors={"version": [message]})
        services.clue_update(actor=actor, clue_id=clue.pk, version=version, data=form.to_data())
        return Response(_out(Clue.objects.get(pk=clue.pk), actor))
