"""API views: parse input → one selector or service → render. No business rules here, no
`.save()` on domain rows; refusals are domain errors rendered as problem+json by
`wulian.api.errors`."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from wulian.api import serializers
from wulian.api.filters import FilterBackend
from wulian.api.schema import DESCRIPTIONS, PROBLEM_REF
from wulian.core import access, selectors, services, steps
from wulian.core.filters import OrganisationFilter, PersonFilter
from wulian.core.models import GrantState, Membership, Organisation, Person, RoleGrant

# Record ids are positive 64-bit integers; anything else in their place is an unknown route.
ID_REGEX = r"[0-9]{1,18}"
ID_PARAMETER = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1, "maximum": 10**18 - 1},
    OpenApiParameter.PATH,
    description="The record's id.",
)


def problems(*codes: int) -> dict[int, OpenApiResponse]:
    """Error responses an operation declares beyond those its shape implies (400, 401, 403,
    404, 413 and 415 are added by `wulian.api.schema.add_problem_responses`)."""
    return {
        code: OpenApiResponse(response=PROBLEM_REF, description=DESCRIPTIONS[str(code)])
        for code in codes
    }


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


def documented(listing: str, one: str = "", **more: Any) -> Any:
    """The OpenAPI entries of a viewset that lists records: the list's summary, the one
    record's (`one`, with its id as the path parameter) and `more` by action
    (`create=creating(…)`)."""
    entries = {"list": extend_schema(summary=listing), **more}
    if one:
        entries["retrieve"] = extend_schema(summary=one, parameters=[ID_PARAMETER])
    return extend_schema_view(**entries)


class ApiViewSet(viewsets.GenericViewSet):
    """Shared frame: the declared policy is checked first (`action_policies` per viewset
    action, else `wulian_policy`); ids in URLs are integers."""

    lookup_value_regex = ID_REGEX
    filter_backends = [FilterBackend]
    action_policies: dict[str, tuple[str, ...]] = {}
    # The records the caller may see, from a selector (actor=) → queryset named as (module,
    # name): looked up on its module at each call, so that what replaces it there (a test's
    # monkeypatch) is what the viewset reads.
    listed: tuple[ModuleType, str] | None = None

    def get_queryset(self) -> QuerySet:
        if self.listed is None:
            return super().get_queryset()
        module, name = self.listed
        return getattr(module, name)(actor=self.request.user)

    def _written(self, obj: Any, serializer_class: type[BaseSerializer]) -> dict[str, Any]:
        """Render a record just written, re-read through the list query so that it has the
        same shape (annotations, prefetched memberships) as in the list."""
        fresh = self.get_queryset().filter(pk=obj.pk).first()
        return serializer_class(fresh if fresh is not None else obj).data


class RecordApiViewSet(ApiViewSet):
    """The declared policy is checked again on the record (after the scope, before the body
    is read): someone who sees the record but may not take the step gets a 403, not a 400."""

    def get_object(self) -> Any:
        obj = super().get_object()
        codes = self.action_policies.get(self.action) or (self.wulian_policy,)
        if not any(access.can(self.request.user, code, obj) for code in codes):
            access.require(self.request.user, codes[0], obj)
        return obj


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """A kind of record listed (`GET /api/v1/<records>/`) and read one at a time."""


class FormCreate(ApiViewSet):
    """`POST` to the list makes a record under no other (an expert, a batch, a petition, a
    campaign, a session) — not a declared step, which acts on a record: the page's form
    validates the body (the same fields; `create_choices(actor)` what it offers this person),
    the page's service makes the record, `create_service(actor=…, data=create_data(form))`,
    under the page's policy (`action_policies["create"]`); 201 and the record as listed."""

    create_form: Any
    create_service: Any  # staticmethod: (actor=, data=) → the new record

    def create_choices(self, actor: access.Actor) -> dict[str, Any]:
        return {}

    def create_data(self, form: Any) -> dict[str, Any]:
        return form.to_data()

    def create(self, request: Request) -> Response:
        actor = access.actor_for(request.user)
        choices = self.create_choices(actor)
        form = steps.api_form(lambda data: self.create_form(data=data, **choices), request.data)
        obj = self.create_service(actor=actor, data=self.create_data(form))
        return Response(self._written(obj, self.serializer_class), status=status.HTTP_201_CREATED)


def creating(form: Any, summary: str, serializer: Any) -> Any:
    """The OpenAPI entry of a `FormCreate`'s `create`: the form's fields as the body."""
    return extend_schema(
        summary=summary,
        request={"application/json": steps.request_schema(form)},
        responses={201: serializer},
    )


def _reference_documented(listing: str, one: str, noun: str) -> Any:
    """The OpenAPI entries of a `_ReferenceViewSet` (`noun`: "an organisation", …), with the
    bodies and answers its serializers say."""

    def document(cls: Any) -> Any:
        return extend_schema_view(
            list=extend_schema(summary=listing),
            retrieve=extend_schema(summary=one, parameters=[ID_PARAMETER]),
            create=extend_schema(
                summary=f"Create {noun} (system administrator)",
                request=cls.create_serializer,
                responses={201: cls.serializer_class},
            ),
            partial_update=extend_schema(
                summary=f"Change {noun} (system administrator); send the version you read",
                parameters=[ID_PARAMETER],
                request=cls.update_serializer,
                responses={200: cls.serializer_class, **problems(409)},
            ),
        )(cls)

    return document


class _ReferenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Reference data listed and read; created and changed (with the version read) through
    the core's services, the body checked by its own serializer."""

    create_serializer: Any
    update_serializer: Any
    create_service: Any  # staticmethod: (actor=, data=) → the new record
    update_service: Any  # staticmethod: (actor=, <id_name>=, version=, data=) → the record
    id_name: str

    def create(self, request: Request) -> Response:
        data = self.create_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        obj = self.create_service(actor=request.user, data=data.to_service_data())
        return Response(self._written(obj, self.serializer_class), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        obj = self.get_object()  # 404 outside the caller's scope
        data = self.update_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = data.to_service_data()
        version = changes.pop("version")
        obj = self.update_service(
            actor=request.user, version=version, data=changes, **{self.id_name: obj.pk}
        )
        return Response(self._written(obj, self.serializer_class))


@_reference_documented(
    "List organisations (单位)",
    "One organisation",
    "an organisation",
)
class OrganisationViewSet(_ReferenceViewSet):
    """Organisations (单位): everyone with a seat reads the directory (inactive ones: the
    system administrator only); the system administrator creates and changes them."""

    serializer_class = serializers.OrganisationSerializer
    create_serializer = serializers.OrganisationCreateSerializer
    update_serializer = serializers.OrganisationUpdateSerializer
    create_service = staticmethod(services.organisation_create)
    update_service = staticmethod(services.organisation_update)
    id_name = "organisation_id"
    filterset_class = OrganisationFilter
    wulian_policy = "core.organisation.view"
    action_policies = {
        "create": ("core.organisation.manage",),
        "partial_update": ("core.organisation.manage",),
    }
    queryset = Organisation.objects.none()
    listed = (selectors, "organisation_list")


@_reference_documented(
    "List people (人员) the caller may see",
    "One person",
    "a person",
)
class PersonViewSet(_ReferenceViewSet):
    """People (人员): supervisors and administrators see everyone, a unit its own staff,
    everyone themselves; the system administrator creates and changes them."""

    serializer_class = serializers.PersonSerializer
    create_serializer = serializers.PersonCreateSerializer
    update_serializer = serializers.PersonUpdateSerializer
    create_service = staticmethod(services.person_create)
    update_service = staticmethod(services.person_update)
    id_name = "person_id"
    filterset_class = PersonFilter
    wulian_policy = "core.person.view"
    action_policies = {
        "create": ("core.person.manage",),
        "partial_update": ("core.person.manage",),
    }
    queryset = Person.objects.none()
    listed = (selectors, "person_list")


# Who may grant or end which role is one rule (`core.membership.grant` / `.end`, docs/adr/0014);
# the services ask it for the role and organisation at hand.


@extend_schema_view(
    create=extend_schema(
        summary="Give a person a role in an organisation (任职)",
        description="A role of the CDI side (clue officer, CDI or stationed-group staff) is "
        "only proposed: the answer is 202 with the pending grant, which a CDI leader or clue "
        "officer confirms at `role-grants/{id}/confirm/`.",
        request=serializers.MembershipCreateSerializer,
        responses={
            201: serializers.MembershipDetailSerializer,
            202: serializers.RoleGrantSerializer,
            **problems(409),
        },
    ),
)
class MembershipViewSet(ApiViewSet):
    """Memberships (任职): a person's role in an organisation. Ordinary roles are granted and
    ended by the system administrator, the three administrator roles by the security
    administrator (and no person holds two of them: 三员分立). Ending one is a declared step
    (`POST memberships/{id}/end/`, wulian.core.people_steps)."""

    serializer_class = serializers.MembershipDetailSerializer
    wulian_policy = "core.person.manage"
    action_policies = {"create": ("core.membership.grant",)}
    queryset = Membership.objects.none()

    def _people(self) -> QuerySet:
        return access.scope(self.request.user, "core.person.view", Person.objects.all())

    def get_queryset(self) -> QuerySet:
        return Membership.objects.filter(person__in=self._people()).select_related("organisation")

    def create(self, request: Request) -> Response:
        data = serializers.MembershipCreateSerializer(
            data=request.data,
            people=self._people(),
            organisations=access.scope(
                request.user, "core.organisation.view", Organisation.objects.all()
            ),
        )
        data.is_valid(raise_exception=True)
        values = data.validated_data
        membership = services.membership_add(
            actor=request.user,
            person_id=values["person"].pk,
            organisation_id=values["organisation"].pk,
            role=values["role"],
            post=values.get("post", ""),
        )
        if isinstance(membership, RoleGrant):
            return Response(
                serializers.RoleGrantSerializer(membership).data, status=status.HTTP_202_ACCEPTED
            )
        return Response(
            self._written(membership, self.serializer_class), status=status.HTTP_201_CREATED
        )


@extend_schema_view(
    list=extend_schema(summary="Grants of CDI-side roles waiting for confirmation"),
)
class RoleGrantViewSet(ApiViewSet):
    """Grants of CDI-side roles proposed by the security administrator; each gives no rights
    until a CDI leader or clue officer confirms it (docs/adr/0014). Confirming and refusing
    one are declared steps (`POST role-grants/{id}/confirm/`, `…/refuse/`,
    wulian.core.people_steps)."""

    serializer_class = serializers.RoleGrantSerializer
    wulian_policy = "core.membership.review"
    queryset = RoleGrant.objects.none()

    def get_queryset(self) -> QuerySet:
        access.require(self.request.user, "core.membership.review")
        return RoleGrant.objects.filter(state=GrantState.PENDING).select_related(
            "person", "organisation"
        )

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset().order_by("requested_at", "id"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
