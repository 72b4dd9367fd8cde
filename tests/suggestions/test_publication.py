"""Issue 11, item 5: the public page shows only texts a person approved for publication.

The first line: congress staff approve the public title, content and reply texts on a publish
page that previews exactly what the public sees (masked spans shown), pre-filled from the
original after automatic redaction; `suggestion_publish` / `suggestion_unpublish` (audit with
SM3 digests, not the texts). The public list, its search and the detail read only approved
text — still redacted (the second line)."""

from __future__ import annotations

import json
import re

import pytest
from django.apps import apps
from django.urls import reverse

from tests.suggestions.helpers import approve, deputy, make_suggestion, v, walk
from wulian.core.crypto import sm3_hex
from wulian.core.errors import (
    AccessDenied,
    ConcurrentEdit,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.models import AuditEvent
from wulian.core.notifications.models import OutboxMessage
from wulian.suggestions import search, services
from wulian.suggestions.choices import SuggestionStatus as S
from wulian.suggestions.forms import publication_digest
from wulian.suggestions.models import Reply, Suggestion

TITLE = "关于老旧小区加装电梯的建议"
CONTENT = "我住在幸福路12号，电话１３９\u200b1234.5678。老旧小区没有电梯，建议提高补贴。"
REPLY = "已将老旧小区加装电梯纳入年度计划，补贴标准提高。"
REDACTED_CONTENT = "我住在幸福路12号，电话［已隐去］。老旧小区没有电梯，建议提高补贴。"
APPROVED_TITLE = "关于加装电梯补贴的建议"
APPROVED_CONTENT = "老旧小区没有电梯，建议提高补贴。"
APPROVED_REPLY = "已纳入年度计划。"


def publish(p, s, *, actor=None, version=None, **texts):
    values = {
        "title": APPROVED_TITLE,
        "content": APPROVED_CONTENT,
        "replies": {1: APPROVED_REPLY},
        **texts,
    }
    return services.suggestion_publish(
        actor=actor or p.congress_clerk,
        suggestion_id=s.pk,
        version=version if version is not None else v(s),
        **values,
    )


def events(code: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=code))


def told(kind: str) -> set[str]:
    return set(
        OutboxMessage.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


# --- The service -----------------------------------------------------------------------------


def test_approval_publishes_the_approved_texts_and_audits_their_digests(personas):
    p = personas
    s = walk(p, S.CLOSED, content=CONTENT)
    s = publish(p, s)
    s.refresh_from_db()
    assert s.public and s.published_at is not None
    assert (s.public_title, s.public_content) == (APPROVED_TITLE, APPROVED_CONTENT)
    assert s.public_approved_by == p.congress_clerk
    assert s.public_approved_at is not None
    assert Reply.objects.get(suggestion=s).published_text == APPROVED_REPLY
    # The originals are untouched.
    assert (s.title, s.content) == (TITLE, CONTENT)
    [ev] = events("suggestions.suggestion.published")
    assert ev.before_data == {
        "public": False,
        "title_sm3": "",
        "content_sm3": "",
        "replies_sm3": {"1": ""},
    }
    assert ev.after_data == {
        "public": True,
        "title_sm3": sm3_hex(APPROVED_TITLE.encode()),
        "content_sm3": sm3_hex(APPROVED_CONTENT.encode()),
        "replies_sm3": {"1": sm3_hex(APPROVED_REPLY.encode())},
    }
    # Digests, not the texts.
    recorded = json.dumps([ev.before_data, ev.after_data], ensure_ascii=False)
    assert "补贴" not in recorded and "电梯" not in recorded
    assert told("suggestions.suggestion.published") == {"deputy", "unit_a"}


def test_approving_again_replaces_the_texts_and_the_same_texts_change_nothing(personas):
    p = personas
    s = publish(p, walk(p, S.CLOSED))
    first = Suggestion.objects.get(pk=s.pk)
    publish(p, s, title="关于电梯补贴的建议")
    again = Suggestion.objects.get(pk=s.pk)
    assert again.public_title == "关于电梯补贴的建议"
    assert again.published_at == first.published_at  # still published since then
    assert len(events("suggestions.suggestion.published")) == 2
    publish(p, s, title="关于电梯补贴的建议")
    assert Suggestion.objects.get(pk=s.pk).version == again.version
    assert len(events("suggestions.suggestion.published")) == 2


@pytest.mark.parametrize("who", ["deputy", "unit_a", "gov_supervisor", "stationed"])
def test_only_congress_staff_approve_a_publication(personas, who):
    p = personas
    s = walk(p, S.CLOSED)
    with pytest.raises(AccessDenied):
        publish(p, s, actor=p.users[who])
    assert not Suggestion.objects.get(pk=s.pk).public
    assert not events("suggestions.suggestion.published")


def test_a_suggestion_not_answered_cannot_be_published(personas):
    p = personas
    s = walk(p, S.HANDLING)
    with pytest.raises(TransitionNotAllowed):
        publish(p, s, replies={})
    assert not Suggestion.objects.get(pk=s.pk).public


@pytest.mark.parametrize(
    ("texts", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "长" * 201}, "title"),
        ({"content": "长" * 20_001}, "content"),
        ({"replies": {1: ""}}, "reply_1"),
        ({"replies": {1: APPROVED_REPLY, 2: "第二次答复"}}, "reply_2"),
    ],
)
def test_bad_texts_are_refused_on_their_field(personas, texts, field):
    p = personas
    s = walk(p, S.CLOSED)
    with pytest.raises(ValidationFailed) as refused:
        publish(p, s, **texts)
    assert field in refused.value.field_errors
    s.refresh_from_db()
    assert not s.public and s.public_title == ""
    assert not events("suggestions.suggestion.published")


def test_a_reply_the_unit_did_not_agree_to_publish_cannot_be_approved(personas):
    p = personas
    s = make_suggestion(p, S.CLOSED)
    reply = Reply.objects.get(suggestion=s)
    Reply.objects.create(
        suggestion=s,
        round=2,
        unit=reply.unit,
        category=reply.category,
        signer="张局长",
        text="第二次答复（内部）",
        public_text="",
        sent_at=reply.sent_at,
        sent_by=reply.sent_by,
    )
    with pytest.raises(ValidationFailed) as refused:
        publish(p, s, replies={1: APPROVED_REPLY, 2: "第二次答复（内部）"})
    assert list(refused.value.field_errors) == ["reply_2"]
    publish(p, s, replies={1: APPROVED_REPLY})
    assert list(
        Reply.objects.filter(suggestion=s).order_by("round").values_list("published_text")
    ) == [(APPROVED_REPLY,), ("",)]


def test_a_stale_version_is_refused(personas):
    p = personas
    s = walk(p, S.CLOSED)
    with pytest.raises(ConcurrentEdit):
        publish(p, s, version=v(s) - 1)
    assert not Suggestion.objects.get(pk=s.pk).public
    s = publish(p, s)
    with pytest.raises(ConcurrentEdit):
        services.suggestion_unpublish(actor=p.congress_clerk, suggestion_id=s.pk, version=v(s) - 1)
    assert Suggestion.objects.get(pk=s.pk).public


def test_unpublishing_clears_the_approved_texts(personas):
    p = personas
    s = publish(p, walk(p, S.CLOSED))
    with pytest.raises(AccessDenied):
        services.suggestion_unpublish(actor=p.unit_a, suggestion_id=s.pk, version=v(s))
    services.suggestion_unpublish(actor=p.congress_clerk, suggestion_id=s.pk, version=v(s))
    s.refresh_from_db()
    assert not s.public and s.published_at is None
    assert (s.public_title, s.public_content, s.public_search_tokens) == ("", "", "")
    assert s.public_approved_by is None and s.public_approved_at is None
    assert Reply.objects.get(suggestion=s).published_text == ""
    [ev] = events("suggestions.suggestion.unpublished")
    assert ev.before_data["title_sm3"] == sm3_hex(APPROVED_TITLE.encode())
    assert ev.after_data == {"public": False}
    assert told("suggestions.suggestion.unpublished") == {"deputy", "unit_a"}
    with pytest.raises(TransitionNotAllowed):
        services.suggestion_unpublish(actor=p.congress_clerk, suggestion_id=s.pk, version=v(s))


# --- The publish page ------------------------------------------------------------------------


def _publish_url(s) -> str:
    return reverse("suggestions:suggestion_publish", args=[s.pk])


def _form(response) -> dict:
    form = response.context["form"]
    return {
        "version": form.initial["version"],
        **{n: form.texts()[n] for n in form.text_fields},
        "previewed": response.context["previewed"],
    }


def test_the_page_is_pre_filled_from_the_redacted_original_and_shows_the_masked_spans(
    personas, client_of
):
    p = personas
    s = make_suggestion(p, S.CLOSED, content=CONTENT)
    response = client_of(p.congress_clerk).get(_publish_url(s))
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["title"] == TITLE
    assert initial["content"] == REDACTED_CONTENT
    assert initial["reply_1"] == "经研究，已将老旧小区加装电梯纳入年度计划。"
    html = response.content.decode()
    preview = html[html.index('id="preview"') : html.index('id="masked"')]
    # The preview: what the public page will show, no digit of the phone number.
    assert "幸福路12号" in preview and "［已隐去］" in preview and "5678" not in preview
    # The masked spans of the original, visible to the approver.
    masked = re.findall(r'<mark class="masked"[^>]*>(.*?)</mark>', html, re.S)
    assert "１３９\u200b1234.5678" in masked


def test_preview_shows_what_will_be_public_and_saves_nothing(personas, client_of):
    p = personas
    s = make_suggestion(p, S.CLOSED)
    client = client_of(p.congress_clerk)
    data = _form(client.get(_publish_url(s)))
    name = deputy(p).name
    data.update(content=f"{name}代表建议加装电梯。", preview="1")
    response = client.post(_publish_url(s), data)
    assert response.status_code == 200
    body = response.context["preview"]["body"]
    assert body["content"] == "［已隐去］代表建议加装电梯。"
    masked = re.findall(r'<mark class="masked"[^>]*>(.*?)</mark>', response.content.decode())
    assert name in masked
    assert not Suggestion.objects.get(pk=s.pk).public


def test_approval_needs_the_texts_previewed_then_publishes_them(personas, client_of, client):
    p = personas
    s = make_suggestion(p, S.CLOSED)
    staff = client_of(p.congress_clerk)
    data = _form(staff.get(_publish_url(s)))
    # Changed after the preview: shown again, not approved.
    changed = {**data, "title": APPROVED_TITLE, "approve": "1"}
    response = staff.post(_publish_url(s), changed)
    assert response.status_code == 409
    assert response.context["preview"]["body"]["title"] == APPROVED_TITLE
    assert not Suggestion.objects.get(pk=s.pk).public
    # Approved as previewed.
    changed["previewed"] = response.context["previewed"]
    response = staff.post(_publish_url(s), changed)
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.public and s.public_title == APPROVED_TITLE
    page = client.get(reverse("suggestions:public_detail", args=[s.pk])).content.decode()
    assert APPROVED_TITLE in page and TITLE not in page


def test_the_page_refuses_a_stale_version(personas, client_of):
    p = personas
    s = make_suggestion(p, S.CLOSED)
    staff = client_of(p.congress_clerk)
    data = {**_form(staff.get(_publish_url(s))), "approve": "1"}
    Suggestion.objects.filter(pk=s.pk).update(version=s.version + 1)
    response = staff.post(_publish_url(s), data)
    assert response.status_code == 409
    assert "已被他人处理或修改" in response.content.decode()
    assert not Suggestion.objects.get(pk=s.pk).public


def test_the_page_takes_a_publication_back(personas, client_of, client):
    p = personas
    s = approve(make_suggestion(p, S.CLOSED), title=APPROVED_TITLE, reply=APPROVED_REPLY)
    staff = client_of(p.congress_clerk)
    detail = staff.get(reverse("suggestions:suggestion_detail", args=[s.pk])).content.decode()
    assert reverse("suggestions:suggestion_unpublish", args=[s.pk]) in detail
    response = staff.post(
        reverse("suggestions:suggestion_unpublish", args=[s.pk]), {"version": s.version}
    )
    assert response.status_code == 302
    assert client.get(reverse("suggestions:public_detail", args=[s.pk])).status_code == 404


# --- The public pages ------------------------------------------------------------------------


def test_the_public_pages_show_only_approved_text(personas, client):
    p = personas
    s = make_suggestion(p, S.CLOSED, content=CONTENT)
    Reply.objects.filter(suggestion=s).update(text="内部答复：经办人王五", public_text=REPLY)
    # Published before approval existed: nothing approved, nothing shown.
    Suggestion.objects.filter(pk=s.pk).update(public=True)
    assert client.get(reverse("suggestions:public_detail", args=[s.pk])).status_code == 404
    assert not client.get(reverse("suggestions:public_list")).context["page"].object_list
    approve(s, title=APPROVED_TITLE, reply=APPROVED_REPLY)
    listing = client.get(reverse("suggestions:public_list")).content.decode()
    page = client.get(reverse("suggestions:public_detail", args=[s.pk])).content.decode()
    assert APPROVED_TITLE in listing and TITLE not in listing
    assert APPROVED_TITLE in page and APPROVED_REPLY in page
    for original in (TITLE, "幸福路", "建议提高补贴", REPLY, "王五"):
        assert original not in page
    assert "建议内容" not in page  # content not approved: not shown


def test_approved_text_still_passes_through_redaction(personas, client):
    p = personas
    name = deputy(p).name
    s = approve(
        make_suggestion(p, S.CLOSED),
        title=f"{name}代表关于加装电梯的建议",
        content="联系电话 一三九一二三四五六七八。",
        reply=f"已答复{' '.join(name)}代表。",
    )
    listing = client.get(reverse("suggestions:public_list")).content.decode()
    page = client.get(reverse("suggestions:public_detail", args=[s.pk])).content.decode()
    for shown in (listing, page):
        assert name not in shown and "［已隐去］代表关于加装电梯的建议" in shown
    assert "一三九一二三四五六七八" not in page and " ".join(name) not in page


def test_the_public_search_reads_only_approved_text(personas, client):
    p = personas
    name = deputy(p).name
    url = reverse("suggestions:public_list")

    def found(q: str) -> list[int]:
        return [r.pk for r in client.get(url, {"q": q}).context["page"].object_list]

    original = f"{name}代表反映，幸福路老旧小区没有电梯。"
    s = approve(
        make_suggestion(p, S.CLOSED, content=original),
        title=APPROVED_TITLE,
        content="老旧小区没有电梯，建议提高补贴。",
        reply=APPROVED_REPLY,
    )
    # The name and the street are in the original only; "补贴" and "年度计划" are approved.
    assert found(name) == [] and found("幸福路") == []
    assert found("补贴") == [s.pk] and found("年度计划") == [s.pk]
    # A name left in an approved text is masked on the page, and not searchable either.
    approve(s, title=APPROVED_TITLE, content=f"{name}代表建议提高补贴。")
    assert found(name) == []
    # The staff ledger still finds it by its original words.
    assert list(search.matching(Suggestion.objects.all(), "幸福路")) == [s]


def test_the_public_list_costs_the_same_queries_for_1_and_20_rows(
    personas, client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    p = personas
    url = reverse("suggestions:public_list")
    approve(make_suggestion(p, S.CLOSED), title=APPROVED_TITLE, reply=APPROVED_REPLY)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(19):
        approve(make_suggestion(p, S.CLOSED), title=APPROVED_TITLE, reply=APPROVED_REPLY)
    with CaptureQueriesContext(connection) as twenty:
        assert len(client.get(url).context["page"].object_list) == 20
    assert len(one.captured_queries) == len(twenty.captured_queries)


# --- The data migration ----------------------------------------------------------------------


def test_the_migration_keeps_published_titles_and_reply_texts_but_not_the_content(personas):
    from importlib import import_module

    p = personas
    name = deputy(p).name
    s = make_suggestion(p, S.CLOSED, title=f"{name}关于加装电梯的建议", content=CONTENT)
    Suggestion.objects.filter(pk=s.pk).update(public=True)
    hidden = make_suggestion(p, S.CLOSED)
    migration = import_module("wulian.suggestions.migrations.0008_publication_approval")
    migration.keep_published(apps, None)
    s.refresh_from_db()
    assert s.public_title == s.title and s.public_content == ""
    assert (
        Reply.objects.get(suggestion=s).published_text
        == Reply.objects.get(suggestion=s).public_text
    )
    assert Suggestion.objects.get(pk=hidden.pk).public_title == ""
    assert name not in s.public_search_tokens and "电梯" in s.public_search_tokens


# --- The API ---------------------------------------------------------------------------------


def _api(client, method: str, url: str, data: dict | None = None):
    if method == "get":
        return client.get(url, HTTP_ACCEPT="application/json")
    return client.post(
        url, json.dumps(data or {}), content_type="application/json", HTTP_ACCEPT="application/json"
    )


def test_the_api_offers_the_same_proposal_preview_and_approval(personas, client_of, client):
    p = personas
    s = make_suggestion(p, S.CLOSED, content=CONTENT)
    staff = client_of(p.congress_clerk)
    pub = _api(staff, "get", reverse("suggestions_api:suggestion-publication", args=[s.pk]))
    assert pub.status_code == 200
    texts = {t["field"]: t for t in pub.json()["texts"]}
    content = texts["content"]
    assert content["proposed"] == REDACTED_CONTENT
    assert [content["original"][a:b] for a, b in content["original_masked"]] == [
        "１３９\u200b1234.5678"
    ]
    url = reverse("suggestions_api:suggestion-publish", args=[s.pk])
    body = {
        "version": pub.json()["version"],
        "title": APPROVED_TITLE,
        "content": f"{content['proposed']}",
        "reply_1": texts["reply_1"]["proposed"],
    }
    stale = _api(staff, "post", url, {**body, "version": body["version"] + 1})
    assert stale.status_code == 409
    assert _api(client_of(p.unit_a), "post", url, body).status_code == 403
    bad = _api(staff, "post", url, {**body, "title": ""})
    assert bad.status_code == 400
    done = _api(staff, "post", url, body)
    assert done.status_code == 200 and done.json()["public_title"] == APPROVED_TITLE
    page = client.get(reverse("suggestions:public_detail", args=[s.pk])).content.decode()
    assert APPROVED_TITLE in page and "幸福路12号" in page and "5678" not in page
    # The proposal of a published suggestion is its approved text.
    again = _api(staff, "get", reverse("suggestions_api:suggestion-publication", args=[s.pk]))
    assert {t["field"]: t["proposed"] for t in again.json()["texts"]}["title"] == APPROVED_TITLE
    off = _api(
        staff,
        "post",
        reverse("suggestions_api:suggestion-unpublish", args=[s.pk]),
        {"version": done.json()["version"]},
    )
    assert off.status_code == 200 and off.json()["public"] is False
    assert client.get(reverse("suggestions:public_detail", args=[s.pk])).status_code == 404


def test_the_previewed_digest_is_that_of_the_texts_shown(personas, client_of):
    p = personas
    s = make_suggestion(p, S.CLOSED)
    response = client_of(p.congress_clerk).get(_publish_url(s))
    form = response.context["form"]
    assert response.context["previewed"] == publication_digest(form.texts())


@pytest.mark.django_db(transaction=True)
def test_the_public_search_index_is_repaired_after_a_table_rebuild(personas, client):
    """SQLite: a later migration that rebuilds the suggestion table drops its triggers; the
    post-migrate repair puts the public index's back (PostgreSQL's index survives)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 triggers")
    p = personas
    with connection.cursor() as cursor:
        for suffix in ("ai", "ad", "au"):
            cursor.execute(f"DROP TRIGGER {search.PUBLIC_FTS_TABLE}_{suffix}")
    assert search.ensure_index() is True
    s = approve(make_suggestion(p, S.CLOSED), title=APPROVED_TITLE, reply=APPROVED_REPLY)
    found = client.get(reverse("suggestions:public_list"), {"q": "年度计划"})
    assert [r.pk for r in found.context["page"].object_list] == [s.pk]
    assert search.ensure_index() is False
