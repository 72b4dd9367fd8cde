"""Declared steps (wulian.core.steps): every step has both doors — the record page's POST and
`POST /api/v1/<records>/{id}/<step>/` — guarded by the same action, the API's request schema
comes from the page's form, and a step behaves alike through both doors."""

from __future__ import annotations

import inspect
import json
from datetime import timedelta

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from tests.core.test_route_matrix import _step_doors
from tests.deadlines.helpers import matrix_deadline
from wulian.core import access, routes, steps
from wulian.core.deadlines.models import Deadline
from wulian.core.models import AuditEvent


def test_every_declared_step_has_a_page_and_an_api_door_with_the_same_policy():
    doors = _step_doors()
    policies = {r.name: r.policy for r in routes.walk()}
    assert steps.declared(), "no step is declared"
    for step in steps.declared():
        found = doors.get(step.label, {})
        assert set(found) == {"page", "api"}, f"{step.label}: doors {found}"
        assert policies[found["page"]] == policies[found["api"]] == step.action, step.label


def test_each_declared_service_takes_every_field_of_its_form():
    """A step declared with `service=` hands the form's fields to the service by name: a field
    the service has no parameter for would be lost, a parameter no field fills would fail at
    the first click. Both are found here, not by a user."""
    checked = 0
    for step in steps.declared():
        if step.service is None:
            continue
        params = inspect.signature(step.service).parameters
        binding = steps.binding_of(step.model)
        fields = steps._blank(step).fields
        given = {"actor", binding.record_arg}
        for name in fields:
            if step.confirm and name == steps.CONFIRM:  # the step's own, not the service's
                continue
            taken = [
                p for p in (name, f"{name}_id", f"{name.removesuffix('s')}_ids") if p in params
            ]
            assert taken, f"{step.label}: the field {name!r} is no parameter of the service"
            given.add(taken[0])
        needed = {
            n
            for n, p in params.items()
            if p.default is inspect.Parameter.empty
            and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
        }
        assert needed <= given, f"{step.label}: nothing gives {sorted(needed - given)}"
        checked += 1
    assert checked, "no step is declared with a service"


def test_the_api_request_schema_is_the_pages_form(client):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    op = schema["paths"]["/api/v1/deadlines/{id}/extension-request/"]["post"]
    body = op["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["new_due", "reason"]
    assert body["properties"]["new_due"]["format"] == "date"
    assert body["properties"]["reason"]["maxLength"] == 2000
    assert "申请延期" in op["summary"]


@pytest.mark.django_db
def test_a_step_through_the_api_is_the_same_service_as_the_page(personas, client_of):
    d = matrix_deadline(personas)
    new_due = (timezone.localdate() + timedelta(days=10)).isoformat()
    api = client_of(personas.unit_a).post(
        reverse("deadlines_api:deadlines-extension-request", args=[d.pk]),
        json.dumps({"new_due": new_due, "reason": "等待外单位意见", "version": d.version}),
        content_type="application/json",
    )
    assert api.status_code == 200, api.content
    body = api.json()
    assert body["id"] == d.pk and body["extensions"][0]["reason"] == "等待外单位意见"
    assert AuditEvent.objects.filter(action="deadlines.deadline.extension_requested").count() == 1

    # The same refusal through both doors: a second request while one waits (409).
    page = client_of(personas.unit_a).post(
        reverse("deadlines:extension_request", args=[d.pk]),
        {"new_due": new_due, "reason": "再次申请", "version": d.version},
        follow=True,
    )
    assert "待审批的延期申请" in page.content.decode()
    again = client_of(personas.unit_a).post(
        reverse("deadlines_api:deadlines-extension-request", args=[d.pk]),
        json.dumps({"new_due": new_due, "reason": "再次申请"}),
        content_type="application/json",
    )
    assert again.status_code == 409 and again["Content-Type"].startswith("application/problem+json")


@pytest.mark.django_db
def test_bad_input_through_the_api_names_each_field(personas, client_of):
    d = matrix_deadline(personas)
    api = client_of(personas.unit_a).post(
        reverse("deadlines_api:deadlines-extension-request", args=[d.pk]),
        json.dumps({"new_due": "明天"}),
        content_type="application/json",
    )
    assert api.status_code == 400
    errors = api.json()["errors"]
    assert set(errors) == {"new_due", "reason"}
    assert not Deadline.objects.get(pk=d.pk).extensions.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["[]", '"x"', "3", "null"])
def test_a_body_that_is_not_an_object_is_refused_with_a_message(personas, client_of, body):
    d = matrix_deadline(personas)
    api = client_of(personas.unit_a).post(
        reverse("deadlines_api:deadlines-extension-request", args=[d.pk]),
        body,
        content_type="application/json",
    )
    assert api.status_code == 400, api.content


@pytest.mark.django_db
@pytest.mark.parametrize("reason", [{"a": 1}, [1, 2], [[1]]])
def test_a_field_given_an_object_or_a_list_is_named(personas, client_of, reason):
    d = matrix_deadline(personas)
    api = client_of(personas.unit_a).post(
        reverse("deadlines_api:deadlines-extension-request", args=[d.pk]),
        json.dumps({"new_due": "2099-01-01", "reason": reason}),
        content_type="application/json",
    )
    assert api.status_code == 400 and "reason" in api.json()["errors"]


@pytest.mark.django_db
@pytest.mark.parametrize("new_due", [True, 3, 1.5, {"y": 2099}])
def test_a_date_given_as_anything_but_text_is_named(personas, client_of, new_due):
    d = matrix_deadline(personas)
    api = client_of(personas.unit_a).post(
        reverse("deadlines_api:deadlines-extension-request", args=[d.pk]),
        json.dumps({"new_due": new_due, "reason": "x"}),
        content_type="application/json",
    )
    assert api.status_code == 400 and "new_due" in api.json()["errors"]


# --- A step's answer, landing page and own page ---------------------------------------------


def test_a_button_is_for_a_step_with_its_own_page():
    with pytest.raises(TypeError, match="own `page`"):
        steps.Step(
            model=Deadline,
            name="toy",
            action="deadlines.deadline.manage",
            form=forms.Form,
            call=lambda actor, record, data: None,
            done="",
            summary="",
            button="go",
        )


def test_a_step_that_answers_with_the_record_it_made_says_so_in_the_schema(client):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    answering = [s for s in steps.declared() if s.answer is not None]
    assert answering, "no step answers with the record it made"
    for step in answering:
        binding = steps.binding_of(step.model)
        path = f"/api/v1/{binding.api_path}/{{id}}/{step.segment}/"
        responses = schema["paths"][path]["post"]["responses"]
        assert str(step.api_status) in responses, step.label
        assert step.answer_schema is not None, f"{step.label}: its answer has no schema"
    supervise = schema["paths"]["/api/v1/suggestions/{id}/supervise/"]["post"]["responses"]
    ref = supervise["201"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/Order")


@pytest.mark.django_db
def test_the_api_answers_the_record_a_step_made(personas, client_of):
    from tests.suggestions.helpers import walk
    from wulian.suggestions.choices import SuggestionStatus
    from wulian.suggestions.models import SupervisionOrder

    s = walk(personas, SuggestionStatus.HANDLING)
    r = client_of(personas.congress_clerk).post(
        reverse("suggestions_api:suggestion-supervise", args=[s.pk]),
        json.dumps({"kind": "overdue", "requirements": "请报告。"}),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["id"] == SupervisionOrder.objects.get(suggestion=s).pk  # not the suggestion


@pytest.mark.django_db
def test_a_step_with_its_own_page_shows_it_previews_and_takes_the_step(personas, client_of):
    """publish: GET shows the step's page; a POST without the step's button shows what was
    typed and changes nothing; with it, the step is taken."""
    from tests.suggestions.helpers import make_suggestion
    from wulian.suggestions.choices import SuggestionStatus
    from wulian.suggestions.models import Suggestion

    s = make_suggestion(personas, SuggestionStatus.CLOSED)
    step = next(x for x in steps.steps_of(Suggestion) if x.page is not None)
    assert step.button == "approve"
    clerk = client_of(personas.congress_clerk)
    url = reverse("suggestions:suggestion_publish", args=[s.pk])
    page = clerk.get(url)
    assert page.status_code == 200
    data = {
        "version": s.version,
        **page.context["form"].texts(),
        "previewed": page.context["previewed"],
    }
    preview = clerk.post(url, {**data, "title": "新标题"})
    assert preview.status_code == 200 and preview.context["preview"]["body"]["title"] == "新标题"
    assert not Suggestion.objects.get(pk=s.pk).public
    assert clerk.post(url, {**data, "approve": "1"}).status_code == 302
    assert Suggestion.objects.get(pk=s.pk).public
    assert client_of(personas.unit_a).get(url).status_code == 403


def test_a_field_may_say_its_api_schema(client):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    op = schema["paths"]["/api/v1/suggestions/{id}/merge/"]["post"]
    others = op["requestBody"]["content"]["application/json"]["schema"]["properties"]["others"]
    assert others["type"] == "array" and others["items"]["pattern"].startswith("^[0-9]")


@pytest.mark.django_db
def test_the_page_offers_a_steps_form_as_declared(personas):
    """`page_form`: the unbound form of a step with its prefix, its needs and the record's
    version; `step_of` finds a step by its record and name."""
    from tests.suggestions.helpers import make_order, walk
    from wulian.suggestions.choices import SuggestionStatus
    from wulian.suggestions.models import Suggestion, SupervisionOrder

    order = make_order(personas)
    step = steps.step_of(SupervisionOrder, "close")
    assert step.label == "suggestions.supervisionorder.close"
    form = step.page_form(personas.congress_clerk, order, {"note": "已办结"})
    assert not form.is_bound and form.prefix == f"o{order.pk}"
    assert form.initial == {"version": order.version, "note": "已办结"}
    s = walk(personas, SuggestionStatus.HANDLING)
    stationed = access.actor_for(personas.users["stationed"])
    follow_up = steps.step_of(Suggestion, "follow_up").page_form(stationed, s)
    assert list(follow_up.fields["organiser"].queryset) == [personas.orgs["stationed_group"]]
    with pytest.raises(KeyError):
        steps.step_of(Suggestion, "no_such_step")


@pytest.mark.django_db
def test_a_key_the_step_does_not_read_is_named_not_dropped(personas, client_of):
    """An old client sending a renamed field must learn it, not see its value silently lost."""
    d = matrix_deadline(personas)
    new_due = (timezone.localdate() + timedelta(days=10)).isoformat()
    api = client_of(personas.unit_a).post(
        reverse("deadlines_api:deadlines-extension-request", args=[d.pk]),
        json.dumps({"new_due": new_due, "reason": "等待外单位意见", "due": new_due}),
        content_type="application/json",
    )
    assert api.status_code == 400
    errors = api.json()["errors"]
    assert set(errors) == {"due"} and "new_due" in errors["due"][0]
    assert not d.extensions.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("flag", ["yes please", 1, "false"])
def test_a_yes_or_no_given_as_anything_but_true_or_false_is_named(personas, client_of, flag):
    """A JSON string for a check box was read as ticked ("false" too): it is refused instead."""
    from tests.factories import PersonFactory

    person = PersonFactory(name="刘洋")
    api = client_of(personas.sysadmin).post(
        reverse("api:person-expert", args=[person.pk]),
        json.dumps({"is_active": flag}),
        content_type="application/json",
    )
    assert api.status_code == 400, api.content
    assert "is_active" in api.json()["errors"]


def test_an_id_no_database_holds_is_named_not_an_overflow():
    """A 30-digit id reached the database driver and overflowed (a 500 in the fuzzing run)."""
    from django import forms

    from wulian.core.models import Organisation

    class UnitsForm(forms.Form):
        units = forms.ModelMultipleChoiceField(queryset=Organisation.objects.all())
        unit = forms.ModelChoiceField(queryset=Organisation.objects.all())

    data = {"units": [1317990416218396131153936384, 494], "unit": -(10**20)}
    errors = steps._shape_errors(UnitsForm(data), data)
    assert set(errors) == {"units", "unit"}
    schema = steps.request_schema(UnitsForm)["properties"]
    assert schema["units"]["items"]["maximum"] == schema["unit"]["maximum"] == steps.ID_MAX
