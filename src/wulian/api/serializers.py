from __future__ import annotations

from rest_framework import serializers

from wulian.core.models import Membership, Organisation, Person


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = [
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
        ]
        read_only_fields = ["id", "version"]


class MembershipSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organisation", "organisation_name", "role", "post", "is_active"]


class PersonSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(many=True, read_only=True, source="active_memberships")

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "gender",
            "title",
            "phone",
            "email",
            "is_active",
            "version",
            "memberships",
        ]
        read_only_fields = ["id", "version", "memberships"]


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    person_id = serializers.IntegerField(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())
    organisations = serializers.ListField(child=serializers.IntegerField())
