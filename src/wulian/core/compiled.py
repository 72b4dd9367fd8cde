"""Reads whose SQL the ORM builds once per process (ADR 0018, sixth round).

A record page's reads are the same few statements on every request, only their values
change; building each through the ORM (filters, joins, ordering, the compiler) cost ~0.3–0.5
ms of CPU a statement, running it on a small indexed table a few hundredths of that.
`objects(key, build, **values)` (`rows(...)` for a `values_list()`) asks `build` for the
queryset once per database connection and shape (the lengths of list values), compiles it
with two sets of stand-in values to learn which parameters are the caller's (the SQL must not
depend on them), and then runs that same statement with the request's values, making the
model instances as Django's `ModelIterable` does (joined relations included). The statement
is the ORM's own, so its rows are the ORM's; `tests/core/test_compiled.py` compares them.

Not for querysets whose SQL depends on a value (None; a per-request access scope): build
those with the ORM — `_compile` refuses a statement whose SQL changes with its values. Values
are ints or strings, or lists of them (each length its own statement; at most
`KEEP` statements a connection are kept, then they are built again).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

KEEP = 500
_by_connection: WeakKeyDictionary[Any, dict[tuple, _Statement]] = WeakKeyDictionary()


@dataclass
class _Statement:
    sql: str
    params: list[Any]
    slots: list[tuple[int, str, int | None]]  # (position, value's name, index in a list)
    compiler: Any
    converters: Any
    model: type[Model] | None
    init_list: list[str]
    start: int
    end: int
    populators: list[Any]
    annotations: dict[str, int]


def _stand_in(value: Any, name: str, n: int, round_: int) -> Any:
    if isinstance(value, bool) or value is None:
        raise TypeError(f"compiled.objects: {name} must be an int, a str or a list of them")
    if isinstance(value, int):  # small: a SmallIntegerField's range holds it
        if n >= 1000:
            raise ValueError("compiled.objects: at most 1,000 values")
        return 1000 + 1000 * round_ + n
    if isinstance(value, str):
        return f"\x1fwulian-{round_}-{n}\x1f"
    raise TypeError(f"compiled.objects: {name} must be an int, a str or a list of them")


def _stand_ins(values: dict[str, Any], round_: int) -> tuple[dict[str, Any], dict[Any, tuple]]:
    out: dict[str, Any] = {}
    where: dict[Any, tuple] = {}
    n = 0
    for name, value in values.items():
        if isinstance(value, list | tuple):
            items = []
            for i, v in enumerate(value):
                s = _stand_in(v, name, n, round_)
                where[s] = (name, i)
                items.append(s)
                n += 1
            out[name] = items
        else:
            s = _stand_in(value, name, n, round_)
            where[s] = (name, None)
            out[name] = s
            n += 1
    return out, where


def _compile(build: Callable[..., QuerySet], values: dict[str, Any]) -> _Statement:
    first, where = _stand_ins(values, 0)
    second, _ = _stand_ins(values, 1)
    qs = build(**first)
    if qs._prefetch_related_lookups:
        raise ValueError("compiled: a queryset without prefetches")
    if qs._iterable_class is ValuesListIterable:
        if qs.query.extra_select or qs.query.annotation_select:
            raise ValueError("compiled.rows: the fields only (no annotations)")
    elif qs._iterable_class is not ModelIterable:
        raise ValueError("compiled: model instances or `values_list()` rows")
    db = router.db_for_read(qs.model)
    compiler = qs.query.get_compiler(using=db)
    sql, params = compiler.as_sql()
    other_sql, other_params = build(**second).query.get_compiler(using=db).as_sql()
    if sql != other_sql or len(params) != len(other_params) or compiler.has_extra_select:
        raise ValueError("compiled.objects: the statement depends on its values")
    slots = []
    for pos, (a, b) in enumerate(zip(params, other_params, strict=True)):
        if a != b:
            # (A value the statement does not need — the other side of an OR with an empty
            # list — is simply not among them; one written into the SQL changed `sql`.)
            if a not in where:
                raise ValueError("compiled.objects: a value was changed on its way into SQL")
            name, index = where[a]
            slots.append((pos, name, index))
    klass_info = compiler.klass_info
    select = compiler.select
    statement = _Statement(
        sql=sql,
        params=list(params),
        slots=slots,
        compiler=compiler,
        converters=compiler.get_converters([s[0] for s in select[: compiler.col_count]]),
        model=None,  # a values_list() row is returned as it is
        init_list=[],
        start=0,
        end=0,
        populators=[],
        annotations={},
    )
    if qs._iterable_class is ModelIterable:
        fields = klass_info["select_fields"]
        statement.start, statement.end = fields[0], fields[-1] + 1
        statement.model = klass_info["model"]
        statement.init_list = [f[0].target.attname for f in select[statement.start : statement.end]]
        statement.populators = get_related_populators(klass_info, select, db)
        statement.annotations = dict(compiler.annotation_col_map or {})
    return statement


def objects(key: str, build: Callable[..., QuerySet], **values: Any) -> list[Any]:
    """The model instances of `build(**values)`, its SQL built once per connection."""
    statement, params = _statement(key, build, values)
    return list(_instances(statement, params))


def rows(key: str, build: Callable[..., QuerySet], **values: Any) -> list[tuple]:
    """The rows of `build(**values)`, a `values_list()` queryset, its SQL built once per
    connection."""
    statement, params = _statement(key, build, values)
    if statement.model is not None:
        raise ValueError("compiled.rows: a values_list() queryset")
    return [tuple(row) for row in _fetch(statement, params)]


def _statement(
    key: str, build: Callable[..., QuerySet], values: dict[str, Any]
) -> tuple[_Statement, list[Any]]:
    shape = (
        key,
        *((n, len(v) if isinstance(v, list | tuple) else None) for n, v in values.items()),
    )
    # The statement is kept per connection object (one per thread and database), so a
    # compiler's connection is always the one it runs on.
    alias = _alias_for.get(key)
    statement = _by_connection.get(connections[alias], {}).get(shape) if alias else None
    if statement is None:
        statement = _compile(build, values)
        conn = statement.compiler.connection
        _alias_for[key] = conn.alias
        kept = _by_connection.setdefault(conn, {})
        if len(kept) >= KEEP:
            kept.clear()
        kept[shape] = statement
    params = list(statement.params)
    for pos, name, index in statement.slots:
        value = values[name]
        params[pos] = value if index is None else value[index]
    return statement, params


_alias_for: dict[str, str] = {}


def _fetch(st: _Statement, params: list[Any]) -> Iterable[Any]:
    with st.compiler.connection.cursor() as cursor:
        cursor.execute(st.sql, params)
        found = cursor.fetchall()
    if st.converters:
        return st.compiler.apply_converters(found, st.converters)
    return found


def _instances(st: _Statement, params: list[Any]) -> Iterator[Any]:
    db = st.compiler.connection.alias
    from_db = st.model.from_db
    for row in _fetch(st, params):
        obj = from_db(db, st.init_list, row[st.start : st.end])
        for populator in st.populators:
            populator.populate(row, obj)
        for name, pos in st.annotations.items():
            setattr(obj, name, row[pos])
        yield obj
