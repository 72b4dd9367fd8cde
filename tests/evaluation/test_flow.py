"""One evaluation from 立项 to 办结 through the services, each party doing its part."""

from __future__ import annotations

import pytest
import time_machine

from tests.evaluation import helpers as h
from wulian.core.access import actor_for
from wulian.core.errors import RuleViolation
from wulian.core.models import AuditEvent
from wulian.core.rectification import services as rect_services
from wulian.evaluation import services
from wulian.evaluation.choices import Stage

pytestmark = pytest.mark.django_db


@time_machine.travel(h.T0, tick=False)
def test_the_whole_journey(personas):
    clerk = actor_for(personas.congress_clerk)
    e = h.to_voting(personas)
    assert e.stage == Stage.VOTING
    poll = h.certify(personas, h.certified_poll(personas, [["satisfied"] * 5] * 3))
    e = services.vote_record(actor=clerk, evaluation_id=e.pk, version=e.version, poll_id=poll.pk)
    assert e.grade == "satisfied" and not e.consequence
    services.finding_add(
        actor=clerk, evaluation_id=e.pk, title="低保动态管理不到位", description="抽查发现问题"
    )
    e.refresh_from_db()
    e = services.opinion_send(
        actor=clerk, evaluation_id=e.pk, version=e.version, opinion="总体满意。请加强低保动态管理。"
    )
    e = services.results_share(actor=clerk, evaluation_id=e.pk, version=e.version)
    assert e.stage == Stage.RECTIFYING and e.bulletin.recipients.get().organisation == e.cdi
    e = services.report_hear(actor=clerk, evaluation_id=e.pk, version=e.version, note="常委会审议")
    with pytest.raises(RuleViolation, match="整改未销号"):
        services.evaluation_close(actor=clerk, evaluation_id=e.pk, version=e.version)
    rect = services.open_rectifications  # the rectification of the finding, closed in turn
    from wulian.core.rectification.models import Rectification

    r = Rectification.objects.get()
    unit = actor_for(personas.unit_a)
    r = rect_services.rectification_commit(
        actor=unit,
        rectification_id=r.pk,
        version=r.version,
        commitment="建立动态核查机制",
        planned_completion=h.T0.date().replace(month=5),
    )
    r = rect_services.rectification_submit(
        actor=unit, rectification_id=r.pk, version=r.version, summary="已完成整改"
    )
    rect_services.rectification_close(actor=clerk, rectification_id=r.pk, version=r.version)
    assert rect(e) == 0
    e = services.evaluation_close(actor=clerk, evaluation_id=e.pk, version=e.version)
    assert e.stage == Stage.CLOSED
    assert AuditEvent.objects.filter(action="evaluation.evaluation.closed").count() == 1
