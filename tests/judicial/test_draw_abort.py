"""Aborting a draw takes two signatures (issue 11 item 7): the organiser asks, with the reason;
the batch's witness confirms — only then is the draw aborted — or refuses with a note, and the
draw goes on. Each service's success (state, exactly one audit event with before/after, who is
told) and each refusal (wrong state, wrong person, bad input, stale version); the page, the
API, `wulian draw verify` and the export (the reason and both signatures), and the figures."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import account
from tests.judicial import helpers as h
from tests.personas import client_for
from wulian.core.choices import Role
from wulian.core.errors import (
    AccessDenied,
    ConcurrentEdit,
    RuleViolation,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.models import AuditEvent, Membership
from wulian.core.notifications.models import OutboxMessage
from wulian.judicial import selectors, services
from wulian.judicial.choices import BatchState, DrawState
from wulian.judicial.models import Draw, ReviewBatch

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("judicial_env")]


def only_event(code: str) -> AuditEvent:
    events = list(AuditEvent.objects.filter(action=code))
    assert len(events) == 1, [e.action for e in events]
    return events[0]


def told(kind: str) -> set[str]:
    return set(
        OutboxMessage.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def fresh(d: Draw) -> Draw:
    return Draw.objects.get(pk=d.pk)


def colleague(p, org: str = "stationed_group", name: str = "同组干部"):
    """Another desk member of the witness group (or of the organiser's body)."""
    return account(p.orgs[org], Role.STAFF, name=name)


# --- The organiser asks -------------------------------------------------------------------


def test_a_request_leaves_the_draw_live_and_asks_the_witness(p):
    d = h.sealed_draw(p)
    office = colleague(p, "congress_body", "工委同事")
    asked = h.abort_requested(p, d, reason="  抽中专家与案件当事人存在未申报的亲属关系  ")
    d = fresh(asked)
    assert d.state == DrawState.SEALED and d.abort_pending
    assert d.abort_reason == "抽中专家与案件当事人存在未申报的亲属关系"
    assert d.abort_requested_by == p.users["congress_clerk"] and d.aborted_at is None
    event = only_event("judicial.draw.abort_requested")
    assert event.before_data == {"state": "sealed", "abort_pending": False}
    assert event.after_data["abort_pending"] is True
    assert event.after_data["reason"] == d.abort_reason
    assert event.after_data["result_sm3"] == d.current_hash
    assert not AuditEvent.objects.filter(action="judicial.draw.aborted").exists()
    # The draw's witness (who entered the witness's dice) and the organiser's office.
    assert told("judicial.draw.abort_requested") == {"stationed", office.username}
    # Still the batch's live draw: a new one cannot be frozen.
    batch = ReviewBatch.objects.get(pk=d.batch_id)
    with pytest.raises(TransitionNotAllowed):
        services.draw_freeze(
            actor=p.users["congress_clerk"], batch_id=batch.pk, version=batch.version
        )


def test_before_the_dice_every_desk_member_of_the_witness_group_is_asked(p):
    other = colleague(p)
    d = h.abort_requested(p, h.frozen_draw(p))
    assert told("judicial.draw.abort_requested") == {"stationed", other.username}
    confirmed = services.draw_abort_confirm(actor=other, draw_id=d.pk, version=d.version)
    assert confirmed.state == DrawState.ABORTED and confirmed.aborted_by == other


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_request_without_a_reason_is_refused(p, reason):
    d = h.sealed_draw(p)
    with pytest.raises(ValidationFailed) as exc:
        h.abort_requested(p, d, reason=reason)
    assert exc.value.message == "请填写作废原因。" and exc.value.field_errors["reason"]
    assert not fresh(d).abort_pending


def test_a_reason_longer_than_500_characters_is_refused(p):
    d = h.sealed_draw(p)
    with pytest.raises(ValidationFailed) as exc:
        h.abort_requested(p, d, reason="理" * 501)
    assert "不能超过 500 个字" in exc.value.message


@pytest.mark.parametrize("who", ["stationed", "cdi_officer", "expert", "court_clerk"])
def test_only_the_organiser_asks(p, who):
    d = h.sealed_draw(p)
    with pytest.raises(AccessDenied):
        services.draw_abort_request(actor=p.users[who], draw_id=d.pk, version=d.version, reason="x")


def test_a_stale_request_is_refused(p):
    d = h.sealed_draw(p)
    with pytest.raises(ConcurrentEdit):
        services.draw_abort_request(
            actor=p.users["congress_clerk"], draw_id=d.pk, version=d.version - 1, reason="x"
        )
    assert not fresh(d).abort_pending


def test_a_second_request_while_one_waits_is_refused(p):
    d = h.abort_requested(p, reason="第一次")
    with pytest.raises(TransitionNotAllowed) as exc:
        h.abort_requested(p, d, reason="第二次")
    assert "待见证人确认的作废申请" in exc.value.message and "第一次" in exc.value.message


def test_an_aborted_draw_cannot_be_asked_again(p):
    d = h.abort(p, h.sealed_draw(p))
    with pytest.raises(TransitionNotAllowed) as exc:
        h.abort_requested(p, d)
    assert exc.value.message == "该抽取已作废。"


def test_the_next_steps_wait_while_the_witness_has_not_answered(p):
    frozen = h.abort_requested(p, h.frozen_draw(p))
    with pytest.raises(TransitionNotAllowed) as exc:
        services.draw_commit(
            actor=p.users["congress_clerk"], draw_id=frozen.pk, version=frozen.version
        )
    assert "正等待见证人确认" in exc.value.message


def test_the_run_and_the_dice_wait_while_the_witness_has_not_answered(p):
    d = h.committed_draw(p)
    services.draw_enter_input(actor=p.users["stationed"], draw_id=d.pk, value=h.DIGITS_WITNESS)
    d = h.abort_requested(p, fresh(d))
    with pytest.raises(TransitionNotAllowed):
        services.draw_enter_input(
            actor=p.users["congress_clerk"], draw_id=d.pk, value=h.DIGITS_SECOND
        )
    assert fresh(d).state == DrawState.COMMITTED and not fresh(d).seed


def test_the_review_does_not_open_while_an_abort_waits(p):
    d = h.sealed_draw(p)
    h.accept_all(d)
    h.abort_requested(p, fresh(d))
    batch = ReviewBatch.objects.get(pk=d.batch_id)
    with pytest.raises(TransitionNotAllowed) as exc:
        services.batch_open_review(
            actor=p.users["congress_clerk"], batch_id=batch.pk, version=batch.version
        )
    assert "正等待见证人确认" in exc.value.message
    assert ReviewBatch.objects.get(pk=batch.pk).state == BatchState.DRAWING


# --- The witness confirms -----------------------------------------------------------------


def test_the_witness_confirms_and_the_draw_is_aborted(p):
    d = h.abort_requested(p, reason="专家无法联系")
    office = colleague(p, "congress_body", "工委同事")
    d = services.draw_abort_confirm(actor=p.users["stationed"], draw_id=d.pk, version=d.version)
    d = fresh(d)
    assert d.state == DrawState.ABORTED and not d.abort_pending
    assert d.aborted_by == p.users["stationed"] and d.aborted_at is not None
    event = only_event("judicial.draw.aborted")
    assert event.before_data == {"state": "sealed"}
    assert event.after_data["state"] == "aborted"
    assert event.after_data["reason"] == "专家无法联系"
    assert event.after_data["requested_by"] == p.users["congress_clerk"].pk
    assert event.organisation_id_at_time == p.orgs["stationed_group"].pk
    assert told("judicial.draw.aborted") == {"congress_clerk", office.username}
    batch = ReviewBatch.objects.get(pk=d.batch_id)
    new = services.draw_freeze(
        actor=p.users["congress_clerk"], batch_id=batch.pk, version=batch.version
    )
    assert new.replaces_id == d.pk


def test_the_organiser_cannot_confirm(p):
    d = h.abort_requested(p)
    with pytest.raises(AccessDenied) as exc:
        services.draw_abort_confirm(
            actor=p.users["congress_clerk"], draw_id=d.pk, version=d.version
        )
    assert "监督见证单位（驻人大纪检监察组）的见证人" in exc.value.message
    assert fresh(d).state == DrawState.SEALED


def test_nobody_confirms_his_own_request_even_with_a_seat_in_the_witness_group(p):
    d = h.sealed_draw(p)
    both = colleague(p, "congress_body", "兼职干部")
    Membership.objects.create(
        person=both.person, organisation=p.orgs["stationed_group"], role=Role.STAFF
    )
    d = services.draw_abort_request(actor=both, draw_id=d.pk, version=d.version, reason="x")
    with pytest.raises(RuleViolation) as exc:
        services.draw_abort_confirm(actor=both, draw_id=d.pk, version=d.version)
    assert "您本人提出" in exc.value.message
    assert fresh(d).state == DrawState.SEALED and fresh(d).abort_pending


@pytest.mark.parametrize("who", ["cdi_officer", "cdi_clue", "expert", "court_clerk", "unit_a"])
def test_a_non_witness_cannot_confirm(p, who):
    d = h.abort_requested(p)
    with pytest.raises(AccessDenied):
        services.draw_abort_confirm(actor=p.users[who], draw_id=d.pk, version=d.version)


def test_once_the_dice_are_in_only_the_draws_witness_confirms(p):
    d = h.abort_requested(p)
    other = colleague(p)
    with pytest.raises(AccessDenied) as exc:
        services.draw_abort_confirm(actor=other, draw_id=d.pk, version=d.version)
    assert p.users["stationed"].person.name in exc.value.message
    # Once the witness has left the group, another member of it co-signs.
    Membership.objects.filter(
        person=p.users["stationed"].person, organisation=p.orgs["stationed_group"]
    ).update(is_active=False)
    d = services.draw_abort_confirm(actor=other, draw_id=d.pk, version=d.version)
    assert fresh(d).state == DrawState.ABORTED and fresh(d).aborted_by == other


def test_a_stale_confirmation_is_refused(p):
    d = h.abort_requested(p)
    with pytest.raises(ConcurrentEdit):
        services.draw_abort_confirm(actor=p.users["stationed"], draw_id=d.pk, version=d.version - 1)
    assert fresh(d).state == DrawState.SEALED


def test_nothing_to_confirm_without_a_request(p):
    d = h.sealed_draw(p)
    with pytest.raises(TransitionNotAllowed) as exc:
        services.draw_abort_confirm(actor=p.users["stationed"], draw_id=d.pk, version=d.version)
    assert "没有待确认的作废申请" in exc.value.message
    d = h.abort(p, fresh(d))
    with pytest.raises(TransitionNotAllowed) as exc:
        services.draw_abort_confirm(actor=p.users["stationed"], draw_id=d.pk, version=d.version)
    assert exc.value.message == "该抽取已作废。"


# --- The witness refuses ------------------------------------------------------------------


def test_the_witness_refuses_and_the_draw_goes_on(p):
    d = h.witnessed_draw(p)
    d = h.abort_requested(p, d, reason="重新抽取更稳妥")
    d = services.draw_abort_refuse(
        actor=p.users["stationed"], draw_id=d.pk, version=d.version, note="理由不成立，继续抽取"
    )
    d = fresh(d)
    assert d.state == DrawState.COMMITTED and not d.abort_pending
    assert d.abort_refused_by == p.users["stationed"]
    assert d.abort_refusal_note == "理由不成立，继续抽取"
    event = only_event("judicial.draw.abort_refused")
    assert event.before_data == {"state": "committed", "abort_pending": True}
    assert event.after_data["abort_pending"] is False
    assert event.after_data["note"] == "理由不成立，继续抽取"
    assert event.after_data["reason"] == "重新抽取更稳妥"
    assert told("judicial.draw.abort_refused") == {"congress_clerk"}
    # The draw goes on; the organiser may ask again.
    d = services.draw_run(actor=p.users["congress_clerk"], draw_id=d.pk, version=d.version)
    assert d.state == DrawState.SEALED
    again = h.abort_requested(p, d, reason="第二次申请")
    assert fresh(again).abort_pending and fresh(again).abort_refusal_note == ""


@pytest.mark.parametrize("note", ["", "  "])
def test_a_refusal_without_a_note_is_refused(p, note):
    d = h.abort_requested(p)
    with pytest.raises(ValidationFailed) as exc:
        services.draw_abort_refuse(
            actor=p.users["stationed"], draw_id=d.pk, version=d.version, note=note
        )
    assert exc.value.message == "请填写不同意作废的理由。" and exc.value.field_errors["note"]
    assert fresh(d).abort_pending


def test_the_organiser_cannot_refuse_and_a_stale_refusal_is_refused(p):
    d = h.abort_requested(p)
    with pytest.raises(AccessDenied):
        services.draw_abort_refuse(
            actor=p.users["congress_clerk"], draw_id=d.pk, version=d.version, note="x"
        )
    with pytest.raises(ConcurrentEdit):
        services.draw_abort_refuse(
            actor=p.users["stationed"], draw_id=d.pk, version=d.version - 1, note="x"
        )
    assert fresh(d).abort_pending


# --- The page -----------------------------------------------------------------------------


def test_the_draw_page_takes_both_signatures(p):
    d = h.sealed_draw(p)
    url = d.get_absolute_url()
    organiser, witness = client_for(p.users["congress_clerk"]), client_for(p.users["stationed"])
    page = organiser.get(url).content.decode()
    form = re.search(r'<form[^>]*action="[^"]*/abort/"[^>]*>', page).group(0)
    assert "data-confirm=" in form and "不能撤销" in form
    assert "/abort/confirm/" not in witness.get(url).content.decode()

    empty = organiser.post(reverse("judicial:draw_abort", args=[d.pk]), {"version": d.version})
    assert empty.status_code == 400 and not fresh(d).abort_pending
    asked = organiser.post(
        reverse("judicial:draw_abort", args=[d.pk]),
        {"version": d.version, "reason": "专家无法联系"},
    )
    assert asked.status_code == 302
    page = organiser.get(url).content.decode()
    assert 'data-abort="pending"' in page and "专家无法联系" in page
    # No second request while one waits, and the organiser does not co-sign.
    assert f'action="{reverse("judicial:draw_abort", args=[d.pk])}"' not in page
    assert "/abort/confirm/" not in page
    # The review cannot be opened from the batch page while the abort waits.
    h.accept_all(fresh(d))
    batch_page = organiser.get(reverse("judicial:batch_detail", args=[d.batch_id])).content
    assert reverse("judicial:batch_open_review", args=[d.batch_id]) not in batch_page.decode()
    assert "作废申请待见证人确认" in batch_page.decode()

    page = witness.get(url).content.decode()
    confirm = re.search(r'<form[^>]*action="[^"]*/abort/confirm/"[^>]*>', page).group(0)
    assert "data-confirm=" in confirm and "不能撤销" in confirm
    version = fresh(d).version
    refused = witness.post(
        reverse("judicial:draw_abort_refuse", args=[d.pk]), {"version": version, "note": ""}
    )
    assert refused.status_code == 400 and fresh(d).abort_pending
    stale = witness.post(
        reverse("judicial:draw_abort_confirm", args=[d.pk]), {"version": version - 1}
    )
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    done = witness.post(reverse("judicial:draw_abort_confirm", args=[d.pk]), {"version": version})
    assert done.status_code == 302 and fresh(d).state == DrawState.ABORTED
    page = organiser.get(url).content.decode()
    assert 'data-abort="confirmed"' in page
    assert p.users["stationed"].person.name in page.split('id="abort"')[1]


def test_the_organiser_posting_a_confirmation_gets_403(p):
    d = h.abort_requested(p)
    response = client_for(p.users["congress_clerk"]).post(
        reverse("judicial:draw_abort_confirm", args=[d.pk]), {"version": d.version}
    )
    assert response.status_code == 403
    assert fresh(d).state == DrawState.SEALED


# --- The API ------------------------------------------------------------------------------


def _post(client, name: str, pk: int, body: dict):
    return client.post(
        reverse(name, args=[pk]),
        json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )


def test_the_api_asks_and_the_witness_confirms(p):
    d = h.sealed_draw(p)
    organiser, witness = client_for(p.users["congress_clerk"]), client_for(p.users["stationed"])
    empty = _post(organiser, "judicial_api:draw-abort", d.pk, {"version": d.version})
    assert empty.status_code == 400
    assert "reason" in empty.json()["errors"] and "作废原因" in empty.json()["detail"]
    asked = _post(
        organiser, "judicial_api:draw-abort", d.pk, {"version": d.version, "reason": "专家无法联系"}
    )
    assert asked.status_code == 200, asked.content
    body = asked.json()
    assert body["state"] == "sealed"
    assert body["abort"]["state"] == "pending" and body["abort"]["reason"] == "专家无法联系"
    assert body["abort"]["requested_by"] == p.users["congress_clerk"].person.name
    own = _post(organiser, "judicial_api:draw-abort-confirm", d.pk, {"version": body["version"]})
    assert own.status_code == 403
    stale = _post(witness, "judicial_api:draw-abort-confirm", d.pk, {"version": d.version})
    assert stale.status_code == 409
    done = _post(witness, "judicial_api:draw-abort-confirm", d.pk, {"version": body["version"]})
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "aborted"
    assert done.json()["abort"]["state"] == "confirmed"
    assert done.json()["abort"]["confirmed_by"] == p.users["stationed"].person.name


def test_the_api_refusal_needs_a_note(p):
    d = h.abort_requested(p)
    witness = client_for(p.users["stationed"])
    bad = _post(witness, "judicial_api:draw-abort-refuse", d.pk, {"version": d.version})
    assert bad.status_code == 400 and "不同意作废的理由" in bad.json()["detail"]
    ok = _post(
        witness, "judicial_api:draw-abort-refuse", d.pk, {"version": d.version, "note": "不同意"}
    )
    assert ok.status_code == 200
    assert ok.json()["abort"]["state"] == "refused"
    assert ok.json()["abort"]["refusal_note"] == "不同意"
    assert ok.json()["state"] == "sealed"


# --- Verify and export --------------------------------------------------------------------


def test_verify_states_the_reason_and_both_signatures(p):
    d = h.abort(p, h.sealed_draw(p), reason="专家无法联系")
    out = StringIO()
    call_command("draw", "verify", d.code, stdout=out)
    line = out.getvalue()
    assert f"{d.code}\tOK" in line
    assert "作废原因：专家无法联系" in line
    requested = only_event("judicial.draw.abort_requested")
    confirmed = only_event("judicial.draw.aborted")
    clerk, witness = p.users["congress_clerk"].person.name, p.users["stationed"].person.name
    assert f"申请：{clerk}（代表工委）" in line and f"审计#{requested.seq}" in line
    assert f"见证人确认：{witness}（驻人大纪检监察组）" in line and f"审计#{confirmed.seq}" in line


def test_the_export_carries_the_reason_and_both_signatures(p, tmp_path):
    d = h.abort(p, h.sealed_draw(p), reason="专家无法联系")
    path = tmp_path / "record.json"
    call_command("draw", "export", d.code, "-o", str(path), stderr=StringIO())
    abort = json.loads(path.read_text(encoding="utf-8"))["abort"]
    requested = only_event("judicial.draw.abort_requested")
    confirmed = only_event("judicial.draw.aborted")
    assert abort["state"] == "confirmed" and abort["reason"] == "专家无法联系"
    assert abort["requested"]["by"] == p.users["congress_clerk"].person.name
    assert abort["requested"]["organisation"] == "代表工委"
    assert (abort["requested"]["audit_seq"], abort["requested"]["audit_hash"]) == (
        requested.seq,
        requested.hash,
    )
    assert abort["confirmed"]["by"] == p.users["stationed"].person.name
    assert abort["confirmed"]["organisation"] == "驻人大纪检监察组"
    assert abort["confirmed"]["audit_hash"] == confirmed.hash
    assert abort["confirmed"]["at"].startswith("2026-06-15T10:")


def test_verify_fails_when_the_stored_reason_or_signature_was_changed(p):
    d = h.abort(p, h.sealed_draw(p), reason="专家无法联系")
    Draw.objects.filter(pk=d.pk).update(abort_reason="组织单位认为结果不理想")
    check = services.draw_verify_record(fresh(d))
    assert not check.ok and "审计链中记录的作废原因与存储的不符" in check.problems
    Draw.objects.filter(pk=d.pk).update(abort_reason="专家无法联系", aborted_by=None)
    check = services.draw_verify_record(fresh(d))
    assert not check.ok and "作废缺少见证人的确认" in check.problems


def test_a_draw_aborted_before_the_co_signature_says_so_and_verifies(p):
    """As migration 0003 leaves them: the organiser's one-step abort is the request."""
    from wulian.core import audit

    d = h.frozen_draw(p)
    Draw.objects.filter(pk=d.pk).update(
        state=DrawState.ABORTED,
        abort_reason="旧流程作废",
        abort_requested_at=d.created_at,
        abort_requested_by=p.users["congress_clerk"],
        aborted_at=d.created_at,
    )
    audit.record(
        action="judicial.draw.aborted",
        actor=p.users["congress_clerk"],
        target=d,
        before={"state": "frozen"},
        after={"state": "aborted", "reason": "旧流程作废"},
    )
    check = services.draw_verify_record(fresh(d))
    assert check.ok, check.problems
    assert check.abort["state"] == "unconfirmed"
    assert "见证人确认：无" in check.line()


# --- Figures ------------------------------------------------------------------------------


def test_the_figures_count_requested_and_confirmed_aborts_per_year_and_batch(p):
    first = h.abort(p, h.sealed_draw(p))  # batch of 2023: asked and confirmed
    batch = ReviewBatch.objects.get(pk=first.batch_id)
    second = services.draw_freeze(
        actor=p.users["congress_clerk"], batch_id=batch.pk, version=batch.version
    )
    h.abort_requested(p, second)  # asked, waiting
    other = h.make_batch(p, cases=0, year=2024, title="2024年批次")
    h.make_case(p, "（2024）鄂02民初1号", batch=other)
    third = h.frozen_draw(p, batch=other)
    third = h.abort_requested(p, third)
    services.draw_abort_refuse(
        actor=p.users["stationed"], draw_id=third.pk, version=third.version, note="不同意"
    )

    f = selectors.figures(actor=p.users["cdi_officer"])
    assert (f.draws_abort_requested.value, f.draws_aborted.value) == (3, 1)
    f2023 = selectors.figures(actor=p.users["cdi_officer"], year=2023)
    assert (f2023.draws_abort_requested.value, f2023.draws_aborted.value) == (2, 1)
    assert [(b.title, b.requested, b.confirmed) for b in f2023.aborts_by_batch] == [
        (batch.title, 2, 1)
    ]
    assert [(b.year, b.requested, b.confirmed) for b in f.aborts_by_batch] == [
        (2024, 1, 0),
        (2023, 2, 1),
    ]

    client = client_for(p.users["cdi_officer"])
    page = client.get(reverse("judicial:figures"), {"year": 2023}).content.decode()
    links = dict(re.findall(r'data-figure="([^"]+)" href="([^"]+)"', page))
    assert 'data-figures="aborts-by-batch"' in page
    requested = client.get(links["draws-abort-requested"].replace("&amp;", "&")).content.decode()
    assert first.code in requested and second.code in requested and third.code not in requested
    aborted = client.get(links["draws-aborted"].replace("&amp;", "&")).content.decode()
    assert first.code in aborted and second.code not in aborted


def test_the_figures_api_counts_aborts_too(p):
    d = h.abort(p, h.sealed_draw(p))
    response = client_for(p.users["stationed"]).get(
        reverse("judicial_api:figures"), {"year": 2023}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["draws_abort_requested"]["value"] == 1 and body["draws_aborted"]["value"] == 1
    assert body["draws_aborted"]["url"].endswith("?year=2023&state=aborted")
    assert body["aborts_by_batch"] == [
        {
            "batch": d.batch_id,
            "title": d.batch.title,
            "year": 2023,
            "requested": 1,
            "confirmed": 1,
            "url": reverse("judicial:batch_detail", args=[d.batch_id]),
        }
    ]
    assert client_for(p.users["unit_a"]).get(reverse("judicial_api:figures")).status_code == 403
