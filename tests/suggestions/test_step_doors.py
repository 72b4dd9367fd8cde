"""The API doors of the suggestion steps that were written by hand before they were declared
(merge, the extension decision, supervise, follow-up, replacing a co-unit, publish, registering
a campaign opinion): each takes its page form's fields, and answers as the page refuses — no
access (403; or 404 for who does not see the record), a wrong state or a stale version (409), bad
input (400 naming the field) — and its success."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

from tests.suggestions.helpers import (
    campaign_kwargs,
    extension_suggestion_kwargs,
    make_campaign,
    make_suggestion,
    v,
    walk,
)
from tests.suggestions.test_co_units import sent_back_co_unit
from tests.suggestions.test_merging import other_deputy_suggestion
from wulian.core.activities.models import Activity
from wulian.core.deadlines.models import ExtensionRequest
from wulian.suggestions.choices import CampaignState
from wulian.suggestions.choices import SuggestionStatus as S
from wulian.suggestions.models import (
    Assignment,
    Campaign,
    CampaignOpinion,
    Suggestion,
    SupervisionOrder,
)


def _post(client, url: str, data: dict):
    return client.post(
        url,
        json.dumps(data, default=str),
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )


OUTSIDE = (403, 404)  # who may not take the step, nor see the record: refused before its scope


def _refused(r, status: int | tuple[int, ...], *fields: str) -> None:
    assert r.status_code in (status if isinstance(status, tuple) else (status,)), r.content
    assert r["Content-Type"].startswith("application/problem+json")
    for name in fields:
        assert name in r.json()["errors"], r.json()


# --- merge --------------------------------------------------------------------------------------


def test_merge_through_the_api(personas, client_of):
    p = personas
    primary = walk(p, S.ACCEPTED)
    other, _user = other_deputy_suggestion(p)
    url = reverse("suggestions_api:suggestion-merge", args=[primary.pk])
    body = {"version": v(primary), "others": [f"{other.pk}:{v(other)}"]}
    _refused(_post(client_of(p.court_clerk), url, body), OUTSIDE)
    _refused(_post(client_of(p.deputy), url, body), 403)
    clerk = client_of(p.congress_clerk)
    _refused(_post(clerk, url, {"version": v(primary), "others": ["二十"]}), 400, "others")
    _refused(_post(clerk, url, {"version": v(primary)}), 400, "others")
    _refused(_post(clerk, url, {**body, "version": v(primary) - 1}), 409)
    stale_other = {"version": v(primary), "others": [f"{other.pk}:{v(other) - 1}"]}
    _refused(_post(clerk, url, stale_other), 409)
    assert Suggestion.objects.get(pk=other.pk).merged_into_id is None
    r = _post(clerk, url, body)
    assert r.status_code == 200, r.content
    assert r.json()["id"] == primary.pk
    assert Suggestion.objects.get(pk=other.pk).merged_into_id == primary.pk


# --- the extension decision ---------------------------------------------------------------------


def test_the_extension_decision_through_the_api(personas, client_of):
    p = personas
    pk = extension_suggestion_kwargs(p)["pk"]
    ext = ExtensionRequest.objects.get()
    url = reverse("suggestions_api:suggestion-extension-decision", args=[pk])
    body = {"extension": ext.pk, "decision": "refuse", "note": "理由不充分"}
    _refused(_post(client_of(p.court_clerk), url, body), OUTSIDE)
    _refused(_post(client_of(p.unit_a), url, body), 403)
    clerk = client_of(p.congress_clerk)
    _refused(_post(clerk, url, {**body, "decision": "maybe"}), 400, "decision")
    _refused(_post(clerk, url, {**body, "extension": ext.pk + 1000}), 409, "extension")
    r = _post(clerk, url, body)
    assert r.status_code == 200, r.content
    assert r.json()["id"] == pk
    assert ExtensionRequest.objects.get(pk=ext.pk).decision == "refused"
    # Decided: no longer pending.
    _refused(_post(clerk, url, {**body, "decision": "approve"}), 409, "extension")


def test_the_page_decides_only_the_suggestions_pending_request(personas, client_of):
    p = personas
    pk = extension_suggestion_kwargs(p)["pk"]
    ext = ExtensionRequest.objects.get()
    other = make_suggestion(p, S.HANDLING)
    r = client_of(p.congress_clerk).post(
        reverse("suggestions:extension_decide", args=[other.pk]),
        {"extension": ext.pk, "decision": "approve"},
    )
    assert r.status_code == 409
    assert "不属于本建议" in r.content.decode()
    assert ExtensionRequest.objects.get(pk=ext.pk).decision == "pending"
    r = client_of(p.congress_clerk).post(
        reverse("suggestions:extension_decide", args=[pk]),
        {"extension": ext.pk, "decision": "approve"},
    )
    assert r.status_code == 302
    assert ExtensionRequest.objects.get(pk=ext.pk).decision == "approved"


# --- supervise ----------------------------------------------------------------------------------


def test_supervise_through_the_api_answers_the_order(personas, client_of):
    p = personas
    s = walk(p, S.HANDLING)
    url = reverse("suggestions_api:suggestion-supervise", args=[s.pk])
    body = {"kind": "unsatisfactory", "requirements": "请于十日内报告办理进展。"}
    _refused(_post(client_of(p.court_clerk), url, body), OUTSIDE)
    _refused(_post(client_of(p.unit_a), url, body), 403)
    clerk = client_of(p.congress_clerk)
    _refused(_post(clerk, url, {**body, "kind": "urgent"}), 400, "kind")
    _refused(
        _post(clerk, url, {**body, "issued_by_org": p.orgs["unit_a"].pk}), 400, "issued_by_org"
    )
    _refused(_post(clerk, url, {**body, "to_unit": p.orgs["court"].pk}), 400, "to_unit")
    r = _post(clerk, url, body)
    assert r.status_code == 201, r.content
    order = SupervisionOrder.objects.get(suggestion=s)
    assert r.json()["id"] == order.pk and r.json()["suggestion"] == s.pk
    assert r.json()["kind"] == "unsatisfactory" and order.to_unit == p.orgs["unit_a"]
    accepted = walk(p, S.ACCEPTED)
    r = _post(clerk, reverse("suggestions_api:suggestion-supervise", args=[accepted.pk]), body)
    _refused(r, 409)


# --- follow-up ----------------------------------------------------------------------------------


def test_a_follow_up_visit_through_the_api_answers_the_activity(personas, client_of):
    p = personas
    s = walk(p, S.HANDLING)
    url = reverse("suggestions_api:suggestion-follow-up", args=[s.pk])
    body = {
        "organiser": p.orgs["stationed_group"].pk,
        "title": "联合回访",
        "starts_at": "2026-06-20T09:30",
        "place": "区交通局",
    }
    _refused(_post(client_of(p.court_clerk), url, body), OUTSIDE)
    _refused(_post(client_of(p.congress_clerk), url, body), 403)
    stationed = client_of(p.users["stationed"])
    _refused(_post(stationed, url, {**body, "starts_at": None}), 400, "starts_at")
    _refused(_post(stationed, url, {**body, "organiser": p.orgs["unit_a"].pk}), 400, "organiser")
    r = _post(stationed, url, body)
    assert r.status_code == 201, r.content
    assert Activity.objects.filter(pk=r.json()["activity"]).exists()
    accepted = walk(p, S.ACCEPTED)
    r = _post(stationed, reverse("suggestions_api:suggestion-follow-up", args=[accepted.pk]), body)
    _refused(r, 409)


def test_the_follow_up_page_leads_to_the_new_activity(personas, client_of):
    p = personas
    s = walk(p, S.HANDLING)
    r = client_of(p.users["stationed"]).post(
        reverse("suggestions:follow_up_visit", args=[s.pk]),
        {"organiser": p.orgs["stationed_group"].pk, "starts_at": "2026-06-20T09:30"},
    )
    assert r.status_code == 302
    assert r["Location"] == Activity.objects.get().get_absolute_url()


# --- replacing a co-unit ------------------------------------------------------------------------


def test_replacing_a_co_unit_through_the_api_reads_the_forms_fields(personas, client_of):
    p = personas
    _s, sent = sent_back_co_unit(p)
    url = reverse("suggestions_api:assignment-replace", args=[sent.pk])
    _refused(_post(client_of(p.court_clerk), url, {"version": sent.version, "drop": True}), OUTSIDE)
    clerk = client_of(p.congress_clerk)
    both = {"version": sent.version, "unit": p.orgs["court"].pk, "drop": True}
    _refused(_post(clerk, url, both), 400, "drop")
    _refused(_post(clerk, url, {"version": sent.version, "unit": 10**9}), 400, "unit")
    assert Assignment.objects.get(pk=sent.pk).settled_at is None


# --- publish ------------------------------------------------------------------------------------


def test_publish_through_the_api_refuses_a_suggestion_not_answered(personas, client_of):
    p = personas
    s = make_suggestion(p, S.HANDLING)
    url = reverse("suggestions_api:suggestion-publish", args=[s.pk])
    body = {"version": v(s), "title": "关于增设公交站点的建议", "reply_1": "已增设。"}
    _refused(_post(client_of(p.court_clerk), url, body), OUTSIDE)
    _refused(_post(client_of(p.congress_clerk), url, body), 409)
    assert not Suggestion.objects.get(pk=s.pk).public


def test_publish_through_the_api_checks_a_previewed_digest(personas, client_of):
    p = personas
    s = make_suggestion(p, S.CLOSED)
    url = reverse("suggestions_api:suggestion-publish", args=[s.pk])
    body = {"version": v(s), "title": "关于增设公交站点的建议", "reply_1": "已增设。"}
    _refused(_post(client_of(p.congress_clerk), url, {**body, "previewed": "0" * 64}), 409)
    assert not Suggestion.objects.get(pk=s.pk).public
    r = _post(client_of(p.congress_clerk), url, body)
    assert r.status_code == 200, r.content
    assert r.json()["public"] is True and r.json()["public_title"] == body["title"]


# --- registering a campaign opinion -------------------------------------------------------------


def test_an_opinion_is_registered_through_the_api_and_answered(personas, client_of):
    p = personas
    pk = campaign_kwargs(p)["pk"]
    url = reverse("suggestions_api:campaign-opinions", args=[pk])
    body = {"content": "村里饮水管网老化。", "collected_on": date(2026, 3, 5), "place": "村委会"}
    _refused(_post(client_of(p.unit_a), url, body), 403)
    deputy = client_of(p.deputy)
    _refused(_post(deputy, url, {**body, "collected_on": "三月"}), 400, "collected_on")
    _refused(_post(deputy, url, {**body, "collected_on": date(2026, 2, 1)}), 400, "collected_on")
    # Congress staff name the deputy who collected it.
    _refused(_post(client_of(p.congress_clerk), url, body), 400, "collected_by")
    r = _post(deputy, url, body)
    assert r.status_code == 201, r.content
    opinion = CampaignOpinion.objects.get()
    assert r.json()["id"] == opinion.pk and r.json()["number"] == 1
    assert r.json()["campaign"] == pk and opinion.place == "村委会"
    Campaign.objects.filter(pk=pk).update(state=CampaignState.CLOSED)
    _refused(_post(deputy, url, body), 409)


@pytest.mark.parametrize("who", ["court_clerk", "cdi_officer"])
def test_an_opinion_cannot_be_registered_by_who_may_not(personas, client_of, who):
    p = personas
    url = reverse("suggestions_api:campaign-opinions", args=[make_campaign(p).pk])
    r = _post(client_of(p.users[who]), url, {"content": "x", "collected_on": "2026-03-05"})
    assert r.status_code in (403, 404)
    assert not CampaignOpinion.objects.exists()
