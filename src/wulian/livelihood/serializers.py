"""The API's shapes of the livelihood records (read only; the steps' bodies are the forms)."""

from __future__ import annotations

from rest_framework import serializers

from wulian.livelihood.models import Actual, Candidate, Cycle, Indicator, Order, Photo, Project


class CandidateOut(serializers.ModelSerializer):
    class Meta:
        model = Candidate
        fields = [
            "id",
            "cycle",
            "title",
            "source",
            "proposer",
            "state",
            "budget",
            "responsible",
            "indicators",
            "screening_note",
            "votes",
            "version",
        ]
        read_only_fields = fields


class CycleOut(serializers.ModelSerializer):
    class Meta:
        model = Cycle
        fields = [
            "id",
            "year",
            "title",
            "organiser",
            "state",
            "places",
            "deputies",
            "session_opens_at",
            "session_closes_at",
            "vote_poll",
            "satisfaction_poll",
            "decision_number",
            "decided_at",
            "version",
        ]
        read_only_fields = fields


class IndicatorOut(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "name",
            "unit",
            "kind",
            "target",
            "baseline",
            "plan",
            "ceiling",
            "actual",
            "actual_in_use",
            "actual_month",
            "warned_gap",
            "version",
        ]
        read_only_fields = fields


class ProjectOut(serializers.ModelSerializer):
    indicators = IndicatorOut(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "cycle",
            "number",
            "title",
            "summary",
            "budget",
            "responsible",
            "co_departments",
            "satisfaction",
            "satisfaction_counts",
            "inquiry_topic",
            "indicators",
            "version",
        ]
        read_only_fields = fields


class PhotoOut(serializers.ModelSerializer):
    class Meta:
        model = Photo
        fields = ["id", "attachment", "taken_at", "latitude", "longitude", "readable", "public"]
        read_only_fields = fields


class ActualOut(serializers.ModelSerializer):
    photos = PhotoOut(many=True, read_only=True)

    class Meta:
        model = Actual
        fields = [
            "id",
            "indicator",
            "month",
            "value",
            "value_in_use",
            "narrative",
            "state",
            "reported_at",
            "review_note",
            "reviewed_at",
            "photos",
            "version",
        ]
        read_only_fields = fields


class OrderOut(serializers.ModelSerializer):
    class Meta:
        model = Order
        fields = [
            "id",
            "project",
            "issued_by_org",
            "issued_at",
            "to_unit",
            "requirements",
            "due_on",
            "state",
            "answer",
            "answered_at",
            "closed_at",
            "escalated_at",
            "escalation_note",
            "version",
        ]
        read_only_fields = fields
