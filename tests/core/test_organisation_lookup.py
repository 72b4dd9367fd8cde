"""The unit search box (formkit.OrganisationLookup) that replaces a `<select>` of thousands of
units: what a person may type, what they are told when it does not name one unit, and the
suggestions the box asks for as they type."""

from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse

from tests.factories import OrganisationFactory
from wulian.core.formkit import OrganisationLookup, organisation_label

pytestmark = pytest.mark.django_db


class UnitForm(forms.Form):
    unit = OrganisationLookup(required=False)


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
