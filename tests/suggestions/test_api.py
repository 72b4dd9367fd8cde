"""The suggestions API: the ledger as fast as the HTML one (keyset pages, the same queries for 20
rows as for 100), verdicts null and unfilterable for units, and one suggestion walked from the
deputy's submission to 满意 through the API only, with the refusals rendered as problem+json."""

from __future__ import annotations

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.suggestions.helpers import make_session, make_suggestion
from wulian.suggestions.choices import SuggestionStatus as S
from wulian.suggestions.models import Assignment, AssignmentBatch, Suggestion

LIST = reverse("suggestions_api:suggestion-list")


def post(client, url: str, data: dict):
    return client.post(
        url,
        json.dumps(data, default=str),
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )


def get(client, url: str, params: dict | None = None):
    return client.get(url, params or {}, HTTP_ACCEPT="application/json")


def test_the_api_ledger_costs_the_same_queries_for_20_and_100_rows(personas, client_of):
    p = personas
    client = client_of(p.congress_clerk)
    get(client, LIST)
    for _ in range(20):
        make_suggestion(p, S.HANDLING)
    with CaptureQueriesContext(connection) as few:
        first = get(client, LIST, {"page_size": 20})
    for _ in range(100):
        make_suggestion(p, S.HANDLING)
    with CaptureQueriesContext(connection) as many:
        response = get(client, LIST, {"page_size": 100})
    assert len(few.captured_queries) == len(many.captured_queries)
    assert len(first.json()["results"]) == 20 and len(response.json()["results"]) == 100
    # Keyset: the next link carries the last id; no count over the table.
    nxt = response.json()["next"]
    assert "after=" in nxt
    assert not any("COUNT(" in q["sql"] for q in many.captured_queries if "suggestion" in q["sql"])


def test_verdicts_are_null_and_unfilterable_for_a_unit(personas, client_of):
    p = personas
    make_suggestion(p, S.CLOSED)
    make_suggestion(p, S.CLOSED, verdict="unsatisfied")
    rows = get(client_of(p.unit_a), LIST, {"verdict": "unsatisfied"}).json()["results"]
    assert len(rows) == 2 and {r["verdict"] for r in rows} == {None}
    rows = get(client_of(p.congress_clerk), LIST, {"verdict": "unsatisfied"}).json()["results"]
    assert [r["verdict"] for r in rows] == ["unsatisfied"]


def test_a_bad_filter_value_is_a_400_problem(personas, client_of):
    response = get(client_of(personas.congress_clerk), LIST, {"status": "nonsense"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")


def test_one_suggestion_through_the_api_from_submission_to_satisfied(personas, client_of):
    p = personas
    make_session(p)
    deputy, clerk, office = (
        client_of(p.deputy),
        client_of(p.congress_clerk),
        client_of(p.gov_supervisor),
    )
    unit_a, unit_b = client_of(p.unit_a), client_of(p.unit_b)

    r = post(
        deputy,
        LIST,
        {"title": "关于增设公交站点的建议", "content": "没有公交站。", "category": "transport"},
    )
    assert r.status_code == 201, r.content
    s = r.json()
    url = lambda name: reverse(f"suggestions_api:suggestion-{name}", args=[s["id"]])  # noqa: E731
    assert s["number"] == 1 and s["status"] == "submitted"

    r = post(clerk, url("accept"), {"version": s["version"]})
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    # The same version again: a 409 problem, nothing changed.
    r = post(clerk, url("reject"), {"version": s["version"], "reason": "no_substance"})
    assert r.status_code == 409 and r["Content-Type"].startswith("application/problem+json")
    s = get(clerk, url("detail")).json()

    r = post(
        clerk,
        reverse("suggestions_api:batch-list"),
        {
            "items": [
                {
                    "suggestion": s["id"],
                    "version": s["version"],
                    "lead_unit": p.orgs["unit_a"].pk,
                    "co_units": [p.orgs["unit_b"].pk],
                }
            ]
        },
    )
    assert r.status_code == 201, r.content
    batch = r.json()
    r = post(
        clerk,
        reverse("suggestions_api:batch-confirm", args=[batch["id"]]),
        {"version": batch["version"]},
    )
    assert r.status_code == 403  # the side that prepared it does not confirm it
    r = post(
        office,
        reverse("suggestions_api:batch-confirm", args=[batch["id"]]),
        {"version": batch["version"]},
    )
    # Irreversible: the API needs "confirm": true (Step.confirm), else 400 naming `confirm`.
    assert r.status_code == 400 and r.json()["code"] == "confirmation_needed", r.content
    assert "confirm" in r.json()["errors"]
    r = post(
        office,
        reverse("suggestions_api:batch-confirm", args=[batch["id"]]),
        {"version": batch["version"], "confirm": True},
    )
    assert r.status_code == 200 and r.json()["state"] == "issued"
    assert AssignmentBatch.objects.get().state == "issued"

    for client, a in ((unit_a, "lead"), (unit_b, "co")):
        assignment = Assignment.objects.get(suggestion_id=s["id"], role=a)
        r = post(
            client,
            reverse("suggestions_api:assignment-receive", args=[assignment.pk]),
            {"version": assignment.version},
        )
        assert r.status_code == 200 and r.json()["status"] == "received"

    r = post(
        unit_b, url("contact"), {"method": "phone", "contacted_at": timezone.now(), "agreed": "x"}
    )
    assert r.status_code == 403  # the co-unit does not contact the deputy for the lead unit
    r = post(
        unit_a,
        url("contact"),
        {"method": "phone", "contacted_at": timezone.now(), "agreed": "电话联系"},
    )
    assert r.status_code == 200 and r.json()["first_contact_at"]
    r = post(unit_b, url("opinion"), {"text": "同意"})
    assert r.status_code == 200
    s = get(unit_a, url("detail")).json()
    r = post(
        unit_a, url("reply"), {"version": s["version"], "category": "X", "signer": "", "text": ""}
    )
    assert r.status_code == 400
    assert {"category", "signer", "text"} <= set(r.json()["errors"])
    r = post(
        unit_a,
        url("reply"),
        {"version": s["version"], "category": "A", "signer": "张局长", "text": "已增设站点。"},
    )
    assert r.status_code == 200 and r.json()["status"] == "answered"
    s = r.json()
    assert s["verdict"] is None

    r = post(
        unit_a,
        url("verdict"),
        {"version": s["version"], "on_attitude": "satisfied", "on_result": "satisfied"},
    )
    assert r.status_code == 403
    r = post(
        deputy,
        url("verdict"),
        {"version": s["version"], "on_attitude": "satisfied", "on_result": "satisfied"},
    )
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "closed" and body["verdict"] == "satisfied"
    assert get(unit_a, url("detail")).json()["verdict"] is None
    assert Suggestion.objects.get(pk=s["id"]).status == S.CLOSED


def test_a_suggestion_outside_the_scope_is_a_404(personas, client_of):
    s = make_suggestion(personas, S.HANDLING)
    url = reverse("suggestions_api:suggestion-detail", args=[s.pk])
    assert get(client_of(personas.court_clerk), url).status_code == 404
    assert get(client_of(personas.unit_b), url).status_code == 200
