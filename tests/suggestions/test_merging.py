"""Merged handling (并案): merge and unmerge (who, when, no chains, stale versions, one audit
event on every suggestion touched), and what merging means downstream — the primary's
assignment, receipt and reply drive the merged ones, each merged deputy receives the reply and
gives their own verdict. Also: the reply deadline's extension is refused on the generic
deadline page (it goes through the suggestion's own service)."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from tests.attachments import files
from tests.factories import account
from tests.suggestions.helpers import CONTENT, TITLE, make_session, reassign, v, walk
from wulian.core import records
from wulian.core.attachments.models import Attachment
from wulian.core.choices import Role
from wulian.core.deadlines.models import Deadline
from wulian.core.errors import AccessDenied, ConcurrentEdit, RuleViolation, TransitionNotAllowed
from wulian.core.models import AuditEvent
from wulian.core.notifications.models import OutboxMessage
from wulian.suggestions import merging, services
from wulian.suggestions.choices import (
    DEADLINE_REPLY,
    Category,
    ContactMethod,
    ReplyCategory,
    Satisfaction,
)
from wulian.suggestions.choices import SuggestionStatus as S
from wulian.suggestions.models import Assignment, Reply, Suggestion, Verdict

pytestmark = pytest.mark.django_db


_numbers = itertools.count(2)


def other_deputy_suggestion(p: Any, *, accepted: bool = True) -> tuple[Suggestion, Any]:
    """A suggestion led by a second deputy (with an account), accepted by the clerk."""
    n = next(_numbers)
    user = account(p.orgs["station"], Role.DEPUTY, username=f"deputy_m{n}", name=f"代表{n}")
    make_session(p)
    s = services.suggestion_submit(
        actor=user,
        data={"title": TITLE, "content": CONTENT + "同意。", "category": Category.URBAN_RURAL},
    )
    if accepted:
        services.suggestion_accept(
            actor=p.users["congress_clerk"], suggestion_id=s.pk, version=v(s)
        )
    return Suggestion.objects.get(pk=s.pk), user


def merge(p: Any, primary: Suggestion, *others: Suggestion, who: str = "congress_clerk") -> Any:
    return merging.suggestion_merge(
        actor=p.users[who],
        primary_id=primary.pk,
        version=v(primary),
        others_ids=[o.pk for o in others],
        other_versions={o.pk: v(o) for o in others},
    )


def events(code: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=code).order_by("id"))


# --- merge and unmerge ------------------------------------------------------------------------


def test_merge_records_each_suggestion_and_tells_the_deputy(personas, client_of):
    p = personas
    primary = walk(p, S.ACCEPTED)
    other, user = other_deputy_suggestion(p)
    merge(p, primary, other, who="gov_supervisor")
    other.refresh_from_db()
    assert other.merged_into_id == primary.pk and other.status == S.ACCEPTED
    (on_other,) = events("suggestions.suggestion.merged_into")
    assert on_other.target_id == str(other.pk) or int(on_other.target_id) == other.pk
    assert json.loads(on_other.before)["merged_into"] is None
    assert json.loads(on_other.after)["merged_into"] == primary.pk
    (on_primary,) = events("suggestions.suggestion.merged")
    assert str(other.pk) in str(on_primary.after)
    assert OutboxMessage.objects.filter(recipient=user, kind="suggestions.suggestion.merged")
    # Listed on the primary's page, with the form to split it for those who may.
    page = client_of(p.users["congress_clerk"]).get(primary.get_absolute_url())
    assert page.status_code == 200
    assert reverse("suggestions:suggestion_unmerge", args=[other.pk]) in page.content.decode()
    # Split again while waiting for assignment.
    merging.suggestion_unmerge(
        actor=p.users["congress_clerk"], suggestion_id=other.pk, version=v(other)
    )
    other.refresh_from_db()
    assert other.merged_into_id is None
    assert len(events("suggestions.suggestion.unmerged")) == 1
    assert len(events("suggestions.suggestion.merge_split")) == 1


def test_merge_refusals(personas):
    p = personas
    primary = walk(p, S.ACCEPTED)
    other, _user = other_deputy_suggestion(p)
    third, _ = other_deputy_suggestion(p)
    for who in ("unit_a", "deputy", "stationed", "cdi_officer"):
        with pytest.raises(AccessDenied):
            merge(p, primary, other, who=who)
    with pytest.raises(ConcurrentEdit):
        merging.suggestion_merge(
            actor=p.users["congress_clerk"],
            primary_id=primary.pk,
            version=v(primary) - 1,
            others_ids=[other.pk],
        )
    with pytest.raises(ConcurrentEdit):
        merging.suggestion_merge(
            actor=p.users["congress_clerk"],
            primary_id=primary.pk,
            version=v(primary),
            others_ids=[other.pk],
            other_versions={other.pk: v(other) + 1},
        )
    submitted, _ = other_deputy_suggestion(p, accepted=False)
    with pytest.raises(TransitionNotAllowed):
        merge(p, primary, submitted)
    merge(p, primary, other)
    # Already merged; a chain (into a merged one, or a primary into another).
    with pytest.raises(RuleViolation):
        merge(p, third, other)
    with pytest.raises(RuleViolation):
        merge(p, other, third)
    with pytest.raises(RuleViolation):
        merge(p, third, primary)
    # Unmerging one that is not merged.
    with pytest.raises(TransitionNotAllowed):
        merging.suggestion_unmerge(
            actor=p.users["congress_clerk"], suggestion_id=third.pk, version=v(third)
        )
    with pytest.raises(AccessDenied):
        merging.suggestion_unmerge(
            actor=p.users["unit_a"], suggestion_id=other.pk, version=v(other)
        )
    with pytest.raises(ConcurrentEdit):
        merging.suggestion_unmerge(
            actor=p.users["congress_clerk"], suggestion_id=other.pk, version=v(other) - 1
        )
    # Nothing half-saved: one merge recorded.
    assert len(events("suggestions.suggestion.merged")) == 1
    assert not Suggestion.objects.filter(merged_into=other).exists()
    # A merged suggestion is not assigned on its own.
    with pytest.raises(RuleViolation):
        services.batch_propose(
            actor=p.users["congress_clerk"],
            items=[{"suggestion_id": other.pk, "lead_unit_id": p.orgs["unit_a"].pk}],
        )


def test_no_merge_or_split_after_assignment(personas):
    p = personas
    primary = walk(p, S.ACCEPTED)
    other, _ = other_deputy_suggestion(p)
    merge(p, primary, other)
    assigned = walk(p, S.ASSIGNED)
    late, _ = other_deputy_suggestion(p)
    with pytest.raises(TransitionNotAllowed):
        merge(p, assigned, late)
    _assign(p, primary)
    with pytest.raises(TransitionNotAllowed):
        merging.suggestion_unmerge(
            actor=p.users["congress_clerk"], suggestion_id=other.pk, version=v(other)
        )


def test_merge_refused_while_a_batch_waits(personas):
    p = personas
    primary = walk(p, S.ACCEPTED)
    other, _ = other_deputy_suggestion(p)
    services.batch_propose(
        actor=p.users["congress_clerk"],
        items=[{"suggestion_id": primary.pk, "lead_unit_id": p.orgs["unit_a"].pk}],
    )
    with pytest.raises(RuleViolation):
        merge(p, primary, other)


# --- downstream -----------------------------------------------------------------------------


def _assign(p: Any, s: Suggestion) -> None:
    batch = services.batch_propose(
        actor=p.users["congress_clerk"],
        items=[
            {
                "suggestion_id": s.pk,
                "version": v(s),
                "lead_unit_id": p.orgs["unit_a"].pk,
                "co_unit_ids": [],
            }
        ],
    )
    services.batch_confirm(
        actor=p.users["gov_supervisor"], batch_id=batch.pk, version=batch.version
    )


def _contact(p: Any, s: Suggestion) -> None:
    services.contact_record(
        actor=p.users["unit_a"],
        suggestion_id=s.pk,
        method=ContactMethod.PHONE,
        contacted_at=timezone.now(),
        agreed="电话联系代表。",
    )


def _reply(p: Any, s: Suggestion) -> Reply:
    return services.reply_send(
        actor=p.users["unit_a"],
        suggestion_id=s.pk,
        version=v(s),
        category=ReplyCategory.B,
        signer="张局长",
        text="已列入明年计划。",
    )


def _verdict(user: Any, s: Suggestion, rating: str) -> Verdict:
    """The deputy's verdict; 不满意 with its reason, and the office then reassigns (重新交办)."""
    unsatisfied = rating == Satisfaction.UNSATISFIED
    verdict = services.verdict_give(
        actor=user,
        suggestion_id=s.pk,
        version=v(s),
        on_attitude=rating,
        on_result=rating,
        comment="问题没有解决" if unsatisfied else "",
    )
    if unsatisfied and Suggestion.objects.get(pk=s.pk).status == S.REOPENED:
        reassign(s)
    return verdict


def test_the_primary_drives_the_merged_and_each_deputy_gets_the_reply_and_rates_it(personas):
    p = personas
    primary = walk(p, S.ACCEPTED)
    other, user = other_deputy_suggestion(p)
    merge(p, primary, other)
    _assign(p, primary)
    other.refresh_from_db()
    assert other.status == S.ASSIGNED and other.lead_unit_id == p.orgs["unit_a"].pk
    assert other.assigned_at is not None and other.reply_due_at is not None
    assert not Assignment.objects.filter(suggestion=other).exists()
    assert len(events("suggestions.suggestion.followed")) == 1
    # The unit of the primary sees and handles the merged one; another unit does not.
    from wulian.core import access

    assert access.can(p.users["unit_a"], "suggestions.suggestion.handle", other)
    assert not access.can(p.users["unit_b"], "suggestions.suggestion.view", other)
    seen = access.scope(p.users["unit_a"], "suggestions.suggestion.view", Suggestion.objects.all())
    assert other in seen
    lead = Assignment.objects.get(suggestion=primary)
    services.assignment_receive(
        actor=p.users["unit_a"], assignment_id=lead.pk, version=lead.version
    )
    other.refresh_from_db()
    assert other.status == S.HANDLING and other.contact_due_at is not None
    _contact(p, primary)
    # Every deputy is contacted before the reply; the merged one's first reply goes on the
    # primary.
    with pytest.raises(RuleViolation):
        _reply(p, primary)
    _contact(p, other)
    with pytest.raises(RuleViolation):
        _reply(p, other)
    reply = _reply(p, primary)
    other.refresh_from_db()
    assert other.status == S.ANSWERED and other.reply_round == 1 and other.reply_category == "B"
    copy = Reply.objects.get(suggestion=other, round=1)
    assert copy.text == reply.text and copy.unit_id == reply.unit_id
    assert OutboxMessage.objects.filter(
        recipient=user, kind="suggestions.reply.sent", url=other.get_absolute_url()
    ).exists()
    # Verdicts per deputy: the primary's deputy is satisfied, the merged one's is not.
    _verdict(p.users["deputy"], Suggestion.objects.get(pk=primary.pk), Satisfaction.SATISFIED)
    with pytest.raises(AccessDenied):
        _verdict(p.users["deputy"], other, Satisfaction.SATISFIED)
    _verdict(user, other, Satisfaction.UNSATISFIED)
    primary.refresh_from_db()
    other.refresh_from_db()
    assert primary.status == S.CLOSED and primary.verdict == Satisfaction.SATISFIED
    assert other.status == S.REOPENED and other.verdict == Satisfaction.UNSATISFIED
    assert Verdict.objects.get(suggestion=other).deputy_id == user.person.pk
    assert Verdict.objects.get(suggestion=primary).deputy_id == p.users["deputy"].person.pk
    # The lead unit re-answers the merged one on its own.
    second = _reply(p, other)
    other.refresh_from_db()
    assert second.round == 2 and other.status == S.ANSWERED
    assert Reply.objects.filter(suggestion=primary).count() == 1


def _merged_and_ready(p: Any) -> tuple[Suggestion, Suggestion, Any]:
    """A primary with one merged suggestion (another deputy's), assigned to unit A alone,
    received, both deputies contacted: ready for the reply."""
    primary = walk(p, S.ACCEPTED)
    other, user = other_deputy_suggestion(p)
    merge(p, primary, other)
    _assign(p, primary)
    lead = Assignment.objects.get(suggestion=primary)
    services.assignment_receive(
        actor=p.users["unit_a"], assignment_id=lead.pk, version=lead.version
    )
    _contact(p, primary)
    _contact(p, other)
    return Suggestion.objects.get(pk=primary.pk), Suggestion.objects.get(pk=other.pk), user


LETTER = "答复函（盖章扫描件）.pdf"


def stored_files() -> list[str]:
    found: list[str] = []
    if not default_storage.exists("attachments"):
        return found
    for y in default_storage.listdir("attachments")[0]:
        for m in default_storage.listdir(f"attachments/{y}")[0]:
            found += default_storage.listdir(f"attachments/{y}/{m}")[1]
    return found


def _reply_with_files(p: Any, s: Suggestion) -> Reply:
    return services.reply_send(
        actor=p.users["unit_a"],
        suggestion_id=s.pk,
        version=v(s),
        category=ReplyCategory.B,
        signer="张局长",
        text="已列入明年计划。",
        files=[files.upload(LETTER, files.PDF), files.upload("附表.docx", files.ooxml("docx"))],
    )


def test_the_reply_files_go_to_each_merged_suggestion_and_its_deputy_downloads_them(
    personas, client_of
):
    p = personas
    primary, other, user = _merged_and_ready(p)
    reply = _reply_with_files(p, primary)

    own = Reply.objects.get(suggestion=other, round=1)
    originals = list(
        Attachment.objects.filter(**records.reference(reply)).order_by("uploaded_at", "id")
    )
    copies = list(Attachment.objects.filter(**records.reference(own)).order_by("uploaded_at", "id"))
    assert [a.original_name for a in originals] == [LETTER, "附表.docx"]
    assert [(a.original_name, a.sm3, a.size, a.media_type) for a in copies] == [
        (a.original_name, a.sm3, a.size, a.media_type) for a in originals
    ]
    # Each copy owns its stored file (the storage is not keyed by content).
    assert {a.storage_name for a in copies}.isdisjoint({a.storage_name for a in originals})
    # The follower's reply event says which files its reply carries.
    [followed] = [
        e
        for e in events("suggestions.suggestion.followed")
        if e.target_id == str(other.pk) and e.after_data["step"] == "reply"
    ]
    assert followed.after_data["reply"] == own.pk
    assert followed.after_data["attachments"] == [a.pk for a in copies]
    assert followed.after_data["attachments_from"] == [a.pk for a in originals]
    copied = events("attachments.attachment.copied")
    assert [(e.target_type, e.target_id) for e in copied] == [
        ("suggestions.reply", str(own.pk))
    ] * 2
    assert [e.after_data["copied_from"] for e in copied] == [a.pk for a in originals]
    # The primary's reply event still names the primary's files.
    [sent] = events("suggestions.reply.sent")
    assert sent.after_data["attachments"] == [a.pk for a in originals]

    # The merged suggestion's deputy sees the files on their page and downloads them.
    deputy = client_of(user)
    page = deputy.get(other.get_absolute_url()).content.decode()
    letter = copies[0]
    assert reverse("attachments:download", args=[letter.pk]) in page
    assert LETTER in page
    r = deputy.get(reverse("attachments:download", args=[letter.pk]))
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == files.PDF
    # … and through the API.
    r = deputy.get(reverse("suggestions_api:suggestion-detail", args=[other.pk]))
    assert r.status_code == 200, r.content
    [listed] = r.json()["replies"]
    assert [a["id"] for a in listed["attachments"]] == [a.pk for a in copies]
    assert listed["attachments"][0]["file_name"] == LETTER
    assert listed["attachments"][0]["sm3"] == letter.sm3
    r = deputy.get(listed["attachments"][0]["url"])
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == files.PDF
    assert "filename*=UTF-8''" in r["Content-Disposition"]
    # The primary's file is not served under the merged suggestion, nor to its deputy at all.
    r = deputy.get(
        reverse(
            "suggestions_api:suggestion-reply-file",
            kwargs={"pk": other.pk, "attachment_id": originals[0].pk},
        )
    )
    assert r.status_code == 404
    assert deputy.get(reverse("attachments:download", args=[originals[0].pk])).status_code == 403

    # Who may not see the merged suggestion does not get its files: the primary's deputy, a
    # unit not assigned.
    for name in ("deputy", "unit_b"):
        client = client_of(p.users[name])
        assert client.get(reverse("attachments:download", args=[letter.pk])).status_code == 403
        r = client.get(listed["attachments"][0]["url"])
        assert r.status_code == 404
        r = client.get(reverse("suggestions_api:suggestion-detail", args=[other.pk]))
        assert r.status_code == 404
    # The primary's deputy still has the primary's own files.
    r = client_of(p.users["deputy"]).get(reverse("attachments:download", args=[originals[0].pk]))
    assert r.status_code == 200


def test_a_removed_reply_file_is_gone_through_the_api(personas, client_of):
    p = personas
    primary, other, user = _merged_and_ready(p)
    _reply_with_files(p, primary)
    own = Reply.objects.get(suggestion=other, round=1)
    letter = Attachment.objects.filter(**records.reference(own)).order_by("id").first()
    from wulian.core.attachments.services import attachment_remove

    attachment_remove(actor=p.users["unit_a"], attachment_id=letter.pk, reason="扫描件不清晰")
    url = reverse(
        "suggestions_api:suggestion-reply-file", kwargs={"pk": other.pk, "attachment_id": letter.pk}
    )
    r = client_of(user).get(url)
    assert r.status_code == 410
    assert r["Content-Type"].startswith("application/problem+json")


def test_when_the_reply_fails_no_file_is_left_behind(personas, monkeypatch):
    p = personas
    primary, _other, _user = _merged_and_ready(p)

    def boom(*args, **kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(merging, "follow", boom)
    with pytest.raises(RuntimeError):
        _reply_with_files(p, primary)
    assert not Reply.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_a_primary_with_open_merged_suggestions_is_not_withdrawn(personas):
    p = personas
    primary = walk(p, S.ACCEPTED)
    other, _ = other_deputy_suggestion(p)
    merge(p, primary, other)
    with pytest.raises(RuleViolation):
        services.suggestion_withdraw(
            actor=p.users["deputy"], suggestion_id=primary.pk, version=v(primary), statement="撤回"
        )
    # The merged one's deputy may withdraw theirs.
    services.suggestion_withdraw(
        actor=Suggestion.objects.get(pk=other.pk).submitted_by,
        suggestion_id=other.pk,
        version=v(other),
        statement="撤回",
    )
    assert Suggestion.objects.get(pk=other.pk).status == S.WITHDRAWN


def test_merging_through_the_page_and_the_api(personas, client_of):
    p = personas
    primary = walk(p, S.ACCEPTED)
    other, _ = other_deputy_suggestion(p)
    clerk = client_of(p.users["congress_clerk"])
    page = clerk.get(primary.get_absolute_url()).content.decode()
    assert reverse("suggestions:suggestion_merge", args=[primary.pk]) in page
    assert other.title in page  # proposed with its score
    r = clerk.post(
        reverse("suggestions:suggestion_merge", args=[primary.pk]),
        {"version": v(primary), "others": [f"{other.pk}:{v(other)}"]},
    )
    assert r.status_code == 302
    assert Suggestion.objects.get(pk=other.pk).merged_into_id == primary.pk
    api = client_of(p.users["gov_supervisor"])
    r = api.post(
        reverse("suggestions_api:suggestion-unmerge", args=[other.pk]),
        {"version": v(other)},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert Suggestion.objects.get(pk=other.pk).merged_into_id is None
    r = api.post(
        reverse("suggestions_api:suggestion-merge", args=[primary.pk]),
        {"version": v(primary), "others": [f"{other.pk}:{v(other)}"]},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert Suggestion.objects.get(pk=other.pk).merged_into_id == primary.pk
    r = api.post(
        reverse("suggestions_api:suggestion-merge", args=[primary.pk]),
        {"version": v(primary) - 1, "others": [f"{other.pk}"]},
        content_type="application/json",
    )
    assert r.status_code == 409


# --- the extension loophole -----------------------------------------------------------------


def test_the_reply_deadline_is_not_extended_on_the_generic_deadline_page(personas, client_of):
    p = personas
    s = walk(p, S.HANDLING)
    d = Deadline.objects.get(object_id=s.pk, kind=DEADLINE_REPLY, state="open")
    r = client_of(p.users["unit_a"]).post(
        reverse("deadlines:extension_request", args=[d.pk]),
        {"version": d.version, "new_due": "2026-10-30", "reason": "需协调"},
    )
    assert r.status_code in (302, 409)
    assert not d.extensions.exists()
    # Through the suggestion's own page it works (and the office decides there).
    services.reply_extension_request(
        actor=p.users["unit_a"],
        suggestion_id=s.pk,
        new_due=timezone.localdate() + timezone.timedelta(days=100),
        reason="需协调",
    )
    assert d.extensions.count() == 1
