"""The inquiry's steps after the question list: a research visit before the meeting, the
optional satisfaction ballot on the answers (core.polls), the 审议意见 as a .docx, a 工作通报
(core.bulletins), the 回头看's findings six months on — and the inquiries' figures on the page,
the API and the command line, each as the person may see them."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document

from tests.inquiries import helpers as h
from tests.personas import client_for
from tests.stations.helpers import NOW
from wulian.core.access import actor_for
from wulian.core.activities.choices import ActivityKind, ActivityState
from wulian.core.activities.models import ActivityRecordLink
from wulian.core.bulletins.models import Bulletin
from wulian.core.errors import AccessDenied, TransitionNotAllowed, ValidationFailed
from wulian.core.models import AuditEvent
from wulian.core.polls import services as polls
from wulian.core.polls.choices import PollKind, PollState
from wulian.inquiries import selectors, services
from wulian.inquiries.choices import InquiryState
from wulian.inquiries.models import Inquiry

pytestmark = pytest.mark.django_db


def _fresh(i: Inquiry) -> Inquiry:
    i.refresh_from_db()
    return i


def _sent(p) -> Inquiry:
    q = h.answered(p)
    i = _fresh(q.inquiry)
    return services.inquiry_send_opinion(
        actor=p.congress_clerk, inquiry_id=i.pk, version=i.version, text="一、总体评价\n意见正文"
    )


def _text(body: bytes) -> str:
    doc = Document(io.BytesIO(body))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_a_research_visit_is_an_activity_before_the_meeting(p):
    i = h.question(p).inquiry
    i = _fresh(i)
    visit = services.research_add(
        actor=p.congress_clerk,
        inquiry_id=i.pk,
        version=i.version,
        title="赴老城区调研停车泊位",
        starts_at=NOW,
        place="黄石港区",
    )
    assert visit.kind == ActivityKind.RESEARCH_VISIT
    assert ActivityRecordLink.objects.filter(activity=visit, object_id=i.pk).exists()
    assert AuditEvent.objects.filter(action="inquiries.inquiry.research_added").count() == 1
    with pytest.raises(AccessDenied):
        services.research_add(
            actor=p.unit_a,
            inquiry_id=i.pk,
            version=i.version + 1,
            title="x",
            starts_at=NOW,
            place="",
        )
    page = client_for(p.congress_clerk).get(i.get_absolute_url())
    assert "赴老城区调研停车泊位" in page.content.decode()


def test_no_research_visit_after_the_meeting(p):
    i = _fresh(h.held(p).inquiry)
    with pytest.raises(ValidationFailed):
        services.research_add(
            actor=p.congress_clerk,
            inquiry_id=i.pk,
            version=i.version,
            title="x",
            starts_at=NOW,
            place="",
        )


def test_the_ballot_on_the_answers_needs_every_answer_and_is_taken_once(p):
    q = h.held(p)
    i = _fresh(q.inquiry)
    witness = p.orgs["stationed_group"].pk
    window = {"opens_at": NOW - timedelta(hours=1), "closes_at": NOW + timedelta(hours=1)}
    with pytest.raises(ValidationFailed, match="全部问题的答复"):
        services.ballot_open(
            actor=p.congress_clerk, inquiry_id=i.pk, version=i.version, witness_id=witness, **window
        )
    services.question_answer(
        actor=p.congress_clerk, question_id=q.pk, version=q.version, answer="答"
    )
    i = _fresh(i)
    i = services.ballot_open(
        actor=p.congress_clerk, inquiry_id=i.pk, version=i.version, witness_id=witness, **window
    )
    poll = i.ballot
    assert poll.kind == PollKind.SATISFACTION
    assert poll.subject_type == "inquiries.inquiry" and poll.subject_id == str(i.pk)
    assert list(poll.items.values_list("label", flat=True)) == [
        f"1. {p.orgs['unit_a'].name} 市民政局局长"
    ]
    with pytest.raises(ValidationFailed, match="已开展"):
        services.ballot_open(
            actor=p.congress_clerk, inquiry_id=i.pk, version=i.version, witness_id=witness, **window
        )
    # counted and certified, its grade is in the 审议意见
    clerk, stationed = actor_for(p.congress_clerk), actor_for(p.stationed)
    codes = polls.slips_issue(clerk, poll_id=poll.pk, group_id=poll.groups.get().pk, count=3)
    polls.open_request(clerk, poll_id=poll.pk)
    polls.open_cosign(stationed, poll_id=poll.pk)
    item = poll.items.get().pk
    for code in codes:
        polls.ballot_cast(None, poll_id=poll.pk, choices={item: "unsatisfied"}, slip=code)
    polls.poll_close(clerk, poll_id=poll.pk)
    polls.poll_seal(clerk, poll_id=poll.pk)
    assert polls.poll_certify(stationed, poll_id=poll.pk).state == PollState.CERTIFIED
    response = client_for(p.congress_clerk).get(reverse("inquiries:opinion_docx", args=[i.pk]))
    text = _text(response.content)
    assert "三、满意度测评结果" in text and "不满意" in text and "四、整改要求" in text


def test_no_ballot_once_the_opinion_is_sent(p):
    i = _sent(p)
    with pytest.raises(ValidationFailed):
        services.ballot_open(
            actor=p.congress_clerk,
            inquiry_id=i.pk,
            version=i.version,
            witness_id=p.orgs["stationed_group"].pk,
            opens_at=NOW,
            closes_at=NOW + timedelta(hours=1),
        )


def test_the_opinion_docx_is_a_draft_until_sent_then_numbered(p):
    i = _fresh(h.answered(p).inquiry)
    url = reverse("inquiries:opinion_docx", args=[i.pk])
    draft = client_for(p.congress_clerk).get(url)
    assert draft.status_code == 200
    assert draft["Content-Type"].startswith("application/vnd.openxmlformats")
    text = _text(draft.content)
    assert "草稿" in text and "关于停车难停车乱问题专题询问的审议意见" in text
    assert p.orgs["unit_a"].name in text  # the answering unit is the recipient
    assert "审议意见尚未填写" in text
    i = services.inquiry_send_opinion(
        actor=p.congress_clerk,
        inquiry_id=i.pk,
        version=i.version,
        text="一、总体评价\n请加快建设。",
    )
    text = _text(client_for(p.congress_clerk).get(url).content)
    assert "草稿" not in text and f"询〔2026〕{i.pk}号" in text
    assert "请加快建设。" in text and "2026年9月15日" in text  # the report is due in 3 months
    # the answering unit it asks may download it; another unit may not
    assert client_for(p.unit_a).get(url).status_code == 200
    assert client_for(p.unit_b).get(url).status_code in (403, 404)
    assert client_for(p.deputy).get(url).status_code in (403, 404)


def test_a_bulletin_is_drafted_linked_to_the_inquiry(p):
    i = _fresh(h.held(p).inquiry)
    b = services.bulletin_draft(
        actor=p.congress_clerk,
        inquiry_id=i.pk,
        version=i.version,
        issuer_id=p.orgs["congress_body"].pk,
        title="关于停车难停车乱问题整改情况的工作通报",
        body="现将整改情况通报如下。",
        sensitivity="ordinary",
        recipient_ids=[p.orgs["unit_a"].pk],
    )
    assert isinstance(b, Bulletin) and b.linked_record == _fresh(i)
    page = client_for(p.congress_clerk).get(i.get_absolute_url()).content.decode()
    assert b.get_absolute_url() in page
    with pytest.raises(ValidationFailed):  # the bulletins primitive's own validation
        services.bulletin_draft(
            actor=p.congress_clerk,
            inquiry_id=i.pk,
            version=_fresh(i).version,
            issuer_id=p.orgs["congress_body"].pk,
            title="",
            body="",
            sensitivity="ordinary",
        )
    assert Bulletin.objects.count() == 1


def test_the_bulletin_step_through_the_page_lands_on_the_draft(p):
    i = _fresh(h.held(p).inquiry)
    response = client_for(p.congress_clerk).post(
        reverse("inquiries:inquiry_bulletin", args=[i.pk]),
        {
            "version": i.version,
            "issuer": p.orgs["congress_body"].pk,
            "title": "工作通报",
            "body": "正文",
            "sensitivity": "ordinary",
            "recipients": [p.orgs["unit_a"].pk],
        },
    )
    b = Bulletin.objects.get()
    assert response.status_code == 302 and response["Location"] == b.get_absolute_url()


def test_the_look_back_is_recorded_when_it_has_come(p):
    i = _sent(p)
    with pytest.raises(AccessDenied):
        services.look_back_record(actor=p.unit_a, inquiry_id=i.pk, version=i.version, findings="x")
    with pytest.raises(ValidationFailed, match="届时开展后再记录"):
        services.look_back_record(
            actor=p.congress_clerk, inquiry_id=i.pk, version=i.version, findings="已新增泊位"
        )
    with time_machine.travel(NOW + timedelta(days=184), tick=True):
        i = services.look_back_record(
            actor=p.congress_clerk,
            inquiry_id=i.pk,
            version=i.version,
            findings="已新增公共停车泊位2100个，老旧小区停车问题明显缓解。",
        )
    assert i.state == InquiryState.LOOKED_BACK
    i.look_back.refresh_from_db()
    assert i.look_back.state == ActivityState.HELD
    assert AuditEvent.objects.filter(action="inquiries.inquiry.looked_back").count() == 1
    with pytest.raises(TransitionNotAllowed):
        services.look_back_record(
            actor=p.congress_clerk, inquiry_id=i.pk, version=i.version, findings="again"
        )
    page = client_for(p.congress_clerk).get(i.get_absolute_url()).content.decode()
    assert "已新增公共停车泊位2100个" in page


def test_figures_count_as_the_person_may_see(p):
    q = h.answered(p)
    services.commitment_add(
        actor=p.congress_clerk, question_id=q.pk, version=q.version, title="泊位", content="新增"
    )
    i = _fresh(q.inquiry)
    services.inquiry_send_opinion(
        actor=p.congress_clerk, inquiry_id=i.pk, version=i.version, text="意见"
    )
    data = selectors.figures(actor=p.congress_clerk, year=2026)
    assert data.total == {
        "questions": 1,
        "answered": 1,
        "commitments": 1,
        "rectifications": 1,
        "rectifications_closed": 0,
        "opinion_on_time": 1,
        "looked_back": 0,
    }
    assert selectors.figures(actor=p.unit_a, year=2026).total["commitments"] == 1
    assert selectors.figures(actor=p.unit_b, year=2026).rows == []
    with pytest.raises(AccessDenied):
        selectors.figures(actor=p.deputy, year=2026)
    # the page and the API
    page = client_for(p.congress_clerk).get(reverse("inquiries:figures") + "?year=2026")
    assert "停车难停车乱问题" in page.content.decode()
    assert (
        "停车难停车乱问题"
        not in client_for(p.unit_b)
        .get(reverse("inquiries:figures") + "?year=2026")
        .content.decode()
    )
    api = client_for(p.congress_clerk).get("/api/v1/inquiries/figures/?year=2026").json()
    assert api["total"]["questions"] == 1 and api["rows"][0]["inquiry"] == i.pk
    assert client_for(p.unit_b).get("/api/v1/inquiries/figures/?year=2026").json()["rows"] == []
    assert client_for(p.deputy).get("/api/v1/inquiries/figures/").status_code == 403


def test_the_figures_command_counts_every_inquiry(p):
    h.answered(p)
    out = io.StringIO()
    call_command("figures", "inquiries", "--year", "2026", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["inquiries"] == 1 and data["total"]["answered"] == 1
    out = io.StringIO()
    call_command("figures", "inquiries", "--year", "2026", stdout=out)
    assert "询问问题" in out.getvalue()


def test_the_step_pages_show_where_the_step_may_be_taken(p):
    i = _fresh(h.inquiry(p))
    page = client_for(p.congress_clerk).get(i.get_absolute_url()).content.decode()
    assert reverse("inquiries:inquiry_research", args=[i.pk]) in page
    assert reverse("inquiries:inquiry_ballot", args=[i.pk]) not in page
    assert timezone.now()  # the clock is the fixture's


def test_the_figures_take_as_many_queries_for_one_inquiry_as_for_three(p):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    h.answered(p)
    selectors.figures(actor=p.congress_clerk, year=2026)
    with CaptureQueriesContext(connection) as one:
        selectors.figures(actor=p.congress_clerk, year=2026)
    h.answered(p)
    h.question(p)
    with CaptureQueriesContext(connection) as three:
        data = selectors.figures(actor=p.congress_clerk, year=2026)
    assert len(data.rows) == 3 and len(one) == len(three)
