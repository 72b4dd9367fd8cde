"""The search boxes (formkit.OrganisationLookup, formkit.DeputyLookup) that replace a `<select>`
of thousands of units or deputies: what a person may type, what they are told when it does not
name one record, and the suggestions the box asks for as they type."""

from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse

from tests.factories import DeputyProfileFactory, OrganisationFactory, PersonFactory
from wulian.core.formkit import DeputyLookup, OrganisationLookup, deputy_label, organisation_label

pytestmark = pytest.mark.django_db


class UnitForm(forms.Form):
    unit = OrganisationLookup(required=False)


class DeputyForm(forms.Form):
    deputy = DeputyLookup(required=False)


def clean(value: str):
    form = UnitForm({"unit": value})
    return form.cleaned_data["unit"] if form.is_valid() else form.errors["unit"][0]


def test_a_unit_is_named_by_id_code_label_or_a_name_no_other_unit_has():
    edu = OrganisationFactory(name="黄石市教育局", short_name="市教育局", code="420200-JY")
    OrganisationFactory(name="下陆区教育局", short_name="区教育局", code="420204-JY")
    OrganisationFactory(name="铁山区教育局", short_name="区教育局", code="420205-JY")
    assert clean(str(edu.pk)) == edu
    assert clean("420200-JY") == edu
    assert clean("黄石市教育局 [420200-JY]") == edu
    assert clean(organisation_label(edu)) == edu
    assert clean("黄石市教育局") == edu
    assert clean("市教育局") == edu
    assert clean("") is None


def test_a_name_two_units_share_or_no_unit_has_is_refused_with_what_to_do():
    OrganisationFactory(name="下陆区教育局", short_name="区教育局", code="420204-JY")
    OrganisationFactory(name="铁山区教育局", short_name="区教育局", code="420205-JY")
    OrganisationFactory(name="撤销的局", code="GONE-1", is_active=False)
    assert "有多个单位名为“区教育局”" in clean("区教育局")
    assert "请从提示中选择" in clean("区教育局")
    assert "找不到单位“不存在的局”" in clean("不存在的局")
    assert "找不到单位" in clean("撤销的局")  # an inactive unit is not offered
    assert "找不到单位" in clean("99999999999999999999")
    # Shown back as typed, without asking the database for an id it cannot hold.
    assert 'value="99999999999999999999"' in str(UnitForm({"unit": "99999999999999999999"})["unit"])


def test_the_box_shows_the_chosen_unit_by_name_and_code_and_sends_no_option_list():
    edu = OrganisationFactory(name="黄石市教育局", code="420200-JY")
    for n in range(50):
        OrganisationFactory(name=f"某单位{n}")
    html = str(UnitForm({"unit": str(edu.pk)})["unit"])
    assert 'value="黄石市教育局 [420200-JY]"' in html
    assert reverse("core:organisation_lookup") in html
    assert "<datalist" in html and "<option" not in html


def test_the_lookup_suggests_units_whose_name_or_code_contains_the_words(personas, client_of):
    edu = OrganisationFactory(name="黄石市教育局", code="420200-JY")
    other = OrganisationFactory(name="下陆区教育局", code="420204-JY")
    OrganisationFactory(name="黄石市教育局旧", code="OLD-1", is_active=False)
    OrganisationFactory(name="黄石市民政局", code="420200-MZ")
    url = reverse("core:organisation_lookup")
    client = client_of(personas.congress_clerk)
    results = client.get(url, {"q": "教育局"}).json()["results"]
    assert [r["label"] for r in results] == [organisation_label(edu), organisation_label(other)]
    assert client.get(url, {"q": "420200-MZ"}).json()["results"][0]["label"] == (
        "黄石市民政局 [420200-MZ]"
    )
    # A name that starts with the words comes before one that merely contains them.
    starts = client.get(url, {"q": "下陆"}).json()["results"]
    assert starts[0]["id"] == other.pk
    assert client.get(url, {"q": ""}).json() == {"results": []}
    assert client.get(url).json() == {"results": []}


def test_the_lookup_is_for_people_with_a_seat_only(client):
    response = client.get(reverse("core:organisation_lookup"), {"q": "局"})
    assert response.status_code in (302, 403)


def deputy(name: str, number: str):
    return DeputyProfileFactory(person=PersonFactory(name=name), certificate_no=number).person


def clean_deputy(value: str):
    form = DeputyForm({"deputy": value})
    return form.cleaned_data["deputy"] if form.is_valid() else form.errors["deputy"][0]


def test_a_deputy_is_named_by_id_certificate_number_label_or_a_name_no_other_deputy_has():
    li = deputy("李明", "HS15-0007")
    deputy("王芳", "HS15-0008")
    deputy("王芳", "HS15-0009")
    not_a_deputy = PersonFactory(name="张三")
    assert clean_deputy(str(li.pk)) == li
    assert clean_deputy("HS15-0007") == li
    assert clean_deputy("李明 [HS15-0007]") == li
    assert clean_deputy(deputy_label(li)) == li
    assert clean_deputy("李明") == li
    assert "有多位代表名为“王芳”" in clean_deputy("王芳")
    assert "找不到代表“张三”" in clean_deputy("张三")
    # An id (a link from the person's page) names the person as recorded.
    assert clean_deputy(str(not_a_deputy.pk)) == not_a_deputy
    assert clean_deputy(f"张三 [#{not_a_deputy.pk}]") == not_a_deputy
    assert "找不到代表" in clean_deputy("99999999")


def test_the_deputy_lookup_suggests_deputies_by_name_or_number(personas, client_of):
    li = deputy("李明", "HS15-0007")
    deputy("王李", "HS15-0010")
    url = reverse("core:deputy_lookup")
    clerk = client_of(personas.congress_clerk)
    results = clerk.get(url, {"q": "李"}).json()["results"]
    assert results[0] == {"id": li.pk, "label": "李明 [HS15-0007]"}  # starts with it: first
    assert len(results) == 2
    assert clerk.get(url, {"q": "HS15-0010"}).json()["results"][0]["label"] == "王李 [HS15-0010]"
    # A unit sees its own staff only: the deputies are not listed to it.
    assert client_of(personas.unit_a).get(url, {"q": "李"}).json() == {"results": []}
