"""The 联评 services: each success and each refusal; the dossier's confidentiality and its
audited reads; the vote's witness and consequences; nothing half-saved."""

from __future__ import annotations

import pytest
import time_machine

from tests.evaluation import helpers as h
from tests.personas import client_for
from wulian.core.access import actor_for
from wulian.core.activities.choices import ActivityKind
from wulian.core.activities.models import Activity
from wulian.core.errors import (
    AccessDenied,
    ConcurrentEdit,
    RuleViolation,
    ValidationFailed,
)
from wulian.core.models import AuditEvent
from wulian.core.rectification.models import Rectification
from wulian.evaluation import services
from wulian.evaluation.choices import Consequence, Stage
from wulian.evaluation.models import Evaluation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_media")]


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(h.T0, tick=False):
        yield


def test_create_opens_the_dossier_deadline_for_the_cdi(personas):
    e = h.create(personas)
    assert e.stage == Stage.APPROVED and e.cdi == personas.orgs["cdi"]
    roles = set(e.team.values_list("role", flat=True))
    assert {"working_body", "stationed"} <= roles
    from wulian.evaluation import selectors

    (deadline,) = selectors.deadlines(e)
    assert deadline.responsible_org == personas.orgs["cdi"]
    assert deadline.due_at.date().isoformat() == "2026-03-16"  # 10 working days
    assert AuditEvent.objects.filter(action="evaluation.evaluation.created").count() == 1


def test_create_refuses_without_the_stationed_group_or_a_directors_meeting(personas):
    with pytest.raises(ValidationFailed) as exc:
        h.create(personas, stationed_group_id=None)
    assert "派驻纪检监察组" in exc.value.field_errors["stationed_group"][0]
    symposium = h.decision(personas, kind=ActivityKind.JOINT_MEETING)
    with pytest.raises(ValidationFailed) as exc:
        h.create(personas, decision_id=symposium.pk)
    assert "主任会议" in exc.value.field_errors["decision"][0]
    assert not Evaluation.objects.exists()


def test_one_evaluation_per_department_and_year(personas):
    h.create(personas)
    with pytest.raises(ValidationFailed, match="未立项"):
        h.create(personas)


def test_only_congress_staff_create(personas):
    with pytest.raises(AccessDenied):
        services.evaluation_create(
            actor=actor_for(personas.unit_a),
            decision_id=None,
            department_id=None,
            year=2026,
            working_body_id=None,
            stationed_group_id=None,
        )


def test_the_dossier_is_confidential_and_every_read_is_audited(personas):
    e = h.with_dossier(personas, h.create(personas))
    assert e.dossier_delivered_at is not None
    for who in ("congress_clerk", "cdi_officer", "cdi_clue", "stationed"):
        items = services.dossier_read(actor=actor_for(personas.users[who]), evaluation=e)
        assert [i.title for i in items] == ["巡察反馈问题"]
    assert AuditEvent.objects.filter(action="evaluation.dossier.read").count() == 4
    for who in ("unit_a", "unit_b", "gov_supervisor", "deputy", "sysadmin", "auditadmin"):
        with pytest.raises(AccessDenied):
            services.dossier_read(actor=actor_for(personas.users[who]), evaluation=e)
    # The department sees the evaluation but neither the dossier nor a trace of it.
    page = client_for(personas.unit_a).get(e.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "巡察反馈问题" not in text and "低保审核" not in text
    assert "评议参考材料" not in text  # no link, no deadline, no trail of it
    assert client_for(personas.unit_a).get(f"/evaluation/{e.pk}/dossier/").status_code == 403
    api = client_for(personas.unit_a).get(f"/api/v1/evaluations/{e.pk}/dossier/")
    assert api.status_code == 403
    assert (
        "低保审核"
        in client_for(personas.stationed).get(f"/evaluation/{e.pk}/dossier/").content.decode()
    )


def test_dossier_refusals(personas):
    e = h.create(personas)
    cdi = actor_for(personas.cdi_officer)
    with pytest.raises(RuleViolation, match="请先录入至少一份"):
        services.dossier_deliver(actor=cdi, evaluation_id=e.pk, version=e.version)
    with pytest.raises(ValidationFailed) as exc:
        services.dossier_add(actor=cdi, evaluation_id=e.pk, kind="x", title="", body="")
    assert set(exc.value.field_errors) == {"kind", "title", "body"}
    with pytest.raises(AccessDenied):
        services.dossier_add(
            actor=actor_for(personas.congress_clerk),
            evaluation_id=e.pk,
            kind="daily",
            title="t",
            body="b",
        )
    with pytest.raises(RuleViolation, match="尚未提交"):
        h.advance(personas, e)


def test_an_activity_is_not_held_without_the_stationed_group(personas):
    e = h.advance(personas, h.with_dossier(personas, h.create(personas)))
    a = h.activity(personas, e)
    with pytest.raises(RuleViolation, match="派驻纪检监察组出席"):
        services.activity_held(
            actor=actor_for(personas.congress_clerk),
            evaluation_id=e.pk,
            activity_id=a.pk,
            attended_ids=[personas.orgs["unit_a"].pk],
        )
    assert Activity.objects.get(pk=a.pk).state == "planned"
    e.refresh_from_db()
    e = h.advance(personas, e)
    with pytest.raises(RuleViolation, match="尚有 1 项未举行"):
        h.advance(personas, e)


def test_the_vote_needs_the_witness_and_the_right_department(personas):
    e = h.to_voting(personas)
    clerk = actor_for(personas.congress_clerk)
    sealed = h.certified_poll(personas, [["satisfied"] * 5])
    with pytest.raises(RuleViolation, match="见证确认"):
        services.vote_record(actor=clerk, evaluation_id=e.pk, version=e.version, poll_id=sealed.pk)
    other = h.certify(personas, h.certified_poll(personas, [["satisfied"] * 5], label="市教育局"))
    with pytest.raises(ValidationFailed, match="没有被评议部门"):
        services.vote_record(actor=clerk, evaluation_id=e.pk, version=e.version, poll_id=other.pk)
    with pytest.raises(RuleViolation, match="先登记满意度测评"):
        services.opinion_send(
            actor=clerk, evaluation_id=e.pk, version=e.version, opinion="评议意见十个字以上啊啊"
        )


def test_unsatisfied_above_a_third_in_a_group_triggers_rectification_talk_and_reevaluation(
    personas,
):
    e = h.to_voting(personas)
    poll = h.certify(
        personas,
        h.certified_poll(
            personas,
            [["satisfied"] * 6, ["satisfied"] * 3 + ["unsatisfied"] * 2, ["satisfied"] * 5],
        ),
    )
    e = services.vote_record(
        actor=actor_for(personas.congress_clerk),
        evaluation_id=e.pk,
        version=e.version,
        poll_id=poll.pk,
    )
    assert e.grade == "satisfied" and e.consequence == Consequence.MANDATORY
    assert "人大代表" in e.consequence_reason
    assert e.talk.kind == ActivityKind.ADMONITORY_TALK
    assert Rectification.objects.filter(responsible_org=personas.orgs["unit_a"]).count() == 1
    assert services.reevaluation_due(e)


def test_exactly_a_third_triggers_nothing(personas):
    e = h.to_voting(personas)
    poll = h.certify(
        personas,
        h.certified_poll(personas, [["satisfied"] * 4 + ["unsatisfied"] * 2]),
    )
    e = services.vote_record(
        actor=actor_for(personas.congress_clerk),
        evaluation_id=e.pk,
        version=e.version,
        poll_id=poll.pk,
    )
    assert e.consequence == Consequence.NONE and e.talk is None


def test_a_stale_version_is_refused(personas):
    e = h.create(personas)
    with pytest.raises(ConcurrentEdit):
        services.dimensions_update(
            actor=actor_for(personas.congress_clerk),
            evaluation_id=e.pk,
            version=e.version + 1,
            dimensions=["依法履职情况"],
        )


def test_dimensions_are_editable_until_the_vote(personas):
    e = h.create(personas)
    e = services.dimensions_update(
        actor=actor_for(personas.congress_clerk),
        evaluation_id=e.pk,
        version=e.version,
        dimensions=["依法履职情况", " ", "依法履职情况", "工作作风"],
    )
    assert e.dimensions == ["依法履职情况", "工作作风"]
    with pytest.raises(ValidationFailed, match="至少填写一项"):
        services.dimensions_update(
            actor=actor_for(personas.congress_clerk),
            evaluation_id=e.pk,
            version=e.version,
            dimensions=[""],
        )


def test_clues_are_tagged_and_counted_only_for_those_allowed(personas):
    from wulian.evaluation import selectors

    e = h.create(personas)
    link = services.clue_refer(
        actor=actor_for(personas.congress_clerk),
        evaluation_id=e.pk,
        campaign="整治医疗领域不正之风",
        subject_name="某院长",
        subject_post="副院长",
        violation_type="integrity",
        content="收受回扣的反映",
    )
    assert link.clue.source_id == e.pk
    clerk = selectors.figures(actor=actor_for(personas.congress_clerk), year=2026)
    assert dict(clerk["campaigns"]) == {"整治医疗领域不正之风": 1}
    unit = selectors.figures(actor=actor_for(personas.unit_a), year=2026)
    assert unit["campaigns"] == []
    assert "某院长" not in client_for(personas.unit_a).get(e.get_absolute_url()).content.decode()
