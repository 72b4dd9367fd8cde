"""Base querysets that forms (`formkit`), filters and selectors all start from: the layer under
the three, so that none of them imports another for them (`selectors.deputies` is this one)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from wulian.core.choices import Role
from wulian.core.models import Membership, Person


def deputies() -> QuerySet:
    """People who are deputies: with a deputy profile, or holding the deputy role."""
    return Person.objects.filter(
        Q(deputy__isnull=False)
        | Q(pk__in=Membership.objects.filter(role=Role.DEPUTY, is_active=True).values("person_id"))
    )
