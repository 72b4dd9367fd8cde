"""Issue 13, item 11 on the suggestion forms: a deputy is not his own co-signer, co-signers and
units are picked in a lookup box (not a Ctrl-click multi-select), and each step's message
addresses the person who took it (a co-unit is not told to contact the deputy)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.suggestions.helpers import co_signer, deputy, make_session
from wulian.core import steps
from wulian.core.errors import ValidationFailed
from wulian.core.formkit import LookupManyInput
from wulian.suggestions import services
from wulian.suggestions.choices import AssignmentRole, Category
from wulian.suggestions.forms import ProposeForm, SubmitForm
from wulian.suggestions.models import Assignment


def test_the_deputy_is_not_offered_as_his_own_co_signer(personas):
    p = personas
    mate = co_signer(p)
    me = deputy(p)
    form = SubmitForm(person_id=me.pk)
    offered = set(form.fields["co_signers"].queryset.values_list("pk", flat=True))
    assert mate.person.pk in offered and me.pk not in offered
    typed = SubmitForm(
        {"title": "路灯", "content": "不亮", "category": Category.URBAN_RURAL,
         "co_signers": f"{me.pk}"},
        person_id=me.pk,
    )  # fmt: skip
    assert not typed.is_valid() and "co_signers" in typed.errors
    # Staff naming the lead deputy still see every deputy.
    assert me.pk in set(
        SubmitForm(staff=True, person_id=None)
        .fields["co_signers"]
        .queryset.values_list("pk", flat=True)
    )


def test_the_service_refuses_the_lead_deputy_as_co_signer_and_says_so(personas):
    p = personas
    make_session(p)
    me = deputy(p)
    with pytest.raises(ValidationFailed) as exc:
        services.suggestion_submit(
            actor=p.users["deputy"],
            data={"title": "路灯", "content": "不亮", "category": Category.URBAN_RURAL,
                  "co_signer_ids": [me.pk]},
        )  # fmt: skip
    assert me.name in exc.value.field_errors["co_signers"][0]


def test_co_signers_and_units_are_lookup_boxes_one_a_line(personas):
    p = personas
    mate = co_signer(p)
    form = SubmitForm(person_id=deputy(p).pk)
    assert isinstance(form.fields["co_signers"].widget, LookupManyInput)
    html = str(form["co_signers"])
    assert "<select" not in html and "data-lookup-many" in html
    propose = ProposeForm()
    assert isinstance(propose.fields["co_units"].widget, LookupManyInput)
    # A line per unit, by name and code as the lookup suggests, or by id (links, the API).
    a, b = p.orgs["unit_a"], p.orgs["unit_b"]
    bound = ProposeForm({"version": 1, "lead_unit": a.pk, "co_units": f"{b.name} [{b.code}]"})
    assert bound.is_valid(), bound.errors
    assert list(bound.cleaned_data["co_units"]) == [b]
    by_ids = ProposeForm({"version": 1, "lead_unit": a.pk, "co_units": [b.pk]})
    assert by_ids.is_valid(), by_ids.errors
    unknown = ProposeForm({"version": 1, "lead_unit": a.pk, "co_units": "没有这个单位"})
    assert not unknown.is_valid()
    assert "找不到单位“没有这个单位”" in unknown.errors["co_units"][0]
    picked = SubmitForm(
        {"title": "路灯", "content": "不亮", "category": Category.URBAN_RURAL,
         "co_signers": mate.person.name},
        person_id=deputy(p).pk,
    )  # fmt: skip
    assert picked.is_valid(), picked.errors
    assert picked.to_data()["co_signer_ids"] == [mate.person.pk]


def test_the_receipt_message_addresses_the_lead_unit_or_the_co_unit(db):
    """The step's own words are the same for both (已签收。) and address neither; what follows is
    said to the one who received: the lead unit is asked to contact the deputy, a co-unit to
    give its opinion by its date (`Step.then`; tests/suggestions/test_co_opinions.py checks
    both with a real suggestion)."""
    step = steps.step_of(Assignment, "receive")
    for role in (AssignmentRole.LEAD, AssignmentRole.CO):
        said = step.message(SimpleNamespace(role=role))
        assert said == "已签收。" and "主办单位请" not in said
