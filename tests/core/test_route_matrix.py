"""The access matrix over every route: each persona × each URL route and API endpoint.

Every route must (1) declare its policy on the view (`@policy(...)`, `@public`, or
`wulian_policy` on an API view) and (2) have a row below saying which personas may use it.
A new route without both fails here — add its row when you add the route.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from django.urls import path, reverse

from tests.activities.helpers import (
    activity_kwargs,
    attachment_kwargs,
    upload_kwargs,
)
from tests.activities.meeting_routes import ROUTES as MEETING_ROUTES
from tests.bulletins.routes import ROUTES as BULLETINS_ROUTES
from tests.clues.helpers import (
    disposed_kwargs,
    draft_kwargs,
    held_kwargs,
    proposed_kwargs,
    received_kwargs,
    transferred_kwargs,
)
from tests.consultation.routes import ROUTES as CONSULTATION_ROUTES
from tests.deadlines.helpers import calendar_day_kwargs, deadline_kwargs, extension_kwargs
from tests.evaluation.routes import ROUTES as EVALUATION_ROUTES
from tests.factories import PersonFactory, UserFactory
from tests.inquiries.routes import ROUTES as INQUIRIES_ROUTES
from tests.judicial.routes import ROUTES as JUDICIAL_ROUTES
from tests.livelihood.routes import ROUTES as LIVELIHOOD_ROUTES
from tests.notifications.helpers import make_dead_message, make_target
from tests.opinions.routes import ROUTES as OPINIONS_ROUTES
from tests.personas import PERSONA_NAMES, Personas, client_for
from tests.polls.routes import ROUTES as POLLS_ROUTES
from tests.portal.routes import ROUTES as PORTAL_ROUTES
from tests.rectification.helpers import (
    finding_kwargs,
    in_progress_rect_kwargs,
    raise_kwargs,
    rect_kwargs,
    submitted_rect_kwargs,
)
from tests.reports.routes import ROUTES as REPORTS_ROUTES
from tests.route_cases import (
    ACTIVITY_CREATORS,
    ACTIVITY_MANAGERS,
    ACTIVITY_VIEWERS,
    ALL,
    ATTACHERS,
    LEDGER,
    PUBLIC,
    SUPERVISORS,
    SYSADMIN,
    WITH_SEATS,
    Case,
    _org,
    _person_of,
)
from tests.stations.routes import ROUTES as STATIONS_ROUTES
from tests.suggestions.routes import ROUTES as SUGGESTIONS_ROUTES
from wulian.accounts.services import api_token_create
from wulian.core import routes
from wulian.core.choices import Role
from wulian.core.models import RoleGrant
from wulian.core.viewpolicy import policy


def _pending_grant(p: Personas) -> dict[str, int]:
    """A clue-officer seat in the CDI the security administrator proposed for a newcomer."""
    grant = RoleGrant.objects.create(
        person=PersonFactory(name="待确认"),
        organisation=p.orgs["cdi"],
        role=Role.CLUE_OFFICER,
        requested_by=p.secadmin,
    )
    return {"pk": grant.pk}


def _token_of(persona: str):
    def kwargs(p: Personas) -> dict[str, int]:
        token, _key = api_token_create(user=p.users[persona], name="对接")
        return {"pk": token.pk}

    return kwargs


def _done_task(p: Personas) -> dict[str, int]:
    """A background export the congress clerk asked for, done (its page and its file)."""
    from wulian.core.models import BackgroundTask, TaskState

    task = BackgroundTask.objects.create(
        kind="suggestions.ledger",
        title="导出代表建议台账",
        filename="台账.xlsx",
        requested_by=p.users["congress_clerk"],
        state=TaskState.DONE,
        result=b"PK",
        total=400,
        done=400,
    )
    return {"pk": task.pk}


def _other_account(p: Personas) -> dict[str, int]:
    return {"pk": UserFactory(username="other").pk}


MATRIX: dict[str, Case | str] = {
    "healthz": PUBLIC,
    "set_language": PUBLIC,
    "accounts:login": PUBLIC,
    "accounts:logout": PUBLIC,
    "api:schema": PUBLIC,
    # Any other path under /api/v1/: a 404 problem for everyone.
    "api:not_found": PUBLIC,
    "core:home": Case(ALL),
    "core:organisation_list": Case(WITH_SEATS),
    "core:organisation_lookup": Case(WITH_SEATS),
    "core:organisation_detail": Case(WITH_SEATS, kwargs=_org("unit_a")),
    "core:person_list": Case(ALL),
    "core:deputy_lookup": Case(ALL),
    # A person of unit A: supervisors, the two administrators who manage people and
    # accounts, and unit A itself — not unit B, the court, deputies or experts.
    "core:person_detail": Case(
        SUPERVISORS | {"sysadmin", "secadmin", "unit_a"}, kwargs=_person_of("unit_a")
    ),
    "core:audit_list": Case(frozenset({"auditadmin"})),
    # A background export: the person who asked for it only (issue 13).
    "core:task_detail": Case(frozenset({"congress_clerk"}), kwargs=_done_task),
    "core:task_download": Case(frozenset({"congress_clerk"}), kwargs=_done_task),
    # Reference data: the system administrator manages organisations and people; the
    # security administrator may add (administrator-role) memberships on the person page.
    "core:organisation_create": Case(SYSADMIN),
    "core:organisation_edit": Case(SYSADMIN, kwargs=_org("unit_a")),
    "core:person_create": Case(SYSADMIN),
    "core:person_edit": Case(SYSADMIN, kwargs=_person_of("unit_a")),
    "core:person_deputy_edit": Case(SYSADMIN, kwargs=_person_of("unit_a")),
    "core:person_expert_edit": Case(SYSADMIN, kwargs=_person_of("unit_a")),
    "core:person_monitor_edit": Case(SYSADMIN, kwargs=_person_of("unit_a")),
    "core:membership_add": Case(
        SYSADMIN | {"secadmin"}, kwargs=_person_of("unit_a"), method="post"
    ),
    "core:membership_end": Case(
        SYSADMIN,
        kwargs=lambda p: {"pk": p.users["unit_a"].person.memberships.get().pk},
        method="post",
    ),
    # Grants of CDI-side roles (docs/adr/0014): the security administrator proposed one; the
    # CDI's leaders and clue officers confirm or refuse, the security administrator may
    # withdraw (refuse) it.
    "core:grant_list": Case(frozenset({"secadmin", "cdi_clue"})),
    "core:grant_confirm": Case(frozenset({"cdi_clue"}), kwargs=_pending_grant, method="post"),
    "core:grant_refuse": Case(
        frozenset({"secadmin", "cdi_clue"}), kwargs=_pending_grant, method="post"
    ),
    "core:reference_import": Case(SYSADMIN),
    "core:reference_import_template": Case(SYSADMIN),
    "accounts:otp_verify": Case(ALL),
    "accounts:otp_setup": Case(ALL),
    "accounts:password_change": Case(ALL),
    "accounts:token_list": Case(ALL),
    # A token is revoked by its owner alone; to anyone else it is a 404 (not revealed).
    "accounts:token_revoke": Case(
        frozenset({"unit_a"}), kwargs=_token_of("unit_a"), method="post", denied_status=(404,)
    ),
    "accounts:account_list": Case(frozenset({"secadmin"})),
    "accounts:account_token_allowance": Case(
        frozenset({"secadmin"}),
        kwargs=lambda p: {"pk": p.users["cdi_clue"].pk},
        method="post",
    ),
    # The account steps (wulian.accounts.steps): the security administrator's alone (on an
    # account no persona signs in with: deactivating one would end its later requests).
    **{
        f"accounts:account_{step}": Case(
            frozenset({"secadmin"}), kwargs=_other_account, method="post"
        )
        for step in ("unlock", "reset_second_factor", "end_sessions", "deactivate", "reactivate")
    },
    # Notifications: one's own inbox and preferences; deliveries and robots: the sysadmin.
    "notifications:inbox": Case(ALL),
    "notifications:read": Case(ALL, kwargs=lambda p: {"pk": 999999}, method="post"),
    "notifications:read_all": Case(ALL, method="post"),
    "notifications:preferences": Case(ALL),
    "notifications:outbox": Case(SYSADMIN),
    "notifications:outbox_action": Case(
        SYSADMIN,
        kwargs=lambda p: {"pk": make_dead_message().pk, "action": "retry"},
        method="post",
    ),
    "notifications:webhook_list": Case(SYSADMIN),
    "notifications:webhook_create": Case(SYSADMIN),
    "notifications:webhook_edit": Case(SYSADMIN, kwargs=lambda p: {"pk": make_target().pk}),
    "notifications:webhook_test": Case(
        SYSADMIN, kwargs=lambda p: {"pk": make_target().pk}, method="post"
    ),
    # Deadlines sit on a record: seeing one follows the record (here unit A's organisation,
    # visible to all); pausing follows the record's manage action (here the sysadmin's);
    # the handler (unit A) asks for more time and the assigner (the working body) decides.
    "deadlines:detail": Case(WITH_SEATS, kwargs=deadline_kwargs),
    "deadlines:pause": Case(SYSADMIN, kwargs=deadline_kwargs, method="post"),
    "deadlines:resume": Case(SYSADMIN, kwargs=deadline_kwargs, method="post"),
    "deadlines:extension_request": Case(
        frozenset({"unit_a"}), kwargs=deadline_kwargs, method="post"
    ),
    "deadlines:extension_decide": Case(
        frozenset({"congress_clerk"}), kwargs=extension_kwargs, method="post"
    ),
    "deadlines:calendar": Case(SYSADMIN),
    "deadlines:calendar_day_add": Case(SYSADMIN, method="post"),
    "deadlines:calendar_day_remove": Case(SYSADMIN, kwargs=calendar_day_kwargs, method="post"),
    "deadlines:calendar_year_complete": Case(
        SYSADMIN, kwargs=lambda p: {"year": 2099}, method="post"
    ),
    "deadlines:calendar_year_import": Case(
        SYSADMIN, kwargs=lambda p: {"year": 2099}, method="post"
    ),
    "activities:activity_list": Case(LEDGER),
    "activities:activity_create": Case(ACTIVITY_CREATORS),
    "activities:activity_detail": Case(ACTIVITY_VIEWERS, kwargs=activity_kwargs),
    "activities:activity_edit": Case(ACTIVITY_MANAGERS, kwargs=activity_kwargs),
    "activities:activity_hold": Case(ACTIVITY_MANAGERS, kwargs=activity_kwargs, method="post"),
    "activities:activity_cancel": Case(ACTIVITY_MANAGERS, kwargs=activity_kwargs, method="post"),
    "activities:participant_add": Case(ACTIVITY_MANAGERS, kwargs=activity_kwargs, method="post"),
    "activities:participant_remove": Case(ACTIVITY_MANAGERS, kwargs=activity_kwargs, method="post"),
    "activities:record_link": Case(ACTIVITY_MANAGERS, kwargs=activity_kwargs, method="post"),
    "activities:record_unlink": Case(ACTIVITY_MANAGERS, kwargs=activity_kwargs, method="post"),
    "attachments:upload": Case(ATTACHERS, kwargs=upload_kwargs, method="post"),
    "attachments:download": Case(ACTIVITY_VIEWERS, kwargs=attachment_kwargs),
    # The uploader (the clerk, of the organising unit); unit A may attach but not remove it.
    "attachments:remove": Case(ACTIVITY_MANAGERS, kwargs=attachment_kwargs, method="post"),
    "api:me": Case(ALL, api=True),
    "api:reference-import": Case(SYSADMIN, api=True, method="post"),
    "api:reference-import-template": Case(SYSADMIN, api=True),
    "api:organisation-list": Case(WITH_SEATS, api=True),
    "api:organisation-detail": Case(
        WITH_SEATS, kwargs=_org("unit_a"), api=True, denied_status=(403, 404)
    ),
    "api:person-list": Case(ALL, api=True),
    "api:person-detail": Case(
        SUPERVISORS | {"sysadmin", "secadmin", "unit_a"},
        kwargs=_person_of("unit_a"),
        api=True,
        denied_status=(404,),
    ),
    "activities_api:activity-list": Case(LEDGER, api=True),
    "activities_api:activity-detail": Case(
        ACTIVITY_VIEWERS, kwargs=activity_kwargs, api=True, denied_status=(403, 404)
    ),
    # Memberships: ordinary roles by the system administrator, administrator and CDI-side roles
    # by the security administrator (one rule, core.membership.grant; he is refused a staff
    # role's end in a unit).
    "api:membership-list": Case(frozenset({"sysadmin", "secadmin"}), method="post", api=True),
    "api:role-grant-list": Case(frozenset({"secadmin", "cdi_clue"}), api=True),
    # Ending a membership, confirming and refusing a grant: declared steps (their rows below).
    # Findings and rectification: the congress working body raised a finding about unit A (on
    # unit A's organisation record). Everyone with a desk seat uses the ledger (scoped); the
    # supervisors and unit A see the rectification; unit A commits, reports and submits; the
    # working body verifies (close, reopen) and corrects the finding; supervising staff and
    # leaders raise findings on a record they see.
    "rectification:ledger": Case(SUPERVISORS | {"unit_a", "unit_b", "court_clerk"}),
    "rectification:ledger_export": Case(SUPERVISORS | {"unit_a", "unit_b", "court_clerk"}),
    "rectification:rectification_detail": Case(SUPERVISORS | {"unit_a"}, kwargs=rect_kwargs),
    "rectification:rectification_commit": Case(
        frozenset({"unit_a"}), kwargs=rect_kwargs, method="post"
    ),
    "rectification:rectification_report": Case(
        frozenset({"unit_a"}), kwargs=in_progress_rect_kwargs, method="post"
    ),
    "rectification:rectification_submit": Case(
        frozenset({"unit_a"}), kwargs=in_progress_rect_kwargs, method="post"
    ),
    "rectification:rectification_close": Case(
        frozenset({"congress_clerk"}), kwargs=submitted_rect_kwargs, method="post"
    ),
    "rectification:rectification_reopen": Case(
        frozenset({"congress_clerk"}), kwargs=submitted_rect_kwargs, method="post"
    ),
    "rectification:finding_detail": Case(SUPERVISORS | {"unit_a"}, kwargs=finding_kwargs),
    "rectification:finding_edit": Case(frozenset({"congress_clerk"}), kwargs=finding_kwargs),
    "rectification:finding_raise": Case(
        frozenset({"congress_clerk", "cdi_officer", "stationed", "gov_supervisor"}),
        kwargs=raise_kwargs,
    ),
    # Clues (docs/adr/0007): a clue of the congress working body to the CDI. Only the drafting
    # office (the clerk) and the CDI clue officer follow clues at all; for everyone else a clue
    # page is a 404, as if it did not exist. Drafts: the office only; after transfer the clerk
    # gets the status view and the clue officer the content and the CDI's steps.
    "clues:clue_list": Case(frozenset({"congress_clerk", "cdi_clue"})),
    "clues:clue_export": Case(frozenset({"congress_clerk", "cdi_clue"})),
    "clues:clue_create": Case(frozenset({"congress_clerk"})),
    "clues:clue_detail": Case(
        frozenset({"congress_clerk", "cdi_clue"}), kwargs=transferred_kwargs, denied_status=(404,)
    ),
    "clues:clue_edit": Case(
        frozenset({"congress_clerk"}), kwargs=draft_kwargs, denied_status=(404,)
    ),
    "clues:clue_transfer": Case(
        frozenset({"congress_clerk"}), kwargs=draft_kwargs, method="post", denied_status=(404,)
    ),
    # The sending office may follow the clue (403 for the CDI's steps); everyone else 404.
    "clues:clue_receive": Case(
        frozenset({"cdi_clue"}), kwargs=transferred_kwargs, method="post", denied_status=(403, 404)
    ),
    # The triage (docs/adr/0019): a clue officer proposes, another (the leader) approves or
    # returns; a held clue is taken up again; 谈话函询 / 初步核实 lead to an outcome. The
    # proposer's own approval is refused by the service (tests/clues/test_triage.py).
    "clues:clue_propose": Case(
        frozenset({"cdi_clue"}), kwargs=received_kwargs, method="post", denied_status=(403, 404)
    ),
    "clues:clue_approve": Case(
        frozenset({"cdi_clue"}), kwargs=proposed_kwargs, method="post", denied_status=(403, 404)
    ),
    "clues:clue_return": Case(
        frozenset({"cdi_clue"}), kwargs=proposed_kwargs, method="post", denied_status=(403, 404)
    ),
    "clues:clue_reactivate": Case(
        frozenset({"cdi_clue"}), kwargs=held_kwargs, method="post", denied_status=(403, 404)
    ),
    "clues:clue_conclude": Case(
        frozenset({"cdi_clue"}), kwargs=disposed_kwargs, method="post", denied_status=(403, 404)
    ),
    "clues:clue_feedback": Case(
        frozenset({"cdi_clue"}), kwargs=disposed_kwargs, method="post", denied_status=(403, 404)
    ),
}
# Each link app's rows live beside its tests.
MATRIX.update(SUGGESTIONS_ROUTES)
MATRIX.update(JUDICIAL_ROUTES)
MATRIX.update(LIVELIHOOD_ROUTES)
MATRIX.update(BULLETINS_ROUTES)
MATRIX.update(OPINIONS_ROUTES)
MATRIX.update(CONSULTATION_ROUTES)
MATRIX.update(POLLS_ROUTES)
MATRIX.update(REPORTS_ROUTES)
MATRIX.update(MEETING_ROUTES)
MATRIX.update(STATIONS_ROUTES)
MATRIX.update(INQUIRIES_ROUTES)
MATRIX.update(EVALUATION_ROUTES)
MATRIX.update(PORTAL_ROUTES)
# A declared step's record, read through the API: whoever sees it on its page (outside the
# scope: 404, so that its existence is not revealed).
MATRIX.update(
    {
        # Creating and changing an activity: the new-activity and edit pages' personas.
        "activities_api:activity-edit": Case(
            ACTIVITY_MANAGERS,
            kwargs=activity_kwargs,
            method="post",
            api=True,
            denied_status=(403, 404),
        ),
        # Raising and correcting a finding: the finding pages' personas.
        "rectification_api:finding-raise": Case(
            frozenset({"congress_clerk", "cdi_officer", "stationed", "gov_supervisor"}),
            kwargs=raise_kwargs,
            method="post",
            api=True,
            denied_status=(403, 404),
        ),
        "rectification_api:finding-edit": Case(
            frozenset({"congress_clerk"}),
            kwargs=finding_kwargs,
            method="post",
            api=True,
            denied_status=(403, 404),
        ),
        # Drafting and correcting a clue: the drafting office only; a draft is a 404 for
        # everyone else who gets past the policy (ADR 0007).
        "clues_api:clues-create": Case(frozenset({"congress_clerk"}), method="post", api=True),
        "clues_api:clues-edit": Case(
            frozenset({"congress_clerk"}),
            kwargs=draft_kwargs,
            method="post",
            api=True,
            denied_status=(403, 404),
        ),
        "deadlines_api:deadlines-detail": Case(
            WITH_SEATS, kwargs=deadline_kwargs, api=True, denied_status=(403, 404)
        ),
        "deadlines_api:deadline-extensions-detail": Case(
            WITH_SEATS, kwargs=extension_kwargs, api=True, denied_status=(403, 404)
        ),
        # The holiday calendar's changes: the system administrator, as on the calendar page.
        "deadlines_api:calendar-day-add": Case(SYSADMIN, method="post", api=True),
        "deadlines_api:calendar-day-remove": Case(
            SYSADMIN, kwargs=calendar_day_kwargs, method="post", api=True
        ),
        "deadlines_api:calendar-year-complete": Case(
            SYSADMIN, kwargs=lambda p: {"year": 2099}, method="post", api=True
        ),
        "deadlines_api:calendar-year-import": Case(
            SYSADMIN, kwargs=lambda p: {"year": 2099}, method="post", api=True
        ),
        # Each person's own inbox and preferences (another person's notification: 404).
        "notifications_api:notification-list": Case(ALL, api=True),
        "notifications_api:notification-read": Case(
            ALL, kwargs=lambda p: {"pk": 999999}, method="post", api=True
        ),
        "notifications_api:notification-read-all": Case(ALL, method="post", api=True),
        "notifications_api:preferences": Case(ALL, api=True),
        # Delivery problems and group robots: the system administrator, as on their pages.
        "notifications_api:outbox-retry": Case(
            SYSADMIN, kwargs=lambda p: {"pk": make_dead_message().pk}, method="post", api=True
        ),
        "notifications_api:outbox-drop": Case(
            SYSADMIN, kwargs=lambda p: {"pk": make_dead_message().pk}, method="post", api=True
        ),
        "notifications_api:webhook-create": Case(SYSADMIN, method="post", api=True),
        "notifications_api:webhook-edit": Case(
            SYSADMIN, kwargs=lambda p: {"pk": make_target().pk}, method="post", api=True
        ),
        "notifications_api:webhook-test": Case(
            SYSADMIN, kwargs=lambda p: {"pk": make_target().pk}, method="post", api=True
        ),
        # A clue through the API: the drafting office (status only) and the clue officer
        # (content, audited); anyone else cannot tell it from a clue that does not exist.
        "clues_api:clues-detail": Case(
            frozenset({"congress_clerk", "cdi_clue"}),
            kwargs=transferred_kwargs,
            api=True,
            denied_status=(403, 404),
        ),
        # An attachment follows its record (here an activity's): read and download by its
        # viewers, upload by those who may attach (outside the record's view: 404).
        "attachments_api:attachments-detail": Case(
            ACTIVITY_VIEWERS, kwargs=attachment_kwargs, api=True, denied_status=(403, 404)
        ),
        "attachments_api:attachment-file": Case(
            ACTIVITY_VIEWERS, kwargs=attachment_kwargs, api=True, denied_status=(403, 404)
        ),
        # Multipart with the record in the body: every persona is tried there.
        "attachments_api:attachment-upload": "tests/attachments/test_api.py",
        # The audit trail: the audit administrator only (三员分立).
        "api:audit-event-list": Case(frozenset({"auditadmin"}), api=True),
        "api:audit-event-export": Case(frozenset({"auditadmin"}), api=True),
        "rectification_api:rectifications-detail": Case(
            SUPERVISORS | {"unit_a"}, kwargs=rect_kwargs, api=True, denied_status=(403, 404)
        ),
    }
)


def _step_doors() -> dict[str, dict[str, str]]:
    """{step label: {"page": route name, "api": route name}} of every declared step."""
    doors: dict[str, dict[str, str]] = {}
    for route in routes.walk():
        cls = getattr(route.callback, "cls", None)
        step = getattr(cls or route.callback, "wulian_step", None)
        if step is not None:
            doors.setdefault(step.label, {})["api" if cls else "page"] = route.name
    return doors


# Each declared step's API door gets its page door's row: the same personas are allowed, and
# the others are refused alike (403; 404 where the record is outside their scope). The API
# door is a POST, also where the page row reads a step's own page (publish: GET).
for _doors in _step_doors().values():
    _page = MATRIX.get(_doors.get("page", ""))
    if isinstance(_page, Case) and "api" in _doors:
        MATRIX[_doors["api"]] = replace(_page, api=True, method="post", denied_status=(403, 404))


# The records of the core's declared steps, read through the API by whoever sees them on their
# pages (outside that: 404); a person's profiles are set by POST (their pages' rows are GETs).
MATRIX.update(
    {
        "api:membership-detail": Case(
            SUPERVISORS | {"sysadmin", "secadmin", "unit_a"},
            kwargs=lambda p: {"pk": p.users["unit_a"].person.memberships.get().pk},
            api=True,
            denied_status=(403, 404),
        ),
        "api:role-grant-detail": Case(
            frozenset({"secadmin", "cdi_clue"}), kwargs=_pending_grant, api=True
        ),
        "api:account-detail": Case(frozenset({"secadmin"}), kwargs=_other_account, api=True),
        "api:token-detail": Case(
            frozenset({"unit_a"}), kwargs=_token_of("unit_a"), api=True, denied_status=(404,)
        ),
        # Confirming and refusing a grant: the others are refused by the rule (403), as before
        # the steps were declared.
        "api:role-grant-confirm": Case(
            frozenset({"cdi_clue"}), kwargs=_pending_grant, method="post", api=True
        ),
        "api:role-grant-refuse": Case(
            frozenset({"secadmin", "cdi_clue"}), kwargs=_pending_grant, method="post", api=True
        ),
        **{
            f"api:person-{profile}": Case(
                SYSADMIN,
                kwargs=_person_of("unit_a"),
                method="post",
                api=True,
                denied_status=(403, 404),
            )
            for profile in ("deputy", "expert", "integrity-monitor")
        },
    }
)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Attachments written by the rows above land in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def test_every_route_declares_a_policy():
    missing = [f"{r.name} ({r.pattern})" for r in routes.undeclared()]
    assert not missing, f"views without an access policy: {missing}"


def test_every_route_has_a_row_in_the_matrix():
    names = {r.name for r in routes.walk()}
    assert not sorted(names - set(MATRIX)), "add these routes to MATRIX"
    assert not sorted(set(MATRIX) - names), "MATRIX names routes that no longer exist"


def test_the_policy_check_catches_a_route_without_a_policy():
    """A test of the test: a view with no declared policy is reported."""

    def naked(request):  # pragma: no cover - never called
        raise AssertionError

    @policy("core.home.view")
    def declared(request):  # pragma: no cover - never called
        raise AssertionError

    patterns = [path("naked/", naked, name="naked"), path("ok/", declared, name="ok")]
    assert [r.name for r in routes.undeclared(patterns)] == ["naked"]


ROUTE_CASES = sorted(name for name, case in MATRIX.items() if isinstance(case, Case))


def _call(client, case: Case, url: str, personas: Personas):
    kwargs = {"HTTP_ACCEPT": "application/json"} if case.api else {}
    if case.api and case.method != "get":
        return getattr(client, case.method)(
            url, json.dumps(case.data(personas)), content_type="application/json", **kwargs
        )
    return getattr(client, case.method)(url, case.data(personas), **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("route_name", ROUTE_CASES)
def test_route_matrix(route_name: str):
    case = MATRIX[route_name]
    assert isinstance(case, Case)
    personas = Personas.build()
    url = reverse(route_name, kwargs=case.kwargs(personas) or None)

    anonymous = _call(client_for(None), case, url, personas)
    if case.api:
        assert anonymous.status_code in (401, 403), route_name
    else:
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]

    failures = []
    for name in PERSONA_NAMES:
        if name in case.skip_personas:
            continue
        response = _call(client_for(personas.users[name]), case, url, personas)
        allowed = name in case.allowed
        ok = (
            response.status_code not in (401, 403, 404) and response.status_code < 500
            if allowed
            else response.status_code in case.denied_status
        )
        if not ok:
            failures.append(f"{name}: {response.status_code} (allowed={allowed})")
    assert not failures, f"{route_name} {url}: {failures}"


@pytest.mark.django_db
def test_public_routes_open_without_sign_in(client):
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("accounts:login")).status_code == 200
    assert client.get(reverse("api:schema")).status_code == 200
