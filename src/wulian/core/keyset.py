"""Keyset pagination for ledgers that grow to millions of rows: `WHERE id < :after ORDER BY id
DESC LIMIT n+1` walks an index, where OFFSET would scan every skipped row and COUNT(*) every
matching one. The page knows whether there is a next page, not how many there are.

The queryset must be ordered by `-id` (newest first); the link to the next page carries
`after=<the last id shown>`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.models import QuerySet
from django.db.models.query import ValuesListIterable
from django.http import HttpRequest, QueryDict


@dataclass
class KeysetPage:
    object_list: list[Any] = field(default_factory=list)
    has_next: bool = False
    next_after: int | None = None
    is_first: bool = True

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def parse_after(value: str | None) -> int | None:
    try:
        after = int(value or "")
    except ValueError:
        return None
    return after if after > 0 else None


def keyset_page(qs: QuerySet, *, after: int | None, per_page: int | None = None) -> KeysetPage:
    per_page = per_page or settings.UI_PAGE_SIZE
    if after is not None:
        qs = qs.filter(id__lt=after)
    rows = _serial(qs[: per_page + 1])
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    return KeysetPage(
        object_list=rows,
        has_next=has_next,
        next_after=rows[-1].pk if has_next and rows else None,
        is_first=after is None,
    )


def _serial(qs: QuerySet) -> list[Any]:
    """The page's rows; on PostgreSQL without parallel workers. A page stops at its first
    n+1 matches, but when the planner expects them to be rare (a search for two words) it
    starts workers that each scan ahead: ~30 ms of start-up and wasted reads on a 20-row page
    (measured at 1,000,000), and on a busy server the cores the other requests need."""
    connection = connections[qs.db]
    if connection.vendor != "postgresql":
        return list(qs)
    with transaction.atomic(using=qs.db), connection.cursor() as cursor:
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        return list(qs)


class TupleRow:
    """A list row read as one tuple (ADR 0018): the columns the row shows, no model instances
    (a row of a model with three joined relations is four, ~250 Python calls). A subclass
    names its `COLUMNS` — (attribute, `values_list` column) pairs — and its `__slots__`
    (`slots(COLUMNS)`); `tuple_rows(qs, cls)` reads them."""

    __slots__ = ()
    COLUMNS: tuple[tuple[str, str], ...] = ()

    def __init__(self, values: tuple) -> None:
        for name, value in zip(self.__slots__, values, strict=True):
            setattr(self, name, value)


def slots(columns: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    return tuple(name for name, _column in columns)


_ITERABLES: dict[type, type] = {}


def tuple_rows(qs: QuerySet, row_class: type[TupleRow]) -> QuerySet:
    """`qs` as `row_class` rows, one tuple each — still a queryset (keyset pages slice it)."""
    iterable = _ITERABLES.get(row_class)
    if iterable is None:

        def __iter__(self):
            for values in ValuesListIterable.__iter__(self):
                yield row_class(values)

        iterable = _ITERABLES[row_class] = type(
            f"{row_class.__name__}Iterable", (ValuesListIterable,), {"__iter__": __iter__}
        )
    rows = qs.values_list(*(column for _name, column in row_class.COLUMNS))
    rows._iterable_class = iterable
    return rows


def page_for(request: HttpRequest, qs: QuerySet, per_page: int | None = None) -> KeysetPage:
    return keyset_page(qs, after=parse_after(request.GET.get("after")), per_page=per_page)


def query_without_cursor(request: HttpRequest) -> str:
    params: QueryDict = request.GET.copy()
    params.pop("after", None)
    params.pop("page", None)
    return params.urlencode()
