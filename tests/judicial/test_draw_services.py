"""The draw's services: freeze, commit, witness inputs, run and seal, accept/decline with
substitution, abort (asked and co-signed, tests/judicial/test_draw_abort.py) and redraw,
verification — each step's success (state, exactly one audit event of its code with the
hashes) and its refusals (no access, wrong state, bad input)."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import account
from tests.judicial import helpers as h
from wulian.core.choices import ExpertCategory, Role
from wulian.core.errors import AccessDenied, TransitionNotAllowed, ValidationFailed
from wulian.core.models import AuditEvent
from wulian.core.notifications.models import OutboxMessage
from wulian.judicial import draw as engine
from wulian.judicial import services
from wulian.judicial.choices import BatchState, DrawState, InvitationState
from wulian.judicial.models import Draw, Invitation, PoolVersion, ReviewBatch, WitnessInput

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("judicial_env")]

REPO = Path(__file__).resolve().parents[2]


def only_event(code: str) -> AuditEvent:
    events = list(AuditEvent.objects.filter(action=code))
    assert len(events) == 1, [e.action for e in events]
    return events[0]


def bigger_pool(p, lawyers: int = 4, professors: int = 4, deputies: int = 3) -> None:
    """Every expert with an account, so that any of them can answer."""
    body = p.orgs["congress_body"]
    h.make_expert(person=p.users["expert"].person, category=ExpertCategory.LAWYER)
    for i in range(lawyers - 1):
        person = account(body, Role.EXPERT, name=f"律师{i}").person
        h.make_expert(person=person, category=ExpertCategory.LAWYER)
    for i in range(professors):
        person = account(body, Role.EXPERT, name=f"教授{i}").person
        h.make_expert(person=person, category=ExpertCategory.PROFESSOR, employer=f"大学{i}")
    for i in range(deputies):
        person = account(body, Role.EXPERT, name=f"代表{i}").person
        h.make_expert(person=person, category=ExpertCategory.DEPUTY, employer=f"公司{i}")


def an_invitation(d: Draw) -> Invitation:
    """The first lawyer's invitation (a category with reserves)."""
    return (
        Invitation.objects.filter(draw=d, expert__profile__category=ExpertCategory.LAWYER)
        .select_related("expert__profile__person__user")
        .order_by("id")
        .first()
    )


# --- Freeze -------------------------------------------------------------------------------


def test_freeze_records_the_manifest_and_its_hash_in_the_audit_chain(p):
    h.small_pool(p)
    batch = h.make_batch(p)
    d = services.draw_freeze(actor=p.users["congress_clerk"], batch_id=batch.pk, version=1)
    assert d.state == DrawState.FROZEN
    assert ReviewBatch.objects.get(pk=batch.pk).state == BatchState.DRAWING
    manifest = engine.Manifest.from_json(d.manifest)
    assert manifest.hash == d.manifest_hash == engine.sm3_hex(d.manifest.encode())
    assert [c.ref for c in manifest.cases] == ["（2023）鄂02民初123号"]
    assert d.pool_version.hash == manifest.pool_hash
    event = only_event("judicial.draw.frozen")
    assert event.after_data["manifest_sm3"] == d.manifest_hash
    assert event.after_data["pool_hash"] == d.pool_version.hash
    assert not d.secret and not d.commitment and not d.seed


def test_an_impossible_quota_is_explained_and_nothing_is_saved(p):
    h.small_pool(p)
    batch = h.make_batch(p, minimums={"lawyer": 2, "professor": 1})
    with pytest.raises(ValidationFailed) as exc:
        services.draw_freeze(actor=p.users["congress_clerk"], batch_id=batch.pk, version=1)
    assert "「律师」类至少需要2人" in exc.value.message
    assert "仅剩1人" in exc.value.message
    assert exc.value.field_errors["rules"]
    assert not Draw.objects.exists() and not PoolVersion.objects.exists()
    assert ReviewBatch.objects.get(pk=batch.pk).state == BatchState.PREPARING
    assert not AuditEvent.objects.filter(action__startswith="judicial.draw").exists()


def test_an_expert_who_is_a_partys_lawyer_is_excluded_and_the_quota_then_fails(p):
    pool = h.small_pool(p)
    lawyer = pool[0]
    batch = h.make_batch(p, cases=0)
    h.make_case(
        p,
        batch=batch,
        lawyers=[{"name": lawyer.profile.person.name, "firm": "别的律所", "party": ""}],
    )
    with pytest.raises(ValidationFailed) as exc:
        services.draw_freeze(actor=p.users["congress_clerk"], batch_id=batch.pk, version=1)
    assert "申报有利害关系1人" in exc.value.message
    assert not Draw.objects.exists()


def test_a_same_firm_expert_is_excluded_with_the_rule_recorded(p):
    bigger_pool(p)
    lawyer = h.make_expert(
        name="同所律师", category=ExpertCategory.LAWYER, firm="湖北众邦律师事务所"
    )
    batch = h.make_batch(p, cases=0)
    h.make_case(
        p, batch=batch, lawyers=[{"name": "李四", "firm": "湖北众邦律师事务所", "party": ""}]
    )
    d = services.draw_freeze(actor=p.users["congress_clerk"], batch_id=batch.pk, version=1)
    manifest = engine.Manifest.from_json(d.manifest)
    rules = {(e.expert_ref, e.rule) for e in manifest.exclusions}
    assert (lawyer.ref, "same_firm") in rules


def test_a_reused_draw_id_is_refused(p):
    d = h.frozen_draw(p)
    h.abort(p, d, reason="x")
    batch = ReviewBatch.objects.get(pk=d.batch_id)
    with pytest.raises(ValidationFailed) as exc:
        services.draw_freeze(
            actor=p.users["congress_clerk"], batch_id=batch.pk, version=batch.version, code=d.code
        )
    assert "已经使用过" in exc.value.message and "code" in exc.value.field_errors
    assert Draw.objects.count() == 1


def test_a_second_live_draw_is_refused(p):
    d = h.frozen_draw(p)
    batch = ReviewBatch.objects.get(pk=d.batch_id)
    with pytest.raises(TransitionNotAllowed):
        services.draw_freeze(
            actor=p.users["congress_clerk"], batch_id=batch.pk, version=batch.version
        )


@pytest.mark.parametrize("who", ["stationed", "cdi_officer", "unit_a", "expert", "court_clerk"])
def test_only_the_organiser_freezes(p, who):
    h.small_pool(p)
    batch = h.make_batch(p)
    with pytest.raises(AccessDenied):
        services.draw_freeze(actor=p.users[who], batch_id=batch.pk, version=1)


# --- Commit and witness inputs ------------------------------------------------------------


def test_commit_stores_the_secret_encrypted_and_chains_its_hash(p):
    d = h.committed_draw(p)
    assert d.state == DrawState.COMMITTED
    assert engine.commitment(bytes.fromhex(d.secret)) == d.commitment
    with connection.cursor() as cur:
        cur.execute("SELECT secret FROM judicial_draw WHERE id = %s", [d.pk])
        raw = cur.fetchone()[0]
    assert d.secret not in raw
    event = only_event("judicial.draw.committed")
    assert event.after_data["commitment"] == d.commitment
    assert d.secret not in event.after


def test_a_witness_input_before_the_commitment_is_refused(p):
    d = h.frozen_draw(p)
    with pytest.raises(TransitionNotAllowed) as exc:
        services.draw_enter_input(actor=p.users["stationed"], draw_id=d.pk, value="314159265358")
    assert "尚未承诺" in exc.value.message
    assert not WitnessInput.objects.exists()


def test_witness_inputs_roles_and_one_each(p):
    d = h.committed_draw(p)
    w = services.draw_enter_input(actor=p.users["stationed"], draw_id=d.pk, value="3141 5926 5358")
    assert (w.role, w.value) == ("witness", "314159265358")
    assert only_event("judicial.draw.input_entered").after_data["value"] == "314159265358"
    with pytest.raises(TransitionNotAllowed):
        services.draw_enter_input(actor=p.users["stationed"], draw_id=d.pk, value="271828182845")
    second = services.draw_enter_input(
        actor=p.users["congress_clerk"], draw_id=d.pk, value="271828182845"
    )
    assert second.role == "second"


@pytest.mark.parametrize("value", ["", "12345", "1234567890ab", "111111111111"])
def test_a_malformed_witness_input_is_refused(p, value):
    d = h.committed_draw(p)
    with pytest.raises(ValidationFailed) as exc:
        services.draw_enter_input(actor=p.users["stationed"], draw_id=d.pk, value=value)
    assert exc.value.field_errors["value"]


@pytest.mark.parametrize("who", ["cdi_officer", "unit_a", "expert", "court_clerk"])
def test_only_the_witness_and_the_organiser_enter_inputs(p, who):
    d = h.committed_draw(p)
    with pytest.raises(AccessDenied):
        services.draw_enter_input(actor=p.users[who], draw_id=d.pk, value="314159265358")


# --- Run and seal -------------------------------------------------------------------------


def test_run_is_refused_until_both_inputs_are_in(p):
    d = h.committed_draw(p)
    with pytest.raises(TransitionNotAllowed):
        services.draw_run(actor=p.users["congress_clerk"], draw_id=d.pk, version=d.version)
    services.draw_enter_input(actor=p.users["stationed"], draw_id=d.pk, value="314159265358")
    with pytest.raises(TransitionNotAllowed) as exc:
        services.draw_run(actor=p.users["congress_clerk"], draw_id=d.pk, version=d.version)
    assert "第二输入人" in exc.value.message


def test_run_seals_the_result_and_invites_without_case_details(p):
    d = h.sealed_draw(p)
    assert d.state == DrawState.SEALED
    expected_seed = engine.seed(
        manifest_hash=d.manifest_hash,
        secret=bytes.fromhex(d.secret),
        witness_inputs=[h.DIGITS_WITNESS, h.DIGITS_SECOND],
    )
    assert d.seed == expected_seed.hex()
    result = engine.Result.from_json(d.result)
    assert result.hash == d.result_hash == d.current_hash
    assert len(result.panels[0].members) == 3
    with connection.cursor() as cur:
        cur.execute("SELECT result FROM judicial_draw WHERE id = %s", [d.pk])
        raw = cur.fetchone()[0]
    assert not any(ref in raw for ref in result.panels[0].members), "the result is not sealed"
    event = only_event("judicial.draw.sealed")
    assert event.after_data["seed"] == d.seed
    assert event.after_data["result_sm3"] == d.result_hash
    assert event.after_data["manifest_sm3"] == d.manifest_hash
    assert event.after_data["commitment"] == d.commitment
    assert Invitation.objects.filter(draw=d).count() == 3
    messages = OutboxMessage.objects.filter(kind="judicial.draw.sealed")
    assert {m.recipient_id for m in messages} == {p.users["expert"].pk}
    for m in messages:
        assert "鄂02" not in m.title + m.body and "法院" not in m.title + m.body
    assert services.draw_verify_record(d).ok


def test_the_same_inputs_always_give_the_same_result(p):
    d = h.sealed_draw(p)
    manifest = engine.Manifest.from_json(d.manifest)
    again = engine.run(manifest, bytes.fromhex(d.seed))
    assert again.hash == d.result_hash


# --- Accept and decline -------------------------------------------------------------------


def _sealed_big(p) -> Draw:
    bigger_pool(p)
    return h.sealed_draw(p, batch=h.make_batch(p, cases=2))


def test_accept(p):
    d = h.sealed_draw(p)
    inv = Invitation.objects.get(draw=d, expert__profile__person=p.users["expert"].person)
    inv = services.invitation_accept(actor=p.users["expert"], invitation_id=inv.pk, version=1)
    assert inv.state == InvitationState.ACCEPTED
    assert only_event("judicial.invitation.accepted").before_data == {"state": "invited"}
    with pytest.raises(TransitionNotAllowed):
        services.invitation_accept(actor=p.users["expert"], invitation_id=inv.pk, version=2)


def test_someone_else_cannot_answer_an_invitation(p):
    d = h.sealed_draw(p)
    inv = Invitation.objects.get(draw=d, expert__profile__person=p.users["expert"].person)
    for who in ("stationed", "cdi_officer", "deputy", "court_clerk"):
        with pytest.raises(AccessDenied):
            services.invitation_accept(actor=p.users[who], invitation_id=inv.pk, version=1)


def test_the_organiser_records_an_answer_given_by_telephone(p):
    d = h.sealed_draw(p)
    inv = Invitation.objects.get(draw=d, expert__profile__person__name="李教授")
    services.invitation_accept(actor=p.users["congress_clerk"], invitation_id=inv.pk, version=1)
    event = only_event("judicial.invitation.accepted")
    assert event.actor_id == p.users["congress_clerk"].pk
    assert event.after_data["by_expert"] is False


def test_a_decline_brings_in_the_next_reserve_of_the_same_category_never_a_new_seed(p):
    d = _sealed_big(p)
    result = engine.Result.from_json(d.result)
    inv = an_invitation(d)
    ref = inv.expert.ref
    seats = [
        (panel.case_ref, panel.categories[panel.members.index(ref)], panel.reserves)
        for panel in result.panels
        if ref in panel.members
    ]
    assert seats
    seed = d.seed
    services.invitation_decline(
        actor=inv.expert.profile.person.user,
        invitation_id=inv.pk,
        version=inv.version,
        reason="出差",
    )
    d.refresh_from_db()
    assert d.seed == seed  # never a new seed
    after = engine.Result.from_json(d.result)
    assert d.current_hash == after.hash != d.result_hash
    assert after.original().hash == d.result_hash
    for case_ref, category, reserves in seats:
        panel = after.panel(case_ref)
        assert ref not in panel.members
        sub = next(s for s in after.substitutions if s.case_ref == case_ref)
        assert (sub.declined, sub.category) == (ref, category)
        assert sub.replacement == reserves[category][0]
    event = only_event("judicial.invitation.declined")
    assert event.after_data["result_sm3"] == d.current_hash
    replacements = {sub.replacement for sub in after.substitutions}
    assert Invitation.objects.filter(draw=d, state="invited").count() >= 1
    invited = {i.expert.ref for i in Invitation.objects.filter(draw=d).select_related("expert")}
    assert replacements <= invited
    assert services.draw_verify_record(Draw.objects.get(pk=d.pk)).ok


def test_a_decline_when_reserves_are_exhausted_is_refused_and_nothing_changes(p):
    d = h.sealed_draw(p)  # pool of exactly three: no reserves
    inv = Invitation.objects.get(draw=d, expert__profile__person=p.users["expert"].person)
    with pytest.raises(TransitionNotAllowed) as exc:
        services.invitation_decline(actor=p.users["expert"], invitation_id=inv.pk, version=1)
    assert "候补专家已用完" in exc.value.message and "重新抽取" in exc.value.message
    d2 = Draw.objects.get(pk=d.pk)
    assert d2.current_hash == d.current_hash
    assert Invitation.objects.get(pk=inv.pk).state == InvitationState.INVITED


# --- Abort and redraw ---------------------------------------------------------------------


def test_an_aborted_draw_is_kept_and_the_next_one_references_it(p):
    d = h.sealed_draw(p)
    h.abort(p, d, reason="专家无法联系")
    event = only_event("judicial.draw.aborted")
    assert event.after_data["reason"] == "专家无法联系"
    batch = ReviewBatch.objects.get(pk=d.batch_id)
    assert batch.state == BatchState.DRAWING
    new = services.draw_freeze(
        actor=p.users["congress_clerk"], batch_id=batch.pk, version=batch.version
    )
    assert new.replaces_id == d.pk and new.code != d.code
    frozen = AuditEvent.objects.filter(action="judicial.draw.frozen").order_by("seq").last()
    assert frozen.after_data["replaces"] == d.code
    inv = Invitation.objects.filter(draw=d).first()
    with pytest.raises(TransitionNotAllowed):
        services.invitation_accept(
            actor=inv.expert.profile.person.user or p.users["expert"],
            invitation_id=inv.pk,
            version=inv.version,
        )


def test_a_draw_cannot_be_aborted_once_the_review_is_open(p):
    batch = h.reviewing_batch(p)
    d = Draw.objects.get(batch=batch)
    with pytest.raises(TransitionNotAllowed):
        services.draw_abort_request(
            actor=p.users["congress_clerk"], draw_id=d.pk, version=d.version, reason="x"
        )


# --- Verification -------------------------------------------------------------------------


def test_verify_fails_when_a_witness_input_was_altered(p):
    d = h.sealed_draw(p)
    WitnessInput.objects.filter(draw=d, role="witness").update(value="999999999998")
    result = services.draw_verify_record(Draw.objects.get(pk=d.pk))
    assert not result.ok
    assert any("种子" in line for line in result.problems)


def test_verify_fails_when_the_result_was_altered(p):
    bigger_pool(p)
    d = h.sealed_draw(p, batch=h.make_batch(p, cases=2))
    result = engine.Result.from_json(d.result)
    panel = result.panels[0]
    swapped = engine.Panel(
        panel.case_ref,
        tuple(reversed(panel.members)),
        tuple(reversed(panel.categories)),
        panel.reserves,
    )
    forged = engine.Result((swapped, *result.panels[1:]))
    d.result = forged.canonical().decode()
    d.save(update_fields=["result"])
    check = services.draw_verify_record(Draw.objects.get(pk=d.pk))
    assert not check.ok


def test_verify_fails_when_the_manifest_and_its_hash_were_both_replaced(p):
    d = h.sealed_draw(p)
    data = json.loads(d.manifest)
    data["batch_cap"] += 1
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    Draw.objects.filter(pk=d.pk).update(manifest=text, manifest_hash=engine.sm3_hex(text.encode()))
    check = services.draw_verify_record(Draw.objects.get(pk=d.pk))
    assert not check.ok
    assert any("审计链" in line for line in check.problems)


def test_the_command_verifies_every_draw_and_fails_on_an_altered_one(p):
    good = h.sealed_draw(p)
    out = StringIO()
    call_command("draw", "verify", good.code, stdout=out)
    assert f"{good.code}\tOK" in out.getvalue()
    WitnessInput.objects.filter(draw=good, role="second").update(value="123456789012")
    out = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("draw", "verify", stdout=out, stderr=StringIO())
    assert exc.value.code == 1
    assert f"{good.code}\tFAIL" in out.getvalue()


def test_the_exported_record_replays_outside_the_product(p, tmp_path):
    d = _sealed_big(p)
    inv = an_invitation(d)
    services.invitation_decline(
        actor=inv.expert.profile.person.user, invitation_id=inv.pk, version=inv.version
    )
    path = tmp_path / "record.json"
    call_command("draw", "export", d.code, "-o", str(path), stderr=StringIO())
    record = json.loads(path.read_text(encoding="utf-8"))
    assert engine.verify_record(record) == []
    assert record["result"]["substitutions"]
    run = subprocess.run(  # noqa: S603 — our own script, our own temporary file
        [sys.executable, str(REPO / "scripts" / "replay_draw.py"), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    record["witness_inputs"][0] = "111111111112"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run(  # noqa: S603 — our own script, our own temporary file
        [sys.executable, str(REPO / "scripts" / "replay_draw.py"), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
