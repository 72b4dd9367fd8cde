"""Reads of special inquiries, scoped by access."""

from __future__ import annotations

from django.db.models import QuerySet

from wulian.core import access
from wulian.core.access import Actor
from wulian.inquiries.models import Inquiry, Question


def inquiry_list(*, actor: Actor) -> QuerySet:
    qs = Inquiry.objects.select_related("organiser").order_by("-id")
    return access.scope(actor, "inquiries.inquiry.view", qs)


def questions(*, actor: Actor, inquiry: Inquiry) -> QuerySet:
    qs = Question.objects.filter(inquiry=inquiry).select_related("unit").order_by("position")
    return access.scope(actor, "inquiries.question.view", qs)
