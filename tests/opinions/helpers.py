"""Opinion rounds for tests, made through the services: the congress working body's clerk
drafts and invites the CDI, unit A and the deputy (named) unless told otherwise. Used by the
opinion tests, the route matrix and the policy matrix."""

from __future__ import annotations

from typing import Any

from tests.personas import Personas
from wulian.core.access import actor_for
from wulian.core.opinions import services
from wulian.core.opinions.models import Comment, OpinionRound

TEXT = "一、总体要求\n坚持依法监督。\n二、主要任务\n开展专题询问。\n三、保障措施\n明确联络员。"


def make_round(
    p: Personas,
    *,
    opened: bool = True,
    orgs: tuple[str, ...] = ("cdi", "unit_a"),
    people: tuple[str, ...] = ("deputy",),
    text: str = TEXT,
    **data: Any,
) -> OpinionRound:
    actor = actor_for(p.congress_clerk)
    round_ = services.round_create(
        actor=actor,
        data={
            "drafter_id": p.orgs["congress_body"].pk,
            "title": "2027年监督工作计划（征求意见稿）",
            "text": text,
            **data,
        },
    )
    if orgs or people:
        services.invite(
            actor=actor,
            round_id=round_.pk,
            version=round_.version,
            organisation_ids=[p.orgs[o].pk for o in orgs],
            person_ids=[p.users[u].person.pk for u in people],
        )
        round_.refresh_from_db()
    if opened:
        round_ = services.round_open(actor=actor, round_id=round_.pk, version=round_.version)
    return round_


def comment(p: Personas, round_: OpinionRound, who: str = "cdi_officer", **kw: Any) -> Comment:
    return services.comment_add(
        actor=actor_for(p.users[who]),
        round_id=round_.pk,
        text=kw.pop("text", "建议增加贯通协调的内容。"),
        **kw,
    )


def concluded_round(p: Personas) -> OpinionRound:
    """An opened round with one comment of the CDI, adopted, closed and concluded."""
    clerk = actor_for(p.congress_clerk)
    round_ = make_round(p)
    c = comment(p, round_, paragraph=2)
    services.comment_dispose(
        actor=clerk, round_id=round_.pk, comment=c.pk, version=c.version, disposition="adopted"
    )
    round_.refresh_from_db()
    round_ = services.round_close(actor=clerk, round_id=round_.pk, version=round_.version)
    return services.round_conclude(actor=clerk, round_id=round_.pk, version=round_.version)


def open_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_round(p).pk}


def draft_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": make_round(p, opened=False).pk}


def concluded_kwargs(p: Personas) -> dict[str, Any]:
    return {"pk": concluded_round(p).pk}


def round_case(kind: str):
    """Record functions for tests/core/test_policy_matrix.py, built once per test world: an
    "open" round of the congress working body (the CDI, unit A and the deputy invited), a
    "draft" one, or a "concluded" one; "invitee:<persona-org>" its invitee row."""

    def build(world: Any, who: str) -> Any:
        cache = world.__dict__.setdefault("_opinion_rounds", {})
        base = kind.split(":")[0] if ":" in kind else kind
        base = "open" if base == "invitee" else base
        if base not in cache:
            p = world.p
            cache[base] = {
                "open": lambda: make_round(p),
                "draft": lambda: make_round(p, opened=False),
                "concluded": lambda: concluded_round(p),
            }[base]()
        round_ = cache[base]
        if kind.startswith("invitee:"):
            name = kind.split(":")[1]
            if name in world.p.orgs:
                return round_.invitees.get(organisation=world.p.orgs[name])
            return round_.invitees.get(person=world.p.users[name].person)
        return round_

    return build
