"""The steps of a poll (测评 / 票决), declared once: the poll page's forms and
`POST /api/v1/polls/{id}/<step>/` are made from them (wulian.core.steps, ADR 0017).

The organiser puts people on the roster and prints slips (whose fresh codes are shown on a
page of their own, once), asks to open; the witness co-signs the opening; the organiser closes,
two clerks enter the paper ballots, the organiser seals the count; the witness certifies it.
Casting a ballot is not a step: its door is public for a slip and its answer, the receipt, is
shown once (polls.views / polls.api, ADR 0022)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from wulian.api.readonly import read_only
from wulian.core import access, steps
from wulian.core.polls import services
from wulian.core.polls.forms import (
    PaperForm,
    RosterForm,
    SlipsForm,
    VersionOnly,
    poll_kwargs,
)
from wulian.core.polls.models import Poll, PollItem, RaterGroup
from wulian.core.steps import RecordBinding, Step

ItemOut = read_only("ItemOut", PollItem, ["id", "position", "label"])


GroupOut = read_only("GroupOut", RaterGroup, ["id", "position", "name", "weight", "members"])


PollOut = read_only(
    "PollOut",
    Poll,
    [
        "id",
        "title",
        "kind",
        "rule",
        "places",
        "points",
        "threshold",
        "quorum",
        "organiser",
        "witness",
        "opens_at",
        "closes_at",
        "state",
        "seal",
        "version",
        "items",
        "groups",
    ],
    items=ItemOut(many=True, read_only=True),
    groups=GroupOut(many=True, read_only=True),
)


def serialize(poll: Poll, actor: access.Actor) -> dict[str, Any]:
    fresh = Poll.objects.prefetch_related("items", "groups").get(pk=poll.pk)
    return PollOut(fresh).data


def _invalid(request: HttpRequest, poll: Poll, step: Step, form: Any, **kw: Any) -> Any:
    from wulian.core.polls.views import detail_page

    return detail_page(request, poll.pk, forms={step.name: form}, status=kw["status"])


def _slips_page(request: HttpRequest, poll: Poll, codes: list[str]) -> HttpResponse:
    """The fresh codes, once: a printable sheet (the page is not cached and nothing keeps
    them; a reload asks to print new slips)."""
    from wulian.core.polls.views import slips_sheet

    return slips_sheet(request, poll, codes)


steps.record(
    RecordBinding(
        model=Poll,
        queryset=lambda: Poll.objects.select_related("organiser", "witness"),
        view_action="polls.poll.see",
        url=lambda p: p.get_absolute_url(),
        invalid=_invalid,
        api_path="polls",
        serialize=serialize,
        response=PollOut,
    )
)

poll = steps.on(Poll, url_prefix="poll_")
version_only = {"form": VersionOnly}

steps.declare(
    poll(
        "roster_add",
        action="polls.poll.manage",
        form=RosterForm,
        form_kwargs=poll_kwargs,
        service=services.roster_add,
        done=lambda n: str(_("已添加 %(n)d 名投票人员。") % {"n": n}),
        summary="Put people on a rater group's roster (添加投票人员)",
        anchor="#groups",
        answer=lambda n, actor: {"added": n},
        answer_schema={"type": "object", "properties": {"added": {"type": "integer"}}},
    ),
    poll(
        "slips_issue",
        action="polls.poll.manage",
        form=SlipsForm,
        form_kwargs=poll_kwargs,
        service=services.slips_issue,
        done=_("投票码已生成，请当场打印。"),
        summary="Print one-time codes for a group's slips (印制投票码); the codes are answered "
        "once and kept nowhere",
        shows=_slips_page,
        answer=lambda codes, actor: {"codes": codes},
        answer_schema={
            "type": "object",
            "properties": {"codes": {"type": "array", "items": {"type": "string"}}},
        },
        api_status=201,
    ),
    poll(
        "open_request",
        action="polls.poll.manage",
        service=services.open_request,
        done=_("已提请开启，待见证单位会签后开始投票。"),
        summary="Ask the witness to co-sign the opening (提请开启投票)",
        **version_only,
    ),
    poll(
        "open_cosign",
        action="polls.poll.witness",
        service=services.open_cosign,
        done=_("已见证开启，投票人员可以在投票时间内投票。"),
        summary="The witness co-signs the opening (见证开启投票)",
        **version_only,
    ),
    poll(
        "close",
        action="polls.poll.manage",
        service=services.poll_close,
        done=_("已截止投票。纸质票录入一致后即可计票封存。"),
        summary="Close the voting (截止投票)",
        confirm=_("截止后不能再投票。"),
        **version_only,
    ),
    poll(
        "paper_enter",
        action="polls.poll.manage",
        form=PaperForm,
        form_kwargs=poll_kwargs,
        call=lambda actor, p, data: services.paper_enter(
            actor,
            poll_id=p.pk,
            group_id=data["group"].pk,
            ballots=data["ballots"],
            counts=data["__counts"],
        ),
        done=_("纸质票已录入；须由另一名工作人员再录入一次，两次一致后方可计票封存。"),
        summary="A clerk enters a group's counted paper ballots (录入纸质票); two clerks each once",
        anchor="#paper",
        answer=lambda row, actor: {"group": row.group_id, "entry": row.entry},
        answer_schema={
            "type": "object",
            "properties": {"group": {"type": "integer"}, "entry": {"type": "integer"}},
        },
        api_status=201,
    ),
    poll(
        "seal",
        action="polls.poll.manage",
        service=services.poll_seal,
        done=_("已计票封存，选票已按回执码公布；待见证单位核验并确认计票结果。"),
        summary="Count and seal the ballots (计票封存): the urn is opened, its key destroyed",
        confirm=_("计票封存后投票密钥即销毁，选票不能再改动。"),
        **version_only,
    ),
    poll(
        "certify",
        action="polls.poll.witness",
        service=services.poll_certify,
        done=_("已核验并确认计票结果，结果已向可查看本测评的人员公布。"),
        summary="The witness verifies and co-signs the tally (见证确认计票结果)",
        confirm=_("确认后计票结果即公布。"),
        **version_only,
    ),
)
