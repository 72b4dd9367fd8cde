"""The 联商 rows of the policy matrix (tests/core/test_policy_matrix.py), persona by persona.

The sensitivity across the two sides: a CDI matter marked 本方内部 is invisible to congress
staff (and to everyone off the two sides); one marked 限本单位 is seen by the CDI's own desk
seats only (not the stationed group, another organisation of the CDI side); a shared one by
both sides' desk seats; nobody else sees the register at all."""

from __future__ import annotations

from typing import Any

from tests.consultation.helpers import make_analysis, make_matter
from wulian.consultation import services
from wulian.core.access import actor_for

VIEWERS = frozenset({"congress_clerk", "cdi_officer", "cdi_clue", "stationed"})
CDI_SIDE = frozenset({"cdi_officer", "cdi_clue", "stationed"})
CDI_OFFICE = frozenset({"cdi_officer", "cdi_clue"})
CREATORS = frozenset({"congress_clerk", "cdi_officer", "stationed"})
CLERK = frozenset({"congress_clerk"})
CDI_STAFF = frozenset({"cdi_officer"})
ANALYSTS = frozenset({"congress_clerk", "cdi_officer"})
NOBODY: frozenset[str] = frozenset()


def matter_case(side: str, sensitivity: str):
    def build(world: Any, who: str) -> Any:
        cache = world.__dict__.setdefault("_matters", {})
        key = (side, sensitivity)
        if key not in cache:
            cache[key] = make_matter(world.p, side, sensitivity)
        return cache[key]

    return build


def analysis_case(world: Any, who: str) -> Any:
    if "_analysis" not in world.__dict__:
        world.__dict__["_analysis"] = make_analysis(world.p)
    return world.__dict__["_analysis"]


def cdi_analysis_case(world: Any, who: str) -> Any:
    """An analysis the CDI leads, with the congress working body as partner."""
    if "_cdi_analysis" not in world.__dict__:
        world.__dict__["_cdi_analysis"] = services.analysis_create(
            actor=actor_for(world.p.cdi_officer),
            data={
                "title": "2026年度国有资产管理情况联合研判",
                "subject": "audit",
                "year": 2027,
                "lead_org_id": world.p.orgs["cdi"].pk,
                "partner_org_id": world.p.orgs["congress_body"].pk,
            },
        )
    return world.__dict__["_cdi_analysis"]


def _rows(row: Any) -> dict[str, dict[str, Any]]:
    return {
        "consultation.home.view": {"without a record": row(VIEWERS)},
        "consultation.figures.view": {"without a record": row(VIEWERS)},
        "consultation.matter.create": {"without a record": row(CREATORS)},
        "consultation.matter.view": {
            "without a record": row(VIEWERS),
            "a shared CDI matter": row(VIEWERS, matter_case("cdi", "shared")),
            "a CDI matter marked internal": row(CDI_SIDE, matter_case("cdi", "internal")),
            "a CDI matter for its own organisation": row(
                CDI_OFFICE, matter_case("cdi", "restricted")
            ),
            "a congress matter marked internal": row(CLERK, matter_case("congress", "internal")),
            "a shared congress matter": row(VIEWERS, matter_case("congress", "shared")),
        },
        "consultation.matter.manage": {
            "without a record": row(CREATORS),
            "a shared CDI matter": row(CDI_STAFF, matter_case("cdi", "shared")),
            "a congress matter marked internal": row(CLERK, matter_case("congress", "internal")),
        },
        "consultation.analysis.view": {
            "without a record": row(VIEWERS),
            "a joint analysis": row(VIEWERS, analysis_case),
            "an analysis the CDI leads": row(VIEWERS, cdi_analysis_case),
        },
        "consultation.analysis.create": {"without a record": row(CREATORS)},
        "consultation.analysis.manage": {
            "without a record": row(CREATORS),
            "a joint analysis": row(ANALYSTS, analysis_case),
        },
    }


def rows(row: Any) -> dict[str, dict[str, Any]]:
    """The rows, made with the matrix's own `Row` (passed in to keep one definition)."""
    return _rows(lambda allowed, record=None: row(allowed, record))
