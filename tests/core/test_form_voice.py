"""Issue 13, item 11: filters say 全部 / 是 / 否 (never a bare "---------" or 未知); Django's
default messages are replaced by the product's; an over-long text is refused with a message
that says by how much (forms.js shows the counter; the browser no longer cuts silently)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from django import forms
from django.utils import translation

from wulian.core.activities.filters import ActivityFilter
from wulian.core.clues.filters import ClueFilter
from wulian.core.filters import OrganisationFilter, PersonFilter
from wulian.core.rectification.filters import RectificationFilter
from wulian.judicial.filters import BatchFilter, CaseFilter, ExpertFilter, PetitionFilter
from wulian.judicial.filters import SuggestionFilter as JudicialSuggestionFilter
from wulian.suggestions.filters import SuggestionFilter

FILTERS = [
    ActivityFilter, ClueFilter, OrganisationFilter, PersonFilter, RectificationFilter,
    BatchFilter, CaseFilter, ExpertFilter, PetitionFilter, JudicialSuggestionFilter,
    SuggestionFilter,
]  # fmt: skip
STATIC = Path(__file__).resolve().parents[2] / "src" / "wulian" / "static" / "wulian"


@pytest.mark.parametrize("filterset", FILTERS, ids=lambda f: f.__module__ + "." + f.__name__)
def test_no_filter_offers_a_bare_dash_or_unknown(db, filterset):
    with translation.override("zh-hans"):
        html = "".join(str(field) for field in filterset({}).form)
    assert "---------" not in html
    assert "未知" not in html
    if "<select" in html:
        assert "全部" in html


def test_the_yes_no_filter_reads_all_yes_no(db):
    with translation.override("zh-hans"):
        html = str(SuggestionFilter({}).form["is_key"])
    assert [o in html for o in (">全部<", ">是<", ">否<")] == [True, True, True]
    with translation.override("en"):
        html = str(SuggestionFilter({}).form["is_key"])
    assert ">All<" in html and ">Yes<" in html


class Sample(forms.Form):
    name = forms.CharField(max_length=5)
    count = forms.IntegerField(required=False, max_value=9)
    day = forms.DateField(required=False)
    kind = forms.ChoiceField(choices=[("a", "甲")], required=False)


def test_framework_messages_are_in_the_products_voice():
    with translation.override("zh-hans"):
        form = Sample({"name": "一二三四五六七", "count": "x", "day": "明天", "kind": "z"})
        assert not form.is_valid()
        errors = {k: v[0] for k, v in form.errors.items()}
        assert errors["name"] == "最多可填 5 个字，现在有 7 个字，请删减后再提交。"
        assert errors["count"] == "请填写整数。"
        assert errors["day"].startswith("请按“年-月-日”填写日期")
        assert "请从列表中选择" in errors["kind"]
        assert Sample({}).errors["name"] == ["请填写此项。"]
        assert Sample({"name": "a", "count": 10}).errors["count"] == ["不能大于 9。"]
        for message in errors.values():
            assert "确保" not in message and "这个字段" not in message
    with translation.override("en"):
        form = Sample({"name": "abcdefg"})
        assert form.errors["name"] == [
            "At most 5 characters; there are 7 now. Please shorten it and submit again."
        ]


def test_the_counter_script_is_served_and_loaded_by_every_page():
    script = (STATIC / "forms.js").read_text(encoding="utf-8")
    assert 'removeAttribute("maxlength")' in script and "setCustomValidity" in script
    assert "eval(" not in script and "innerHTML" not in script  # CSP: no inline code built
    base = (STATIC.parents[1] / "templates" / "base.html").read_text(encoding="utf-8")
    assert "wulian/forms.js" in base


def test_the_invitation_message_addresses_the_expert_or_the_organiser(db):
    from wulian.core import steps
    from wulian.judicial.models import Invitation

    decline = steps.step_of(Invitation, "decline")
    assert decline.message(SimpleNamespace(answered_by_expert=True)).startswith("您已谢绝")
    to_organiser = decline.message(SimpleNamespace(answered_by_expert=False))
    assert "您已" not in to_organiser and "该专家" in to_organiser
    accept = steps.step_of(Invitation, "accept")
    assert "您已" not in accept.message(SimpleNamespace(answered_by_expert=False))
