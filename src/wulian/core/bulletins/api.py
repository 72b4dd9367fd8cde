"""Drafting and editing a bulletin and opening a series through the API: the pages' forms,
policies and refusals.

- `POST /api/v1/bulletins/` (`bulletins.bulletin.create`): a draft — the new-bulletin page's
  form as the body; 201 and the bulletin;
- `POST /api/v1/bulletins/{id}/edit/` (`bulletins.bulletin.edit`): change a draft, with the
  `version` read; a bulletin the caller may not see: 404;
- `POST /api/v1/bulletin-series/` (`bulletins.series.create`): a periodic series; 201.
Issuing, signing and feedback are the declared steps (`/api/v1/bulletins/{id}/<step>/`)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.api.readonly import read_only
from wulian.api.schema import problem_responses
from wulian.core import access, steps
from wulian.core.bulletins import services
from wulian.core.bulletins.forms import BulletinEditForm, BulletinForm, SeriesForm
from wulian.core.bulletins.models import Bulletin, BulletinSeries
from wulian.core.bulletins.steps import BulletinOut, serialize
from wulian.core.bulletins.views import _issuers
from wulian.core.models import Organisation

SeriesOut = read_only("SeriesOut", BulletinSeries, ["id", "issuer", "name", "cadence", "is_active"])


class BulletinCreate(APIView):
    """Draft a bulletin."""

    wulian_policy = "bulletins.bulletin.create"

    @extend_schema(
        operation_id="bulletins_create",
        summary="Draft a bulletin (起草通报)",
        tags=["bulletins"],
        request={"application/json": steps.request_schema(BulletinForm)},
        responses={201: BulletinOut, **problem_responses(400, 401, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        actor = access.require(access.actor_for(request.user), "bulletins.bulletin.create")
        form = steps.api_form(
            lambda data: BulletinForm(data, issuers=_issuers(actor)), request.data
        )
        bulletin = services.bulletin_create(actor=actor, data=form.to_data())
        return Response(serialize(bulletin, actor), status=status.HTTP_201_CREATED)


class BulletinEdit(APIView):
    """Change a draft bulletin."""

    wulian_policy = "bulletins.bulletin.edit"

    @extend_schema(
        operation_id="bulletins_edit",
        summary="Change a draft bulletin (修改通报草稿); send the version read",
        tags=["bulletins"],
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        request={"application/json": steps.request_schema(BulletinEditForm)},
        responses={200: BulletinOut, **problem_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        actor = access.actor_for(request.user)
        bulletin = Bulletin.objects.filter(pk=pk).first()
        if bulletin is None or not access.can(actor, "bulletins.bulletin.view", bulletin):
            raise Http404
        access.require(actor, "bulletins.bulletin.edit", bulletin)
        form = steps.api_form(
            lambda data: BulletinEditForm(
                data, issuers=Organisation.objects.filter(pk=bulletin.issuer_id)
            ),
            request.data,
        )
        changed = services.bulletin_update(
            actor=actor,
            bulletin_id=bulletin.pk,
            version=form.cleaned_data["version"],
            data={
                **form.to_data(),
                "linked_record": bulletin.linked_record if bulletin.linked_type_id else None,
            },
        )
        return Response(serialize(changed, actor))


class SeriesCreate(APIView):
    """Open a periodic series."""

    wulian_policy = "bulletins.series.create"

    @extend_schema(
        operation_id="bulletin_series_create",
        summary="Open a periodic bulletin series (建立定期通报)",
        tags=["bulletins"],
        request={"application/json": steps.request_schema(SeriesForm)},
        responses={201: SeriesOut, **problem_responses(400, 401, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        actor = access.require(access.actor_for(request.user), "bulletins.series.create")
        form = steps.api_form(lambda data: SeriesForm(data, issuers=_issuers(actor)), request.data)
        series = services.series_create(
            actor=actor,
            issuer_id=form.cleaned_data["issuer"].pk,
            name=form.cleaned_data["name"],
            cadence=form.cleaned_data["cadence"],
        )
        return Response(SeriesOut(series).data, status=status.HTTP_201_CREATED)
