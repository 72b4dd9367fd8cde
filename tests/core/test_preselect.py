"""A single possible choice is preselected (issue 13 item 11), once for every form: the site's
form renderer gives every form `formkit.PreselectBoundField`. Shown on real forms: the case
filing form (the filing unit), the consultation form (the organising unit), the clue form (the
receiving CDI)."""

from __future__ import annotations

import pytest
from django import forms

from tests.factories import OrganisationFactory
from wulian.core.choices import OrgKind
from wulian.core.models import Organisation

pytestmark = pytest.mark.django_db


def _selected(html: str, value: object) -> bool:
    return f'value="{value}" selected' in html


def test_case_form_starts_at_the_only_filing_unit():
    from wulian.judicial.forms import CaseForm

    only = OrganisationFactory(kind=OrgKind.CONGRESS)
    form = CaseForm(filers=Organisation.objects.filter(pk=only.pk))
    assert form["filed_by_org"].value() == only.pk
    assert _selected(str(form["filed_by_org"]), only.pk)


def test_two_possible_units_leave_the_choice_to_the_person():
    from wulian.judicial.forms import CaseForm

    a, b = OrganisationFactory(kind=OrgKind.CONGRESS), OrganisationFactory(kind=OrgKind.CONGRESS)
    form = CaseForm(filers=Organisation.objects.filter(pk__in=[a.pk, b.pk]))
    assert form["filed_by_org"].value() in (None, "")
    assert " selected" not in str(form["filed_by_org"]).replace('value="" selected', "")


def test_consultation_form_starts_at_the_only_organiser():
    from wulian.suggestions.forms import ConsultationForm

    only = OrganisationFactory(kind=OrgKind.CONGRESS_BODY)
    form = ConsultationForm(organisers=Organisation.objects.filter(pk=only.pk))
    assert _selected(str(form["organiser"]), only.pk)


def test_clue_form_starts_at_the_only_cdi():
    from wulian.core.clues.forms import ClueForm

    sender = OrganisationFactory(kind=OrgKind.CONGRESS)
    cdi = OrganisationFactory(kind=OrgKind.CDI)
    form = ClueForm(senders=Organisation.objects.filter(pk=sender.pk))
    assert _selected(str(form["receiving_org"]), cdi.pk)
    assert _selected(str(form["sending_org"]), sender.pk)


def test_a_posted_form_shows_what_was_posted_and_an_initial_value_is_kept():
    class F(forms.Form):
        colour = forms.ChoiceField(choices=[("", "请选择"), ("red", "红")])
        size = forms.ChoiceField(choices=[("s", "小"), ("m", "中")])
        note = forms.ChoiceField(choices=[("x", "某")], required=False)

    assert F()["colour"].value() == "red"  # a plain choice field too
    assert F()["size"].value() is None  # two values: nothing chosen for the person
    assert F()["note"].value() is None  # optional: left empty
    assert F(initial={"colour": ""})["colour"].value() == "red"
    assert F(data={"colour": ""})["colour"].value() == ""  # posted empty stays empty


def test_one_query_for_a_select_with_its_preselection(django_assert_num_queries):
    from wulian.suggestions.forms import ConsultationForm

    only = OrganisationFactory(kind=OrgKind.CONGRESS_BODY)
    form = ConsultationForm(organisers=Organisation.objects.filter(pk=only.pk))
    with django_assert_num_queries(1):
        html = str(form["organiser"])
    assert _selected(html, only.pk)
