"""The poll pages and API: voting with a slip (code → ballot → receipt, once; a used code; the
throttle on wrong codes, page and API), voting with one's account, the slips' sheet shown once,
the steps through the API (paper entries by two clerks), results (page, .docx, .xlsx, small
groups suppressed), published receipts (searched by POST), the public receipt check, 我的待办
and the list's query count."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import account
from tests.personas import client_for
from tests.polls.helpers import certified_with_deputy, ids, make_poll, open_with_deputy
from wulian.core.access import actor_for
from wulian.core.choices import Role
from wulian.core.polls import services
from wulian.core.polls.choices import PollState
from wulian.core.polls.models import Ballot, Poll, RosterEntry, Slip
from wulian.core.todos import done_for, todos_for

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
RECEIPT = re.compile(r"data-receipt>([0-9A-Z-]{14})<")


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=True):
        yield


def _choices(poll: Poll) -> dict[str, str]:
    return {f"i{pk}": "satisfied" for pk in ids(poll)}


def test_a_slip_votes_once_and_its_receipt_is_shown_once(personas):
    poll = open_with_deputy(personas)
    code = poll.slip_codes[0]
    anonymous = client_for(None)
    url = reverse("polls:slip_vote", args=[poll.pk])
    assert anonymous.get(url).status_code == 200
    ballot = anonymous.post(url, {"code": code.lower().replace("-", " ")})
    assert ballot.status_code == 200 and "提交选票" in ballot.content.decode()
    assert "常委会组成人员" in ballot.content.decode()  # the slip's group
    cast = anonymous.post(url, {"code": code, "cast": "1", **_choices(poll)})
    assert cast.status_code == 200
    receipt = RECEIPT.search(cast.content.decode()).group(1)
    assert Slip.objects.filter(group__poll=poll, used=True).count() == 1
    again = anonymous.post(url, {"code": code, "cast": "1", **_choices(poll)})
    assert again.status_code == 409
    assert "此投票码已经投过票" in again.content.decode()
    assert receipt not in again.content.decode()
    # The receipt is in the published set after the sealing, found by the public check.
    clerk = actor_for(personas.congress_clerk)
    services.poll_close(clerk, poll_id=poll.pk)
    services.poll_seal(clerk, poll_id=poll.pk)
    check = reverse("polls:receipt_check", args=[poll.pk])
    found = anonymous.post(check, {"receipt": receipt.lower()})
    assert found.status_code == 200 and "已计入" in found.content.decode()
    missing = anonymous.post(check, {"receipt": "0000-0000-0000"})
    assert missing.status_code == 400 and "没有这个回执码" in missing.content.decode()


def test_wrong_slip_codes_are_throttled_per_address(personas, settings):
    settings.POLL_CODE_FAILURES = 3
    poll = open_with_deputy(personas)
    anonymous = client_for(None)
    url = reverse("polls:slip_vote", args=[poll.pk])
    for _ in range(3):
        wrong = anonymous.post(url, {"code": "AAAA-BBBB-CC"})
        assert wrong.status_code == 400 and "投票码不正确" in wrong.content.decode()
    closed = anonymous.post(url, {"code": poll.slip_codes[0]})
    assert closed.status_code == 429
    assert 0 < int(closed["Retry-After"]) <= settings.POLL_CODE_WINDOW_SECONDS
    assert "分钟后再试" in closed.content.decode()
    # The API says the same, with Retry-After; another address is not held up.
    api = reverse("polls_api:poll-vote", args=[poll.pk])
    body = {"slip": poll.slip_codes[0], "choices": {str(ids(poll)[0]): "satisfied"}}
    held = anonymous.post(api, json.dumps(body), content_type="application/json")
    assert held.status_code == 429 and held["Retry-After"]
    other = anonymous.post(
        api, json.dumps(body), content_type="application/json", REMOTE_ADDR="10.9.8.7"
    )
    assert other.status_code == 201 and len(other.json()["receipt"]) == 14


def test_the_vote_api_with_a_slip_and_as_a_roster_member(personas):
    poll = open_with_deputy(personas)
    api = reverse("polls_api:poll-vote", args=[poll.pk])
    choices = {str(pk): "basic" for pk in ids(poll)}
    anonymous = client_for(None)
    ok = anonymous.post(
        api,
        json.dumps({"slip": poll.slip_codes[1], "choices": choices}),
        content_type="application/json",
    )
    assert ok.status_code == 201
    used = anonymous.post(
        api,
        json.dumps({"slip": poll.slip_codes[1], "choices": choices}),
        content_type="application/json",
    )
    assert used.status_code == 409 and "只能投一次" in used.json()["detail"]
    no_one = anonymous.post(api, json.dumps({"choices": choices}), content_type="application/json")
    assert no_one.status_code in (401, 403)
    deputy = client_for(personas.deputy)
    mine = deputy.post(api, json.dumps({"choices": choices}), content_type="application/json")
    assert mine.status_code == 201
    twice = deputy.post(api, json.dumps({"choices": choices}), content_type="application/json")
    assert twice.status_code == 409 and "您已经投过票" in twice.json()["detail"]
    bad = anonymous.post(
        api,
        json.dumps({"slip": poll.slip_codes[2], "choices": {"999999": "satisfied"}}),
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_a_roster_member_votes_from_the_todo_list(personas):
    poll = open_with_deputy(personas)
    titles = [str(t.title) for t in todos_for(actor_for(personas.deputy))]
    assert f"请投票：{poll.title}" in titles
    deputy = client_for(personas.deputy)
    page = deputy.get(poll.get_absolute_url())
    assert reverse("polls:poll_vote", args=[poll.pk]) in page.content.decode()
    url = reverse("polls:poll_vote", args=[poll.pk])
    assert deputy.get(url).status_code == 200
    cast = deputy.post(url, _choices(poll))
    assert cast.status_code == 200 and RECEIPT.search(cast.content.decode())
    assert RosterEntry.objects.get(group__poll=poll).has_voted
    again = deputy.get(url)
    assert again.status_code == 302
    assert f"请投票：{poll.title}" not in [
        str(t.title) for t in todos_for(actor_for(personas.deputy))
    ]
    done = done_for(actor_for(personas.deputy))
    assert [(str(d.title), d.done_at) for d in done] == [(f"已投票：{poll.title}", poll.closes_at)]
    nothing = deputy.post(reverse("polls:poll_vote", args=[poll.pk]), {})
    assert nothing.status_code == 302  # voted already: back to the poll, nothing cast


def test_the_slips_sheet_shows_fresh_codes_once(personas):
    poll = make_poll(personas)
    clerk = client_for(personas.congress_clerk)
    group = poll.groups.first()
    sheet = clerk.post(
        reverse("polls:poll_slips_issue", args=[poll.pk]),
        {"group": group.pk, "count": 3, "version": poll.version},
    )
    assert sheet.status_code == 200
    codes = re.findall(
        r"<code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2})</code>", sheet.content.decode()
    )
    assert len(codes) == 3
    assert "data:image/svg+xml" in sheet.content.decode()  # each slip's QR code
    digests = set(Slip.objects.filter(group=group).values_list("digest", flat=True))
    assert digests == {services.slip_digest(poll.pk, c) for c in codes}
    page = clerk.get(poll.get_absolute_url()).content.decode()
    assert not any(c in page for c in codes)
    assert "no-store" in sheet.get("Cache-Control", "")


def test_the_steps_through_the_api_with_two_clerks_entering_paper(personas):
    poll = open_with_deputy(personas)
    clerk = client_for(personas.congress_clerk)
    second = account(personas.orgs["congress_body"], Role.STAFF, username="second_clerk")
    group = poll.groups.get(name="社会各界代表")
    first_item = ids(poll)[0]
    body = {"group": group.pk, "ballots": 8, f"c_{first_item}_satisfied": 6}

    def post(client, step, data=None):
        return client.post(
            reverse(f"polls_api:polls-{step}", args=[poll.pk]),
            json.dumps(data or {"version": Poll.objects.get(pk=poll.pk).version}),
            content_type="application/json",
        )

    assert post(clerk, "paper-enter", body).status_code == 201
    refused = post(clerk, "paper-enter", body)
    assert refused.status_code == 400 and "两名工作人员" in refused.json()["detail"]
    assert post(client_for(second), "paper-enter", body).status_code == 201
    unconfirmed = post(clerk, "close", {"version": poll.version})
    assert unconfirmed.status_code == 400 and unconfirmed.json()["code"] == "confirmation_needed"
    assert post(clerk, "close", {"version": poll.version, "confirm": True}).status_code == 200
    poll.refresh_from_db()
    assert poll.state == PollState.CLOSED
    sealed = post(clerk, "seal", {"version": poll.version, "confirm": True})
    assert sealed.status_code == 200 and sealed.json()["state"] == "sealed"
    poll.refresh_from_db()
    witness = client_for(personas.stationed)
    assert post(clerk, "certify", {"version": poll.version, "confirm": True}).status_code == 403
    certified = post(witness, "certify", {"version": poll.version, "confirm": True})
    assert certified.status_code == 200 and certified.json()["state"] == "certified"
    result = clerk.get(reverse("polls_api:poll-results", args=[poll.pk])).json()
    assert result["ballots"]["paper"] == 8


def test_results_page_and_files_suppress_small_groups(personas):
    poll = certified_with_deputy(personas)  # 常委会组成人员 5 ballots, 人大代表 1
    clerk = client_for(personas.congress_clerk)
    page = clerk.get(reverse("polls:poll_results", args=[poll.pk]))
    assert page.status_code == 200
    groups = [g["name"] for g in page.context["view"]["groups"]]
    assert groups == ["常委会组成人员"]
    assert page.context["view"]["hidden"] == ["人大代表", "社会各界代表"]
    assert "不单独公布" in page.content.decode()
    docx = clerk.get(reverse("polls:poll_results_docx", args=[poll.pk]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    xlsx = clerk.get(reverse("polls:poll_results_xlsx", args=[poll.pk]))
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["结果", "常委会组成人员"]
    # Who sees results: not a government supervisor (the poll is not theirs).
    assert client_for(personas.gov_supervisor).get(page.request["PATH_INFO"]).status_code == 403


def test_published_receipts_are_listed_and_searched_by_post(personas):
    poll = certified_with_deputy(personas)
    deputy = client_for(personas.deputy)
    url = reverse("polls:poll_receipts", args=[poll.pk])
    listed = deputy.get(url)
    assert listed.status_code == 200 and len(listed.context["rows"]) == 6
    receipt = Ballot.objects.filter(poll=poll).first().receipt
    found = deputy.post(url, {"receipt": receipt})
    assert found.status_code == 200 and found.context["found"]["receipt"] == receipt
    api = deputy.get(reverse("polls_api:poll-receipts", args=[poll.pk]))
    assert len(api.json()) == 6


def test_results_wait_for_the_sealing_and_the_certification(personas):
    poll = open_with_deputy(personas)
    clerk = client_for(personas.congress_clerk)
    assert clerk.get(reverse("polls:poll_results", args=[poll.pk])).status_code == 403
    check = client_for(None).post(reverse("polls:receipt_check", args=[poll.pk]), {"receipt": "X"})
    assert check.status_code == 200 and "计票封存后才能核对回执" in check.content.decode()


def test_create_a_poll_on_its_page(personas):
    clerk = client_for(personas.congress_clerk)
    url = reverse("polls:poll_create")
    assert clerk.get(url).status_code == 200
    data = {
        "title": "2026年度部门工作满意度测评",
        "kind": "satisfaction",
        "rule": "weighted",
        "organiser": personas.orgs["congress_body"].pk,
        "witness": personas.orgs["stationed_group"].pk,
        "opens_at": "2026-06-20T09:00",
        "closes_at": "2026-06-20T11:00",
        "items": "市民政局\n市司法局",
        "groups": "常委会组成人员 50\n人大代表 30\n社会各界代表 20",
    }
    saved = clerk.post(url, data)
    assert saved.status_code == 302
    poll = Poll.objects.get(title=data["title"])
    assert [g.weight for g in poll.groups.all()] == [50, 30, 20]
    same_witness = clerk.post(url, {**data, "witness": personas.orgs["congress_body"].pk})
    assert same_witness.status_code == 400 and "见证单位不能是组织单位本身" in (
        same_witness.content.decode()
    )


def test_the_poll_list_has_a_fixed_number_of_queries(personas):
    for _ in range(2):
        open_with_deputy(personas)
    clerk = client_for(personas.congress_clerk)
    url = reverse("polls:poll_list")
    clerk.get(url)  # the session's first page reads what later pages find cached
    with CaptureQueriesContext(connection) as few:
        assert clerk.get(url).status_code == 200
    for _ in range(3):
        make_poll(personas)
    with CaptureQueriesContext(connection) as more:
        assert clerk.get(url).status_code == 200
    assert len(more) == len(few)
