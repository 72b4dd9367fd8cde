"""Every step a person can take on a page can be taken through /api/v1/ by the same person with
the same rights (issue 12).

Declared steps (`wulian.core.steps`) get their API door from the declaration and are checked by
tests/core/test_steps.py and the route matrix; this test covers every other page route that
accepts a POST. Each must be in exactly one of:

- `API_TWINS`: its API door(s) — route name and HTTP method; the test checks that both routes
  resolve, that the API route accepts that method, and that both declare the same policy (the
  page's `@policy` action is the API view's `wulian_policy`, or its viewset's `action_policies`
  entry for that method's action);
- `PAGE_ONLY`: deliberately without an API door, with the reason;
- `TODO`: a gap being closed (skipped, with the reason shown in the test report).

How the POST-accepting page routes are found: Django's `require_http_methods` (and
`require_POST`, `require_GET`, `require_safe`, built on it) keeps the allowed methods in its
wrapper's closure (`request_method_list`); the test follows each route's callback through the
`__wrapped__` chain that `functools.wraps` leaves (`@policy` is one such wrapper) and reads that
list — without calling the view, so no policy, database or template is involved. A class-based
view is read from its handlers. A page view with no method restriction at all may take a POST
(a form page tests `request.method` itself), so it counts as POST-accepting unless listed in
`READ_ONLY` — fail closed: a new undecorated view, or a new `@require_POST` one, fails
`test_every_post_page_has_an_api_twin_or_a_reason` until it is given a twin or a reason (or,
for a page that only reads, `@require_GET`/`@require_safe`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest

from wulian.core import routes

# page route → its API doors: (API route name, HTTP method).
API_TWINS: dict[str, tuple[tuple[str, str], ...]] = {
    "activities:activity_create": (("activities_api:activity-list", "post"),),
    "activities:activity_edit": (("activities_api:activity-edit", "post"),),
    "attachments:upload": (("attachments_api:attachment-upload", "post"),),
    "livelihood:cycle_create": (("livelihood_api:livelihood-cycle-list", "post"),),
    "core:membership_add": (("api:membership-list", "post"),),
    "core:organisation_create": (("api:organisation-list", "post"),),
    "core:organisation_edit": (("api:organisation-detail", "patch"),),
    "core:person_create": (("api:person-list", "post"),),
    "core:person_edit": (("api:person-detail", "patch"),),
    "deadlines:calendar_day_add": (("deadlines_api:calendar-day-add", "post"),),
    "deadlines:calendar_day_remove": (("deadlines_api:calendar-day-remove", "post"),),
    "deadlines:calendar_year_complete": (("deadlines_api:calendar-year-complete", "post"),),
    "deadlines:calendar_year_import": (("deadlines_api:calendar-year-import", "post"),),
    "notifications:read": (("notifications_api:notification-read", "post"),),
    "notifications:read_all": (("notifications_api:notification-read-all", "post"),),
    "notifications:preferences": (("notifications_api:preferences", "put"),),
    # The page's one route takes the action in its path (retry, drop); the API has one each.
    "notifications:outbox_action": (
        ("notifications_api:outbox-retry", "post"),
        ("notifications_api:outbox-drop", "post"),
    ),
    "notifications:webhook_create": (("notifications_api:webhook-create", "post"),),
    "notifications:webhook_edit": (("notifications_api:webhook-edit", "post"),),
    "notifications:webhook_test": (("notifications_api:webhook-test", "post"),),
    "bulletins:bulletin_create": (("bulletins_api:bulletin-create", "post"),),
    "bulletins:bulletin_edit": (("bulletins_api:bulletin-edit", "post"),),
    "bulletins:series_create": (("bulletins_api:series-create", "post"),),
    "opinions:round_create": (("opinions_api:round-create", "post"),),
    "polls:poll_create": (("polls_api:poll-create", "post"),),
    "polls:slip_vote": (("polls_api:poll-vote", "post"),),
    "polls:poll_receipts": (("polls_api:poll-receipts", "post"),),
    "clues:clue_create": (("clues_api:clues-create", "post"),),
    "clues:clue_edit": (("clues_api:clues-edit", "post"),),
    "rectification:finding_raise": (("rectification_api:finding-raise", "post"),),
    "rectification:finding_edit": (("rectification_api:finding-edit", "post"),),
    "judicial:batch_create": (("judicial_api:batch-list", "post"),),
    "evaluation:create": (("evaluation_api:evaluation-list", "post"),),
    "judicial:case_create": (("judicial_api:case-list", "post"),),
    "judicial:expert_create": (("judicial_api:expert-list", "post"),),
    "judicial:petition_create": (("judicial_api:petition-list", "post"),),
    "inquiries:inquiry_create": (("inquiries_api:inquiry-list", "post"),),
    "suggestions:batch_create": (("suggestions_api:batch-list", "post"),),
    "suggestions:suggestion_submit": (("suggestions_api:suggestion-list", "post"),),
    "core:reference_import": (("api:reference-import", "post"),),
    "judicial:case_import": (("judicial_api:case-import", "post"),),
    "judicial:expert_import": (("judicial_api:expert-import", "post"),),
    "judicial:pool_versions": (("judicial_api:poolversion-list", "post"),),
    "suggestions:suggestion_import": (("suggestions_api:suggestion-import", "post"),),
    "suggestions:campaign_list": (("suggestions_api:campaign-list", "post"),),
    "suggestions:session_list": (("suggestions_api:session-list", "post"),),
    "suggestions:consultation_create": (("suggestions_api:consultation-create", "post"),),
    "consultation:matter_create": (("consultation_api:matter-list", "post"),),
    "consultation:analysis_create": (("consultation_api:analysis-list", "post"),),
    "consultation:analysis_import": (("consultation_api:analysis-import", "post"),),
    "evaluation:conduct_import": (("evaluation_api:conduct-import", "post"),),
}

# List pages whose form's POST asks a stronger action than the page's route (which is its
# GET's): the API twin is checked against that action, and the view must ask it.
POST_ASKS: dict[str, str] = {
    "judicial:pool_versions": "judicial.expert.manage",
    "suggestions:campaign_list": "suggestions.campaign.manage",
}

# Deliberately page-only: a browser session's own business, or what an API token must not do.
PAGE_ONLY: dict[str, str] = {
    "polls:poll_vote": "a roster member's vote is polls_api:poll-vote without a slip (one public "
    "door for both ways of voting; the service checks the roster)",
    "polls:receipt_check": "the public receipt check; through the API a receipt is found by "
    "POST to polls_api:poll-receipts",
    "accounts:login": "signs a browser in (a session cookie); the API authenticates by token",
    "accounts:logout": "ends a browser session; an API token is revoked on the token page",
    "accounts:otp_setup": "second factor enrolment needs the person at the browser (QR code)",
    "accounts:otp_verify": "second factor check of a browser sign-in",
    "accounts:password_change": "a password is never changed with a token",
    "accounts:token_list": "tokens are made by a signed-in person, never by another token",
    "set_language": "a browser's language cookie; the API reads Accept-Language",
}

# Page views without a method restriction that only read (GET); decorate them with
# `@require_GET` and they leave this list.
READ_ONLY: dict[str, str] = {
    "accounts:account_list": "list",
    "activities:activity_detail": "the record page",
    "activities:activity_list": "list",
    "core:audit_list": "list",
    "core:organisation_detail": "the record page",
    "core:organisation_list": "list",
    "core:person_detail": "the record page",
    "core:person_list": "list",
    "notifications:inbox": "list",
    "notifications:outbox": "list",
    "notifications:webhook_list": "list",
}

# Known gaps: skipped with the reason, listed in the test report.
TODO: dict[str, str] = {}


def allowed_methods(view: Callable[..., Any]) -> frozenset[str] | None:
    """The HTTP methods `view` accepts, read from its `require_http_methods` wrapper (found
    through the `__wrapped__` chain) or its class's handlers; None: no restriction."""
    cls = getattr(view, "view_class", None)
    if cls is not None:
        return frozenset(
            m.upper() for m in cls.http_method_names if hasattr(cls, m) and m != "options"
        )
    seen: set[int] = set()
    fn: Any = view
    while fn is not None and id(fn) not in seen:
        seen.add(id(fn))
        code = getattr(fn, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = fn.__closure__[code.co_freevars.index("request_method_list")]
            return frozenset(m.upper() for m in cell.cell_contents)
        fn = getattr(fn, "__wrapped__", None)
    return None


def _page_routes() -> dict[str, routes.Route]:
    return {r.name: r for r in routes.walk() if not r.pattern.startswith("api/")}


def _api_routes() -> dict[str, routes.Route]:
    return {r.name: r for r in routes.walk() if r.pattern.startswith("api/")}


def post_pages() -> set[str]:
    """The page routes that may take a POST and are not declared steps."""
    found = set()
    for name, route in _page_routes().items():
        if getattr(route.callback, "wulian_step", None) is not None:
            continue  # a declared step: its API door comes from the declaration
        methods = allowed_methods(route.callback)
        if (methods is None and name not in READ_ONLY) or (methods and "POST" in methods):
            found.add(name)
    return found


def api_policies(route: routes.Route, method: str) -> set[str]:
    """The policies the API route checks for `method` (a viewset: that action's entry)."""
    cb = route.callback
    cls = getattr(cb, "cls", None)
    actions = getattr(cb, "actions", None)
    if actions is not None:
        action = actions.get(method)
        assert action is not None, f"{route.name} takes no {method.upper()}"
        by_action = getattr(cls, "action_policies", {})
        if action in by_action:
            return set(by_action[action])
    else:
        assert cls is not None and hasattr(cls, method), f"{route.name} takes no {method}"
    return {route.policy} if route.policy else set()


def test_every_post_page_has_an_api_twin_or_a_reason():
    lists = {"API_TWINS": API_TWINS, "PAGE_ONLY": PAGE_ONLY, "TODO": TODO}
    listed = [name for entries in lists.values() for name in entries]
    assert len(listed) == len(set(listed)), "a route is listed twice"
    missing = sorted(post_pages() - set(listed))
    assert not missing, (
        f"page routes taking a POST with no API door and no reason: {missing} — add the API "
        "door (API_TWINS), or a reason (PAGE_ONLY), or mark a read-only view @require_GET"
    )


def test_every_listed_route_exists_and_takes_a_post():
    pages = _page_routes()
    taking = post_pages()
    stale = sorted(
        name for entries in (API_TWINS, PAGE_ONLY, TODO) for name in entries if name not in pages
    )
    assert not stale, f"listed routes that no longer exist: {stale}"
    not_post = sorted(n for e in (API_TWINS, PAGE_ONLY, TODO) for n in e if n not in taking)
    assert not not_post, f"listed routes that take no POST (or are steps now): {not_post}"
    unknown_reads = sorted(n for n in READ_ONLY if n not in pages)
    assert not unknown_reads, f"READ_ONLY routes that no longer exist: {unknown_reads}"


@pytest.mark.parametrize("name", sorted(READ_ONLY))
def test_read_only_views_do_not_handle_a_post(name):
    """A READ_ONLY view has no method restriction; its code must not read a POST either (a
    cheap guard against a form added to a list page without updating this test)."""
    view = _page_routes()[name].callback
    assert allowed_methods(view) is None, f"{name} is decorated now: drop it from READ_ONLY"
    source = inspect.getsource(inspect.unwrap(view))
    assert "POST" not in source, f"{name} reads a POST: give it an API door or a reason"


@pytest.mark.parametrize("name", sorted(API_TWINS))
def test_the_api_twin_resolves_and_has_the_pages_policy(name):
    pages, apis = _page_routes(), _api_routes()
    page = pages[name]
    assert page.policy, f"{name} declares no policy"
    expected = page.policy
    if name in POST_ASKS:  # a list page: its route's policy is its GET's
        expected = POST_ASKS[name]
        source = inspect.getsource(inspect.unwrap(page.callback))
        assert f'"{expected}"' in source, f"{name}'s view does not ask {expected}"
    for api_name, method in API_TWINS[name]:
        assert api_name in apis, f"{name}: no API route {api_name}"
        policies = api_policies(apis[api_name], method)
        assert expected in policies, (
            f"{name} ({expected}) ≠ {api_name} {method.upper()} ({sorted(policies)})"
        )


@pytest.mark.parametrize("name", sorted(TODO))
def test_known_gaps(name):
    pytest.skip(f"{name}: {TODO[name]}")


def test_the_enumeration_reads_the_method_decorators():
    pages = _page_routes()
    # @policy + @require_POST; @policy + @require_GET; a form page without a restriction.
    assert allowed_methods(pages["notifications:webhook_test"].callback) == {"POST"}
    assert "POST" not in (allowed_methods(pages["deadlines:calendar"].callback) or {"POST"})
    assert allowed_methods(pages["notifications:webhook_create"].callback) is None
    assert "notifications:webhook_create" in post_pages()
    assert "deadlines:calendar" not in post_pages()
    # A declared step's page takes a POST but is covered by its declaration.
    assert allowed_methods(pages["activities:participant_remove"].callback) == {"POST"}
    assert "activities:participant_remove" not in post_pages()
