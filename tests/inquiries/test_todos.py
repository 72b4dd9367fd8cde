"""我的待办 of the special inquiries: the congress desk's inquiry to prepare and then its
审议意见 to send; the answering unit's question to prepare for; nothing for anyone else, and
nothing once the opinion is sent (the 回头看 comes back a month before its date)."""

from __future__ import annotations

from tests.inquiries import helpers as h
from tests.stations.helpers import NOW
from wulian.core.access import actor_for
from wulian.core.todos import todos_for
from wulian.inquiries import services


def _titles(p, who: str) -> list[str]:
    return [str(t.title) for t in todos_for(actor_for(p.users[who])) if t.source == "专题询问"]


def test_preparing_then_held_then_nothing_once_the_opinion_is_sent(p):
    q = h.question(p)
    assert _titles(p, "congress_clerk") == ["筹备专题询问：停车难停车乱问题"]
    assert _titles(p, "unit_a") == ["准备应询：停车难停车乱问题（第1问）"]
    assert _titles(p, "unit_b") == [] and _titles(p, "deputy") == []
    i = q.inquiry
    i.refresh_from_db()
    i = services.inquiry_hold(
        actor=p.congress_clerk, inquiry_id=i.pk, version=i.version, held_on=NOW.date(), place="x"
    )
    assert _titles(p, "congress_clerk") == ["起草并送达审议意见：停车难停车乱问题"]
    assert _titles(p, "unit_a") == []
    i = services.inquiry_send_opinion(
        actor=p.congress_clerk, inquiry_id=i.pk, version=i.version, text="审议意见全文"
    )
    assert _titles(p, "congress_clerk") == []
