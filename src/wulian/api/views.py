from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from wulian.api import serializers
from wulian.core import access, selectors
from wulian.core.filters import OrganisationFilter, PersonFilter
from wulian.core.models import Organisation, Person


@extend_schema(responses=serializers.MeSerializer, operation_id="me")
@api_view(["GET"])
def me(request: Request) -> Response:
    actor = access.actor_for(request.user)
    return Response(
        {
            "username": request.user.get_username(),
            "person_id": actor.person_id,
            "roles": sorted(actor.roles),
            "organisations": sorted(actor.org_ids),
        }
    )


me.cls.wulian_policy = "core.home.view"


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.OrganisationSerializer
    filterset_class = OrganisationFilter
    wulian_policy = "core.organisation.view"
    queryset = Organisation.objects.none()

    def get_queryset(self) -> Any:
        return access.scope(
            self.request.user, "core.organisation.view", Organisation.objects.all()
        ).select_related("parent")


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.PersonSerializer
    filterset_class = PersonFilter
    wulian_policy = "core.person.view"
    queryset = Person.objects.none()

    def get_queryset(self) -> Any:
        return selectors.person_list(actor=self.request.user).filter()
