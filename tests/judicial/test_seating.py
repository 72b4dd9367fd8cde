"""Who actually reviews follows from the verified draw: everyone drawn onto a panel is invited
once, exactly those replaced by the next reserve of their category have declined, and the
seats written when the review opens are the final panels. `wulian draw verify`, the verify
page's service, the export and the stdlib-only replay script check it; a swapped invitation or
seat fails with a message naming it."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.judicial import helpers as h
from tests.judicial.test_draw_services import _sealed_big, an_invitation
from wulian.judicial import draw as engine
from wulian.judicial import services
from wulian.judicial.choices import InvitationState
from wulian.judicial.models import Draw, Expert, Invitation, PanelSeat, ReviewBatch

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("judicial_env")]

REPO = Path(__file__).resolve().parents[2]


def _outsider(d: Draw) -> Expert:
    """A pool expert never drawn onto a panel of `d` (not even as a reserve brought in)."""
    invited = Invitation.objects.filter(draw=d).values("expert_id")
    return Expert.objects.exclude(pk__in=invited).order_by("id").first()


def _replay(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 — our own script, our own temporary file
        [sys.executable, str(REPO / "scripts" / "replay_draw.py"), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_sealed_draw_with_its_invitations_verifies(p):
    d = _sealed_big(p)
    check = services.draw_verify_record(d)
    assert check.ok, check.problems
    record = services.public_record(d)
    invited = {i["expert"] for i in record["seating"]["invitations"]}
    assert invited == set(engine.seating_expected(engine.Result.from_json(d.result))["invited"])
    assert record["seating"]["seats"] is None  # the review is not open


def test_swapping_an_invitations_expert_fails_verification_naming_the_invitation(p):
    d = _sealed_big(p)
    inv = an_invitation(d)
    Invitation.objects.filter(pk=inv.pk).update(expert=_outsider(d))
    check = services.draw_verify_record(Draw.objects.get(pk=d.pk))
    assert not check.ok
    assert any(f"邀请#{inv.pk}" in line for line in check.problems), check.problems
    assert any(inv.expert.ref in line and "没有邀请记录" in line for line in check.problems)
    out = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("draw", "verify", d.code, stdout=out, stderr=StringIO())
    assert exc.value.code == 1
    assert f"{d.code}\tFAIL" in out.getvalue() and f"邀请#{inv.pk}" in out.getvalue()


def test_a_decline_must_be_the_one_the_substitution_replays(p):
    d = _sealed_big(p)
    inv = an_invitation(d)
    services.invitation_decline(
        actor=inv.expert.profile.person.user, invitation_id=inv.pk, version=inv.version
    )
    d.refresh_from_db()
    assert services.draw_verify_record(d).ok, services.draw_verify_record(d).problems
    # The record says he declined and was replaced; the invitation now says he accepted.
    Invitation.objects.filter(pk=inv.pk).update(state=InvitationState.ACCEPTED)
    check = services.draw_verify_record(d)
    assert not check.ok
    assert any(f"邀请#{inv.pk}" in line and "已谢绝并被替补" in line for line in check.problems)


def test_a_decline_nobody_replaced_fails_verification(p):
    d = _sealed_big(p)
    inv = an_invitation(d)
    Invitation.objects.filter(pk=inv.pk).update(state=InvitationState.DECLINED)
    check = services.draw_verify_record(Draw.objects.get(pk=d.pk))
    assert not check.ok
    assert any(f"邀请#{inv.pk}" in line and "没有由候补专家替补" in line for line in check.problems)


def test_the_seats_must_be_the_final_panels(p):
    batch = h.reviewing_batch(p)
    d = Draw.objects.get(batch=batch)
    assert services.draw_verify_record(d).ok
    assert services.public_record(d)["seating"]["seats"]
    seat = PanelSeat.objects.filter(draw=d).first()
    other = h.make_expert(name="外来专家")
    PanelSeat.objects.filter(pk=seat.pk).update(expert=other)
    check = services.draw_verify_record(d)
    assert not check.ok
    assert any(f"案件{seat.case.number}的评查席位" in line for line in check.problems)
    assert ReviewBatch.objects.get(pk=batch.pk).state == "reviewing"


def test_the_export_carries_the_seating_and_the_replay_script_checks_it(p, tmp_path):
    d = _sealed_big(p)
    inv = an_invitation(d)
    services.invitation_decline(
        actor=inv.expert.profile.person.user, invitation_id=inv.pk, version=inv.version
    )
    path = tmp_path / "record.json"
    call_command("draw", "export", d.code, "-o", str(path), stderr=StringIO())
    record = json.loads(path.read_text(encoding="utf-8"))
    states = {i["invitation"]: i["state"] for i in record["seating"]["invitations"]}
    assert states[inv.pk] == "declined"
    run = _replay(path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "invitations" in run.stdout
    # Swap the first accepted/invited expert for one the draw never chose.
    entry = next(i for i in record["seating"]["invitations"] if i["state"] != "declined")
    entry["expert"] = _outsider(d).ref
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    run = _replay(path)
    assert run.returncode == 1
    assert f"邀请#{entry['invitation']}" in run.stdout
    assert engine.verify_record(record)
