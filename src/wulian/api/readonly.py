"""Read serializers declared in one statement (issue 12).

Most read shapes of the API are the same class written again: a `ModelSerializer` whose
`Meta` names the model and a list of fields and makes every one of them read-only, with a
few declared fields beside (the name of a related record, nested rows). `read_only` builds
that class from the three things that differ — its name, the model and the fields — so the
OpenAPI component keeps its name and the response its fields.
"""

from __future__ import annotations

import sys
from typing import Any

from rest_framework import serializers


def read_only(
    name: str,
    model: Any,
    fields: list[str],
    /,
    *,
    base: type[serializers.ModelSerializer] = serializers.ModelSerializer,
    **declared: Any,
) -> type[serializers.ModelSerializer]:
    """`class <name>(base)` with `Meta.model = model`, `Meta.fields = fields`, every field
    read-only, and the `declared` fields (a related name, a nested list, a method field)."""
    meta = type("Meta", (), {"model": model, "fields": fields, "read_only_fields": fields})
    module = sys._getframe(1).f_globals.get("__name__", __name__)
    attrs = {"Meta": meta, "__module__": module, "__qualname__": name, **declared}
    return type(name, (base,), attrs)


def name_of(related: str) -> serializers.CharField:
    """The `name` of a related record, read-only: `organisation_name = name_of("organisation")`."""
    return serializers.CharField(source=f"{related}.name", read_only=True)
