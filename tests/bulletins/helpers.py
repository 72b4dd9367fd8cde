"""Bulletins for tests, made through the services (the congress working body's clerk issues
to the CDI and unit A unless told otherwise). Used by the bulletin tests and the route matrix."""

from __future__ import annotations

from typing import Any

from tests.personas import Personas
from wulian.core.access import actor_for
from wulian.core.bulletins import services
from wulian.core.bulletins.choices import BulletinSensitivity
from wulian.core.bulletins.models import Bulletin


def make_bulletin(
    p: Personas,
    *,
    issued: bool = True,
    sensitivity: str = BulletinSensitivity.ORDINARY,
    recipients: tuple[str, ...] = ("cdi", "unit_a"),
    title: str = "关于2026年第二季度代表建议办理情况的通报",
    **data: Any,
) -> Bulletin:
    actor = actor_for(p.congress_clerk)
    bulletin = services.bulletin_create(
        actor=actor,
        data={
            "issuer_id": p.orgs["congress_body"].pk,
            "title": title,
            "body": "一、总体情况\n本季度共交办代表建议52件。\n（一）办理进度\n已办结40件。",
            "sensitivity": sensitivity,
            "recipient_ids": [p.orgs[r].pk for r in recipients],
            **data,
        },
    )
    if issued:
        bulletin = services.bulletin_issue(
            actor=actor, bulletin_id=bulletin.pk, version=bulletin.version
        )
    return bulletin


def issued_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_bulletin(p).pk}


def draft_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_bulletin(p, issued=False).pk}


def bulletin_case(kind: str, *, recipient: str = ""):
    """Record functions for tests/core/test_policy_matrix.py, built once per test world: an
    issued "ordinary", "sensitive" or "clue" bulletin of the congress working body (to the CDI
    and unit A; the clue-grade one to the CDI only), or a "draft"; with `recipient`, that
    organisation's recipient row of it."""

    def build(world: Any, who: str) -> Any:
        cache = world.__dict__.setdefault("_bulletins", {})
        if kind not in cache:
            p = world.p
            if kind == "draft":
                cache[kind] = make_bulletin(p, issued=False)
            elif kind == BulletinSensitivity.CLUE:
                cache[kind] = make_bulletin(p, sensitivity=kind, recipients=("cdi",))
            else:
                cache[kind] = make_bulletin(p, sensitivity=kind)
        bulletin = cache[kind]
        if recipient:
            return bulletin.recipients.get(organisation=world.p.orgs[recipient])
        return bulletin

    return build
