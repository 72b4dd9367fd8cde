"""Shapes of the API. Read serializers render records; the write serializers only parse and
type-check input — the services validate it against the business rules and save it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wulian.api.readonly import name_of, read_only
from wulian.core.choices import Gender, OrgKind, Role
from wulian.core.models import Membership, Organisation, Person, RoleGrant

# PostgreSQL's integer: the portable bound for sort orders and versions.
INT_MAX = 2_147_483_647


OrganisationSerializer = read_only(
    "OrganisationSerializer",
    Organisation,
    [
        "id",
        "parent",
        "kind",
        "code",
        "name",
        "short_name",
        "region",
        "sort_order",
        "is_active",
        "version",
        "member_count",
    ],
    member_count=serializers.IntegerField(read_only=True, required=False),
)


MembershipSerializer = read_only(
    "MembershipSerializer",
    Membership,
    ["id", "organisation", "organisation_name", "role", "post", "is_active"],
    organisation_name=name_of("organisation"),
)


class MembershipDetailSerializer(MembershipSerializer):
    class Meta(MembershipSerializer.Meta):
        fields = ["id", "person", *MembershipSerializer.Meta.fields[1:]]
        read_only_fields = fields


PersonSerializer = read_only(
    "PersonSerializer",
    Person,
    [
        "id",
        "name",
        "gender",
        "title",
        "phone",
        "email",
        "is_active",
        "version",
        "memberships",
    ],
    memberships=MembershipSerializer(many=True, read_only=True, source="active_memberships"),
)


# --- Input ------------------------------------------------------------------------------


def _text(max_length: int, *, required: bool = False, label: Any = None) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length,
        required=required,
        allow_blank=not required,
        trim_whitespace=True,
        label=label,
    )


class OrganisationCreateSerializer(serializers.Serializer):
    """Fields of an organisation a client may set; `parent` is an organisation id or null."""

    parent = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), allow_null=True, required=False, label=_("上级单位")
    )
    kind = serializers.ChoiceField(choices=OrgKind.choices, label=_("类型"))
    code = _text(32, required=True, label=_("单位代码"))
    name = _text(200, required=True, label=_("全称"))
    short_name = _text(60, label=_("简称"))
    region = _text(60, label=_("所在区县"))
    sort_order = serializers.IntegerField(
        min_value=0, max_value=INT_MAX, required=False, label=_("排序")
    )
    is_active = serializers.BooleanField(required=False, label=_("在用"))

    def to_service_data(self) -> dict[str, Any]:
        """validated_data keyed as the services expect (`parent_id`)."""
        data = dict(self.validated_data)
        if "parent" in data:
            parent = data.pop("parent")
            data["parent_id"] = parent.pk if parent is not None else None
        return data


class VersionedUpdate(serializers.Serializer):
    """PATCH input: the other fields are optional by declaration, `version` is required.
    Never `partial` (which would make `version` optional too, in DRF and in the schema)."""

    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value: bool) -> None:
        pass

    version = serializers.IntegerField(
        min_value=1,
        max_value=INT_MAX,
        label=_("版本号"),
        help_text=_("客户端读取记录时的 version；记录已被他人修改时返回 409，不作任何修改。"),
    )


def _all_optional(fields: dict[str, serializers.Field]) -> None:
    for field in fields.values():
        field.required = False


class OrganisationUpdateSerializer(VersionedUpdate, OrganisationCreateSerializer):
    """PATCH: any subset of the fields, plus the `version` the client read."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        _all_optional({k: v for k, v in fields.items() if k != "version"})
        return fields


class PersonCreateSerializer(serializers.Serializer):
    name = _text(60, required=True, label=_("姓名"))
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, label=_("性别"))
    title = _text(120, label=_("职务"))
    phone = _text(30, label=_("联系电话"))
    email = serializers.EmailField(
        max_length=254, required=False, allow_blank=True, label=_("电子邮箱")
    )
    is_active = serializers.BooleanField(required=False, label=_("在用"))

    def to_service_data(self) -> dict[str, Any]:
        return dict(self.validated_data)


class PersonUpdateSerializer(VersionedUpdate, PersonCreateSerializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        _all_optional({k: v for k, v in fields.items() if k != "version"})
        return fields


class MembershipCreateSerializer(serializers.Serializer):
    """`person` and `organisation` are ids of records the caller can see."""

    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none(), label=_("人员"))
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.none(), label=_("单位")
    )
    role = serializers.ChoiceField(choices=Role.choices, label=_("角色"))
    post = _text(120, label=_("岗位"))

    def __init__(self, *args: Any, people: Any = None, organisations: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people
        if organisations is not None:
            self.fields["organisation"].queryset = organisations


class RoleGrantSerializer(serializers.ModelSerializer):
    """A grant of a CDI-side role waiting for a CDI officer's confirmation (or decided)."""

    class Meta:
        model = RoleGrant
        fields = [
            "id",
            "person",
            "organisation",
            "role",
            "post",
            "state",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "reason",
            "membership",
        ]
        read_only_fields = fields


class RoleGrantRefuseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, label=_("不予确认的理由"))


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    person_id = serializers.IntegerField(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())
    organisations = serializers.ListField(child=serializers.IntegerField())
