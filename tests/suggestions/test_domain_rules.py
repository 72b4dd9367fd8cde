"""Domain rules of deputies' suggestions checked against their sources (issue 14; ADR 0019,
"Suggestions"): the reply classes as a configured list and the receipt window's default."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tests.suggestions.helpers import v, walk
from wulian.core.errors import ValidationFailed
from wulian.suggestions import reply_classes, services
from wulian.suggestions.choices import SuggestionStatus as S
from wulian.suggestions.models import Reply, Suggestion

HUANGSHI = "A:已解决或基本解决;B:正在解决或列入计划逐步解决;C:留作参考;D:因条件限制不能解决"


def test_the_default_reply_classes_are_the_shipped_a_b_c_d_set():
    """Source: the common practice the issue names (A/B/C/D; C 留作参考, D 因条件限制不能解决), the
    product's Huangshi default (reply_classes.py; Huangshi's own text not retrieved)."""
    assert django_settings.SUGGESTION_REPLY_CLASSES == HUANGSHI
    assert reply_classes.codes() == ["A", "B", "C", "D"]
    labels = dict(reply_classes.choices())
    assert str(labels["C"]) == "C 类：留作参考"
    assert str(labels["D"]) == "D 类：因条件限制不能解决"
    with translation.override("en"):  # the shipped labels are translated
        assert str(dict(reply_classes.choices())["A"]).startswith("Category A")


def test_a_locality_configures_its_own_classes(settings):
    """A locality with three classes (浙海渔办〔2011〕16号 第十三条) or its own wording."""
    settings.SUGGESTION_REPLY_CLASSES = (
        "A:已解决或基本解决;B:部分解决或已列入计划解决;C:留作参考或不可行"
    )
    assert reply_classes.codes() == ["A", "B", "C"]
    assert dict(reply_classes.choices())["B"] == "B 类：部分解决或已列入计划解决"
    assert reply_classes.prompt() == "A、B 或 C"
    assert reply_classes.display("D") == "D 类（不在当前分类中）"  # a stored D still shows


@pytest.mark.parametrize("value", ["A", "A:x;A:y", "a:小写;B:x", "AB:两个字母;C:x", "A:x;;", "A:"])
def test_a_malformed_setting_is_refused(value):
    with pytest.raises(reply_classes.ConfigError):
        reply_classes.parse(value)


def test_a_malformed_setting_fails_the_system_check(settings):
    settings.SUGGESTION_REPLY_CLASSES = "A:已解决;A:重复"
    (error,) = reply_classes.check_setting()
    assert error.id == "wulian.suggestions.E001"
    settings.SUGGESTION_REPLY_CLASSES = HUANGSHI
    assert reply_classes.check_setting() == []


@given(st.lists(st.sampled_from("ABCDEFGH"), min_size=2, max_size=8, unique=True))
def test_any_list_of_letters_parses_in_its_order(codes):
    value = ";".join(f"{c}:第{c}类" for c in codes)
    assert [c for c, _label in reply_classes.parse(value)] == codes


def test_the_reply_takes_only_a_configured_class_and_stored_codes_keep_working(personas, settings):
    p = personas
    s = walk(p, S.HANDLING)
    settings.SUGGESTION_REPLY_CLASSES = "A:已解决;B:列入计划"
    with pytest.raises(ValidationFailed) as exc:
        services.reply_send(
            actor=p.unit_a, suggestion_id=s.pk, version=v(s), category="D", signer="x", text="x"
        )
    assert "category" in exc.value.field_errors and "A 或 B" in str(exc.value.field_errors)
    settings.SUGGESTION_REPLY_CLASSES = HUANGSHI
    services.reply_send(
        actor=p.unit_a, suggestion_id=s.pk, version=v(s), category="D", signer="x", text="答复"
    )
    # The list changes later: the stored D still reads as a class, no migration needed.
    settings.SUGGESTION_REPLY_CLASSES = "A:已解决;B:列入计划"
    reply = Reply.objects.get(suggestion=s)
    assert reply.category == "D" and Suggestion.objects.get(pk=s.pk).reply_category == "D"
    assert reply_classes.display(reply.category) == "D 类（不在当前分类中）"


def test_the_receipt_window_defaults_to_ten_working_days_with_its_source(personas):
    """Source: 浙海渔办〔2011〕16号 第三条 (10 个工作日); municipal rules say 十日 — the former 5
    had no source (ADR 0019). The assignment's respond-by is counted with the setting."""
    assert django_settings.SUGGESTION_RECEIPT_WORKING_DAYS == 10
    from wulian.core.deadlines import rules
    from wulian.suggestions.models import Assignment

    s = walk(personas, S.ASSIGNED)
    a = Assignment.objects.filter(suggestion=s).first()
    assert a.respond_by == rules.due_at(rules.Rule.working_days(10), a.assigned_at)


def test_the_deputys_unsatisfied_verdict_asks_the_reason_then_says_what_follows(
    personas, client_of
):
    """Issue 13 item 9 through the page door: 不满意 without a reason comes back with the
    message on the field; with one, the page says the suggestion is reopened and by when."""
    p = personas
    s = walk(p, S.ANSWERED)
    client = client_of(p.deputy)
    url = reverse("suggestions:verdict_give", args=[s.pk])
    data = {"version": v(s), "on_attitude": "satisfied", "on_result": "unsatisfied"}
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "请说明不满意的理由" in refused.content.decode()
    done = client.post(url, {**data, "comment": "补贴没有落实"}, follow=True)
    page = done.content.decode()
    assert "您的建议已重新办理" in page and "重新交办" in page
    assert Suggestion.objects.get(pk=s.pk).status == S.REOPENED
