"""Two things many models say the same way (issue 12), said as data on the class instead of a
method written out again in each: the record's own page and the organisation it belongs to.
Plain mixins (no fields): a model's table does not change."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from django.urls import reverse


class HasPage:
    """A record with a page of its own: `page_name` is the URL name of that page, which takes
    the record's id."""

    page_name: str
    pk: Any

    def get_absolute_url(self) -> str:
        return reverse(self.page_name, args=[self.pk])


class Owned:
    """A record that belongs to one organisation (the attachments app and other primitives
    ask whose it is): `owner_attr` says where that organisation's id is ("organiser_id",
    "batch.organiser_org_id")."""

    owner_attr: str

    @property
    def owning_organisation_id(self) -> int:
        return attrgetter(self.owner_attr)(self)
