"""The assignment page's helpers: similar suggestions of the session (并案 candidates), merge
proposals, and the lead units proposed from past assignments — over the stored search words,
scoped to what the person may see, refreshed as suggestions change."""

from __future__ import annotations

import pytest

from tests.factories import OrganisationFactory
from tests.suggestions import corpus, figure_data
from wulian.core.errors import AccessDenied
from wulian.suggestions import analytics
from wulian.suggestions.models import Suggestion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_indexes():
    analytics.reset()
    yield
    analytics.reset()


def add(builder, key: str, stage: str = "accepted", unit=None) -> Suggestion:
    for k, title, content, _unit in corpus.SUGGESTIONS:
        if k == key:
            return builder.suggestion(stage=stage, title=title, content=content, unit=unit)
    raise KeyError(key)


@pytest.fixture
def session_of(personas):
    """A session with the corpus' suggestions (all but kinder-2) waiting for assignment, and
    alley-2 received by unit A already."""
    b = figure_data.Builder(personas, figure_data.session(personas, 2026))
    made = {}
    for key, *_rest in corpus.SUGGESTIONS:
        if key == "alley-2":
            made[key] = add(b, key, stage="received", unit=personas.orgs["unit_a"])
        elif key != "kinder-2":
            made[key] = add(b, key)
    return b, made


def test_similar_suggestions_of_the_session(personas, session_of):
    _b, made = session_of
    found = analytics.similar_for(actor=personas.congress_clerk, suggestion=made["lift-1"])
    assert [f.id for f in found] == [made["lift-2"].pk, made["lift-3"].pk]
    assert all(f.score >= analytics.DEFAULT_THRESHOLD for f in found)
    assert found[0].number == made["lift-2"].number and found[0].url.endswith(
        f"/{made['lift-2'].pk}/"
    )


def test_similar_includes_assigned_ones_with_their_unit(personas, session_of):
    _b, made = session_of
    found = analytics.similar_for(actor=personas.congress_clerk, suggestion=made["alley-1"])
    assert [(f.id, f.lead_unit) for f in found] == [(made["alley-2"].pk, "市民政局")]


def test_a_new_suggestion_is_found_at_once(personas, session_of):
    b, made = session_of
    assert analytics.similar_for(actor=personas.congress_clerk, suggestion=made["kinder-1"]) == []
    kinder = add(b, "kinder-2")
    found = analytics.similar_for(actor=personas.congress_clerk, suggestion=made["kinder-1"])
    assert [f.id for f in found] == [kinder.pk]


def test_merged_withdrawn_and_other_sessions_are_not_candidates(personas, session_of):
    _b, made = session_of
    Suggestion.objects.filter(pk=made["lift-3"].pk).update(merged_into=made["lift-2"])
    Suggestion.objects.filter(pk=made["lift-2"].pk).update(status="withdrawn")
    other = figure_data.Builder(personas, figure_data.session(personas, 2025))
    add(other, "lift-2")
    assert analytics.similar_for(actor=personas.congress_clerk, suggestion=made["lift-1"]) == []


def test_only_what_the_person_may_see(personas, session_of):
    _b, made = session_of
    # Unit A handles alley-2 only: it may ask about it, and finds nothing it may not see.
    assert analytics.similar_for(actor=personas.unit_a, suggestion=made["alley-2"]) == []
    with pytest.raises(AccessDenied):
        analytics.similar_for(actor=personas.unit_a, suggestion=made["lift-1"])
    with pytest.raises(AccessDenied):
        analytics.similar_for(actor=personas.unit_b, suggestion=made["alley-2"])


def test_merge_proposals_among_those_waiting(personas, session_of):
    _b, made = session_of
    found = analytics.merge_proposals(
        actor=personas.gov_supervisor, session_id=made["lift-1"].session_id
    )
    groups = {g.seed: [m for m, _s in g.members] for g in found}
    assert groups[made["lift-1"].pk] == [made["lift-2"].pk, made["lift-3"].pk]
    assert groups[made["bus-1"].pk] == [made["bus-2"].pk]
    proposed = {pk for g in found for pk in (g.seed, *(m for m, _s in g.members))}
    assert made["alley-1"].pk not in proposed  # its match, alley-2, is assigned already
    assert made["kinder-1"].pk not in proposed  # its match has not come in
    by_key = {s.pk: k for k, s in made.items()}
    for g in found:  # every proposal is one matter
        keys = {by_key[pk] for pk in (g.seed, *(m for m, _s in g.members))}
        assert any(keys <= same for same in corpus.SAME_MATTER), keys
    with pytest.raises(AccessDenied):
        analytics.merge_proposals(actor=personas.unit_a, session_id=made["lift-1"].session_id)
    with pytest.raises(AccessDenied):
        analytics.merge_proposals(actor=personas.stationed, session_id=made["lift-1"].session_id)


@pytest.fixture
def history(personas):
    """Last year's suggestions, each received by the unit that led it."""
    units = {}
    b = figure_data.Builder(personas, figure_data.session(personas, 2025))
    for _key, title, content, unit in corpus.SUGGESTIONS:
        org = units.setdefault(unit, OrganisationFactory(name=unit))
        b.suggestion(stage="received", unit=org, title=title, content=content)
    return units


def test_lead_units_proposed_from_past_assignments(personas, history):
    b = figure_data.Builder(personas, figure_data.session(personas, 2026))
    new = b.suggestion(
        stage="accepted",
        title="关于社区老年食堂建设的建议",
        content="高龄独居老人吃饭难，建议每个社区设立老年食堂或助餐点，给予运营补贴。",
    )
    found = analytics.proposals_for(actor=personas.congress_clerk, suggestion=new)
    assert found[0].unit == "市民政局" and found[0].unit_id == history["市民政局"].pk
    assert 0 < found[0].confidence <= 1
    assert len(found) <= 3
    meals = set(
        Suggestion.objects.filter(session__year=2025)
        .filter(title__in=[t for k, t, _c, _u in corpus.SUGGESTIONS if k.startswith("elder-meal")])
        .values_list("pk", flat=True)
    )
    assert len(meals) == 2
    assert set(found[0].examples[:2]) == meals  # the two past suggestions about 老年食堂
    assert new.pk not in found[0].examples


def test_a_new_assignment_is_learnt_without_a_rebuild(personas, history):
    b = figure_data.Builder(personas, figure_data.session(personas, 2026))
    query = b.suggestion(stage="accepted", title="关于建设城市书房的建议", content="城市书房太少。")
    before = analytics.proposals_for(actor=personas.congress_clerk, suggestion=query)
    assert all(p.confidence < 1 for p in before)  # weak matches on 建设, 城市 at most
    library = OrganisationFactory(name="市图书馆")
    b.suggestion(
        stage="received",
        unit=library,
        title="关于增设城市书房的建议",
        content="建议在社区增设城市书房，延长开放时间。",
    )
    found = analytics.proposals_for(actor=personas.congress_clerk, suggestion=query)
    assert found[0].unit == "市图书馆"
    assert found[0].confidence > 0.5


def test_sent_back_assignments_teach_nothing(personas, history):
    from wulian.suggestions.models import Assignment

    Assignment.objects.filter(unit=history["市民政局"]).update(
        status="sent_back", sent_back_reason="不属于本单位职责"
    )
    b = figure_data.Builder(personas, figure_data.session(personas, 2026))
    new = b.suggestion(stage="accepted", title="关于社区老年食堂的建议", content="老人吃饭难。")
    found = analytics.proposals_for(actor=personas.congress_clerk, suggestion=new)
    assert "市民政局" not in {p.unit for p in found}


def test_proposals_are_for_those_who_assign(personas, history):
    b = figure_data.Builder(personas, figure_data.session(personas, 2026))
    new = b.suggestion(stage="accepted")
    for user in (personas.unit_a, personas.stationed, personas.deputy):
        with pytest.raises(AccessDenied):
            analytics.proposals_for(actor=user, suggestion=new)
    assert analytics.proposals_for(actor=personas.gov_supervisor, suggestion=new)


def test_the_history_window_keeps_the_newest(personas, history, settings):
    settings.SUGGESTION_PROPOSAL_HISTORY = 5
    proposer, _names = analytics._proposer()
    assert len(proposer) == 5


def test_older_history_is_found_by_the_rarest_words(personas, history, settings):
    """Past assignments beyond the in-memory window still count: the search index finds the
    past suggestions sharing the new one's rarest words."""
    b = figure_data.Builder(personas, figure_data.session(personas, 2024))
    library = OrganisationFactory(name="市图书馆")
    b.suggestion(
        stage="received",
        unit=library,
        title="关于增设城市书房的建议",
        content="建议在社区增设城市书房，延长开放时间。",
    )
    # Newer history pushes it out of a window of five.
    for key in ("lift-1", "alley-1", "bus-1", "kinder-1", "clinic-1", "flood-1"):
        for k, title, content, unit in corpus.SUGGESTIONS:
            if k == key:
                b.suggestion(stage="received", unit=history[unit], title=title, content=content)
    settings.SUGGESTION_PROPOSAL_HISTORY = 5
    analytics.reset()
    new = figure_data.Builder(personas, figure_data.session(personas, 2026)).suggestion(
        stage="accepted", title="关于建设城市书房的建议", content="城市书房太少，开放时间短。"
    )
    proposer, _names = analytics._proposer()
    assert "市图书馆" not in {
        p.unit for p in proposer.propose(analytics.words_of(new.title, new.search_tokens))
    }
    found = analytics.proposals_for(actor=personas.congress_clerk, suggestion=new)
    assert found[0].unit == "市图书馆"


def test_held_out_evaluation_as_the_product_proposes(personas, history, settings):
    settings.SUGGESTION_PROPOSAL_HISTORY = 30
    result = analytics.evaluate_held_out(5)
    assert (result.trained_on, result.held_out) == (30, 5)
    assert 0 <= result.top1 <= result.top3 <= 1
