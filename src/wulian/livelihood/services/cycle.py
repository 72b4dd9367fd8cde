"""The yearly cycle: candidates with their source (征集), the government's screening with budget
and indicators (论证筛选), the deputies' vote through a secret ballot (代表票决, 差额, 赞成 above
half of all deputies), the 决定 that makes the chosen candidates projects, and the
satisfaction test at the next session (满意 / 基本满意 / 不满意, the majority rule) with what a
不满意 sets going: a mandatory rectification and a proposed 专题询问 topic."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit
from wulian.core.access import Actor
from wulian.core.errors import TransitionNotAllowed
from wulian.core.models import Organisation, Person
from wulian.core.notifications import outbox
from wulian.core.polls import services as polls
from wulian.core.polls import tally
from wulian.core.polls.choices import PollKind, PollState, TallyRule
from wulian.core.polls.models import Poll
from wulian.core.selectors import users_holding
from wulian.livelihood.choices import (
    CandidateSource,
    CandidateState,
    CycleState,
    GroupRole,
    IndicatorKind,
    Satisfaction,
)
from wulian.livelihood.models import Candidate, Cycle, GroupMember, Indicator, Project
from wulian.livelihood.services.common import bump, check_version, fail

MAX_INDICATORS = 20
SUBJECT = "livelihood.cycle"


def _cycle(cycle_id: int) -> Cycle:
    cycle = Cycle.objects.select_for_update().filter(pk=cycle_id).first()
    if cycle is None:
        raise fail(_("该民生实事年度不存在。"))
    return cycle


def _in(cycle: Cycle, *states: str, doing: str) -> None:
    if cycle.state not in states:
        raise TransitionNotAllowed(
            _("%(y)s年度处于“%(s)s”阶段，不能%(d)s。")
            % {"y": cycle.year, "s": CycleState(cycle.state).label, "d": doing}
        )


def cycle_create(
    actor: Actor, *, year: int, title: str, organiser_id: int, places: int, deputies: int
) -> Cycle:
    """A year's cycle, collecting candidates."""
    access.require(actor, "livelihood.cycle.manage")
    organiser = Organisation.objects.filter(pk=organiser_id, is_active=True).first()
    if organiser is None or organiser.pk not in actor.office_org_ids():
        raise fail(_("请选择您任职的人大方面单位作为组织单位。"), "organiser")
    if not 2000 <= int(year) <= 2100:
        raise fail(_("请填写有效的年度（2000—2100）。"), "year")
    if not title.strip():
        raise fail(_("请填写名称。"), "title")
    if places < 1:
        raise fail(_("应选项目数至少为 1。"), "places")
    if deputies < 1:
        raise fail(_("请填写全体代表人数：票决当选须获全体代表过半数赞成。"), "deputies")
    with transaction.atomic():
        if Cycle.objects.filter(year=year).exists():
            raise fail(_("%(y)s年度已建立，请在该年度中继续。") % {"y": year}, "year")
        cycle = Cycle.objects.create(
            year=year,
            title=title.strip()[:200],
            organiser=organiser,
            places=places,
            deputies=deputies,
        )
        audit.event(
            actor,
            "livelihood.cycle.created",
            cycle,
            organiser.pk,
            after={"year": year, "places": places, "deputies": deputies},
        )
    return cycle


def candidate_add(
    actor: Actor,
    *,
    cycle_id: int,
    title: str,
    source: str,
    proposer: str = "",
    description: str = "",
) -> Candidate:
    """A candidate project gathered from the public, a deputy, a station or a department."""
    with transaction.atomic():
        cycle = _cycle(cycle_id)
        access.require(actor, "livelihood.cycle.manage", cycle)
        _in(cycle, CycleState.COLLECTING, CycleState.SCREENING, doing=_("征集候选项目"))
        title = (title or "").strip()
        if not title:
            raise fail(_("请填写项目名称。"), "title")
        if source not in CandidateSource.values:
            raise fail(_("请选择项目来源：群众、代表、联络站或政府部门。"), "source")
        if cycle.candidates.filter(title=title).exists():
            raise fail(_("已有同名候选项目，请合并或改名。"), "title")
        candidate = Candidate.objects.create(
            cycle=cycle,
            title=title[:200],
            source=source,
            proposer=(proposer or "").strip()[:200],
            description=(description or "").strip(),
        )
        audit.event(
            actor,
            "livelihood.candidate.added",
            candidate,
            cycle.organiser_id,
            after={"title": candidate.title, "source": source},
        )
    return candidate


def parse_indicators(text: str) -> list[dict[str, Any]]:
    """One indicator a line: 名称|目标值|计量单位|类型|基数 (类型: 数量、长度、完工、建成并投用)."""
    kinds = {str(k.label): k.value for k in IndicatorKind} | {
        k.value: k.value for k in IndicatorKind
    }
    out: list[dict[str, Any]] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if len(parts) < 4:
            raise fail(
                _("第 %(n)d 行应为“名称|目标值|计量单位|类型|基数”。") % {"n": number},
                "indicators",
            )
        name, target, unit, kind = parts[:4]
        baseline = parts[4] if len(parts) > 4 and parts[4] else "0"
        try:
            target_d, baseline_d = Decimal(target), Decimal(baseline)
        except InvalidOperation:
            raise fail(
                _("第 %(n)d 行的目标值和基数应为数字。") % {"n": number}, "indicators"
            ) from None
        if target_d <= 0 or baseline_d < 0:
            raise fail(_("第 %(n)d 行的目标值应大于 0。") % {"n": number}, "indicators")
        if kind not in kinds:
            raise fail(
                _("第 %(n)d 行的类型应为：数量、长度、完工或建成并投用。") % {"n": number},
                "indicators",
            )
        out.append(
            {
                "name": name[:200],
                "target": str(target_d),
                "unit": unit[:20],
                "kind": kinds[kind],
                "baseline": str(baseline_d),
            }
        )
    if len(out) > MAX_INDICATORS:
        raise fail(_("每个项目的指标最多 %(n)d 项。") % {"n": MAX_INDICATORS}, "indicators")
    return out


def candidate_screen(
    actor: Actor,
    *,
    candidate_id: int,
    shortlist: bool,
    budget: Decimal | None = None,
    responsible_id: int | None = None,
    indicators: str = "",
    note: str = "",
    version: int | None = None,
) -> Candidate:
    """论证筛选: list the candidate for the vote (with its budget, responsible department and
    indicators) or set it aside (with the reason)."""
    with transaction.atomic():
        candidate = (
            Candidate.objects.select_for_update().select_related("cycle").get(pk=candidate_id)
        )
        access.require(actor, "livelihood.candidate.screen", candidate)
        check_version(candidate, version)
        cycle = _cycle(candidate.cycle_id)
        _in(cycle, CycleState.COLLECTING, CycleState.SCREENING, doing=_("论证筛选"))
        before = {"state": candidate.state}
        if shortlist:
            if budget is None or budget <= 0:
                raise fail(_("列为候选项目须填写预算（万元）。"), "budget")
            department = Organisation.objects.filter(pk=responsible_id, is_active=True).first()
            if department is None:
                raise fail(_("列为候选项目须选择责任单位。"), "responsible")
            parsed = parse_indicators(indicators)
            if not parsed:
                raise fail(_("列为候选项目须至少填写一项绩效指标。"), "indicators")
            candidate.state = CandidateState.SHORTLISTED
            candidate.budget = budget
            candidate.responsible = department
            candidate.indicators = parsed
        else:
            if not (note or "").strip():
                raise fail(_("不列入候选项目，请写明理由。"), "note")
            candidate.state = CandidateState.SET_ASIDE
        candidate.screening_note = (note or "").strip()
        bump(candidate, "state", "budget", "responsible", "indicators", "screening_note")
        if cycle.state == CycleState.COLLECTING:
            cycle.state = CycleState.SCREENING
            bump(cycle, "state")
        audit.event(
            actor,
            "livelihood.candidate.screened",
            candidate,
            cycle.organiser_id,
            before=before,
            after={"state": candidate.state, "budget": str(candidate.budget or "")},
        )
    return candidate


def _poll(actor: Actor, cycle: Cycle, title: str, items: list[str], **options: Any) -> Poll:
    """A secret ballot of the deputies about the cycle (wulian.core.polls), in draft."""
    return polls.poll_create(
        actor,
        title=title,
        organiser_id=cycle.organiser_id,
        items=items,
        groups=[(_("人大代表"), 1)],
        subject=(SUBJECT, str(cycle.pk)),
        **options,
    )


def vote_open(
    actor: Actor,
    *,
    cycle_id: int,
    witness_id: int,
    opens_at: datetime,
    closes_at: datetime,
    version: int | None = None,
) -> Cycle:
    """Send the shortlist to the session's 代表票决: a secret ballot (差额: more candidates than
    places) whose window is the session's; the roster, slips, opening and counting follow on
    the ballot's own pages (wulian.core.polls)."""
    with transaction.atomic():
        cycle = _cycle(cycle_id)
        access.require(actor, "livelihood.cycle.manage", cycle)
        check_version(cycle, version)
        _in(cycle, CycleState.SCREENING, doing=_("提交代表票决"))
        shortlist = list(cycle.candidates.filter(state=CandidateState.SHORTLISTED).order_by("id"))
        if len(shortlist) <= cycle.places:
            raise fail(
                _("差额票决：候选项目（%(c)d 个）应多于应选项目数（%(p)d 个）。")
                % {"c": len(shortlist), "p": cycle.places}
            )
        poll = _poll(
            actor,
            cycle,
            _("%(y)s年民生实事项目代表票决") % {"y": cycle.year},
            [c.title for c in shortlist],
            witness_id=witness_id,
            opens_at=opens_at,
            closes_at=closes_at,
            kind=PollKind.APPROVAL,
            rule=TallyRule.TOP_N,
            places=cycle.places,
        )
        cycle.vote_poll = poll
        cycle.session_opens_at, cycle.session_closes_at = opens_at, closes_at
        cycle.state = CycleState.VOTING
        bump(cycle, "vote_poll", "session_opens_at", "session_closes_at", "state")
        audit.event(
            actor,
            "livelihood.cycle.vote_opened",
            cycle,
            cycle.organiser_id,
            after={"poll": poll.pk, "candidates": len(shortlist), "places": cycle.places},
        )
    return cycle


def _certified(poll: Poll | None, what: str) -> Poll:
    if poll is None or poll.state != PollState.CERTIFIED:
        raise TransitionNotAllowed(
            _("%(w)s的计票结果尚未经见证单位确认，请在投票页面完成计票和见证后再继续。")
            % {"w": what}
        )
    return poll


def election_of(cycle: Cycle, poll: Poll) -> tally.Election:
    """The vote's outcome: ranked by 赞成, elected within the places when 赞成 exceed half of
    all the deputies (the cycle's number, not only those who voted)."""
    approvals = {str(row["id"]): int(row["counts"][tally.FOR]) for row in poll.result["items"]}
    return tally.top_n(approvals, members=cycle.deputies, places=cycle.places)


def _plan(target: Decimal) -> dict[str, str]:
    """A straight planned curve to the target by December, the department refines it."""
    return {str(m): str((target * m / 12).quantize(Decimal("0.01"))) for m in range(1, 13)}


def cycle_decide(
    actor: Actor, *, cycle_id: int, decision_number: str, version: int | None = None
) -> Cycle:
    """The 决定: the elected candidates become the year's projects, with their indicators; the
    vote counts are kept on every candidate (the 决定 .docx lists them)."""
    with transaction.atomic():
        cycle = _cycle(cycle_id)
        access.require(actor, "livelihood.cycle.manage", cycle)
        check_version(cycle, version)
        _in(cycle, CycleState.VOTING, doing=_("作出决定"))
        if not (decision_number or "").strip():
            raise fail(_("请填写决定文号。"), "decision_number")
        poll = _certified(cycle.vote_poll, _("代表票决"))
        election = election_of(cycle, poll)
        if election.runoff:
            raise fail(_("有候选项目得票相同且跨越最后名额，须就这些项目再次投票后才能作出决定。"))
        by_item = {str(row["id"]): row for row in poll.result["items"]}
        candidates = {c.title: c for c in cycle.candidates.select_for_update()}
        elected = set(election.elected)
        for number, item_id in enumerate(election.elected, start=1):
            row = by_item[item_id]
            candidate = candidates[row["label"]]
            project = Project.objects.create(
                cycle=cycle,
                candidate=candidate,
                number=number,
                title=candidate.title,
                summary=candidate.description,
                budget=candidate.budget,
                responsible_id=candidate.responsible_id,
            )
            Indicator.objects.bulk_create(
                [
                    Indicator(
                        project=project,
                        position=i,
                        name=spec["name"],
                        unit=spec["unit"],
                        kind=spec["kind"],
                        target=Decimal(spec["target"]),
                        baseline=Decimal(spec.get("baseline") or 0),
                        plan=_plan(Decimal(spec["target"])),
                    )
                    for i, spec in enumerate(candidate.indicators)
                ]
            )
        for item_id, row in by_item.items():
            candidate = candidates[row["label"]]
            candidate.votes = {
                "for": row["counts"][tally.FOR],
                "against": row["counts"][tally.AGAINST],
                "abstain": row["counts"][tally.ABSTAIN],
            }
            candidate.state = (
                CandidateState.ELECTED if item_id in elected else CandidateState.NOT_ELECTED
            )
            bump(candidate, "votes", "state")
        cycle.decision_number = decision_number.strip()[:60]
        cycle.decided_at = timezone.now()
        cycle.state = CycleState.IMPLEMENTING
        bump(cycle, "decision_number", "decided_at", "state")
        audit.event(
            actor,
            "livelihood.cycle.decided",
            cycle,
            cycle.organiser_id,
            after={"elected": len(election.elected), "decision": cycle.decision_number},
        )
    return cycle


def group_set(
    actor: Actor,
    *,
    project_id: int,
    members: list[tuple[int, str]],
    version: int | None = None,
) -> list[GroupMember]:
    """The project's supervision group: (person id, role) — a standing-committee leader as
    head, deputies, an integrity monitor, the CDI's contact. Replaces the group as a whole."""
    with transaction.atomic():
        project = Project.objects.select_for_update().filter(pk=project_id).first()
        if project is None:
            raise fail(_("该民生实事项目不存在。"))
        access.require(actor, "livelihood.project.manage", project)
        check_version(project, version)
        if sum(1 for _p, role in members if role == GroupRole.HEAD) != 1:
            raise fail(_("监督小组须有且只有一名组长。"), "head")
        if any(role not in GroupRole.values for _p, role in members):
            raise fail(_("小组职务应为组长、人大代表、清廉监督员或纪委监委联络人。"), "members")
        people = [p for p, _r in members]
        if len(set(people)) != len(people):
            raise fail(_("同一人在监督小组中只能担任一个职务，请调整后再保存。"), "members")
        if Person.objects.filter(pk__in=people, is_active=True).count() != len(people):
            raise fail(_("所选人员不存在或已停用。"), "members")
        before = [[m.person_id, m.role] for m in project.group.all()]
        project.group.all().delete()
        rows = GroupMember.objects.bulk_create(
            [GroupMember(project=project, person_id=p, role=r) for p, r in members]
        )
        bump(project)
        audit.event(
            actor,
            "livelihood.project.group_set",
            project,
            project.responsible_id,
            before={"members": before},
            after={"members": [[p, r] for p, r in members]},
        )
    return rows


def group_from_form(actor: Actor, project: Project, data: dict[str, Any]) -> list[GroupMember]:
    """The group step's form (head, deputies, monitor, CDI contact) as `group_set`'s members."""
    members: list[tuple[int, str]] = []
    if data.get("head") is not None:
        members.append((data["head"].pk, GroupRole.HEAD))
    members += [(d.pk, GroupRole.DEPUTY) for d in data.get("deputies") or ()]
    if data.get("monitor") is not None:
        members.append((data["monitor"].pk, GroupRole.MONITOR))
    if data.get("cdi_contact") is not None:
        members.append((data["cdi_contact"].pk, GroupRole.CDI_CONTACT))
    return group_set(actor, project_id=project.pk, members=members, version=data.get("version"))


def satisfaction_open(
    actor: Actor,
    *,
    cycle_id: int,
    witness_id: int,
    opens_at: datetime,
    closes_at: datetime,
    version: int | None = None,
) -> Cycle:
    """The satisfaction test at the next session: one secret ballot over all the projects
    (满意 / 基本满意 / 不满意, graded by the majority of valid votes)."""
    with transaction.atomic():
        cycle = _cycle(cycle_id)
        access.require(actor, "livelihood.cycle.manage", cycle)
        check_version(cycle, version)
        _in(cycle, CycleState.IMPLEMENTING, doing=_("开展满意度测评"))
        titles = list(cycle.projects.order_by("number").values_list("title", flat=True))
        if not titles:
            raise fail(_("该年度没有项目，无需测评。"))
        poll = _poll(
            actor,
            cycle,
            _("%(y)s年民生实事项目满意度测评") % {"y": cycle.year},
            titles,
            witness_id=witness_id,
            opens_at=opens_at,
            closes_at=closes_at,
            kind=PollKind.SATISFACTION,
            rule=TallyRule.MAJORITY_OF_VALID,
        )
        cycle.satisfaction_poll = poll
        cycle.state = CycleState.EVALUATING
        bump(cycle, "satisfaction_poll", "state")
        audit.event(
            actor,
            "livelihood.cycle.satisfaction_opened",
            cycle,
            cycle.organiser_id,
            after={"poll": poll.pk, "projects": len(titles)},
        )
    return cycle


def _mandatory_rectification(actor: Actor, cycle: Cycle, project: Project) -> None:
    from wulian.core.rectification.services import finding_raise

    finding_raise(
        actor=actor,
        record=project,
        data={
            "title": (_("满意度测评不满意：%(t)s") % {"t": project.title})[:200],
            "description": _(
                "%(y)s年民生实事项目“%(t)s”在人民代表大会会议满意度测评中评定为不满意，"
                "责任单位须整改并报告整改情况。"
            )
            % {"y": cycle.year, "t": project.title},
            "found_at": timezone.localdate(),
            "found_by_org_id": cycle.organiser_id,
            "about_organisation_id": project.responsible_id,
            "responsible_org_ids": [project.responsible_id],
        },
    )


def satisfaction_record(actor: Actor, *, cycle_id: int, version: int | None = None) -> Cycle:
    """Write the certified satisfaction results onto the projects. A 不满意 project gets a
    mandatory rectification (wulian.core.rectification) and is proposed as a 专题询问 topic,
    recorded on the project and notified to the congress working body."""
    with transaction.atomic():
        cycle = _cycle(cycle_id)
        access.require(actor, "livelihood.cycle.manage", cycle)
        check_version(cycle, version)
        _in(cycle, CycleState.EVALUATING, doing=_("登记满意度测评结果"))
        poll = _certified(cycle.satisfaction_poll, _("满意度测评"))
        grades = {row["label"]: row for row in poll.result["items"]}
        unsatisfied = []
        for project in cycle.projects.select_for_update().order_by("number"):
            row = grades.get(project.title)
            if row is None:
                continue
            project.satisfaction = row.get("grade") or Satisfaction.NONE
            project.satisfaction_counts = dict(row["counts"])
            fields = ["satisfaction", "satisfaction_counts"]
            if project.satisfaction == Satisfaction.UNSATISFIED:
                project.inquiry_topic = (_("%(t)s落实情况") % {"t": project.title})[:300]
                fields.append("inquiry_topic")
                unsatisfied.append(project)
            bump(project, *fields)
        for project in unsatisfied:
            _mandatory_rectification(actor, cycle, project)
        cycle.state = CycleState.CLOSED
        bump(cycle, "state")
        audit.event(
            actor,
            "livelihood.cycle.satisfaction_recorded",
            cycle,
            cycle.organiser_id,
            after={"unsatisfied": [p.pk for p in unsatisfied]},
        )
        if unsatisfied:
            outbox.enqueue(
                kind="livelihood.cycle.satisfaction_recorded",
                recipients=users_holding([cycle.organiser_id]),
                title=_("民生实事项目满意度测评有不满意项目，建议列为专题询问题目"),
                body="；".join(p.inquiry_topic for p in unsatisfied),
                url=cycle.get_absolute_url(),
                dedupe=f"livelihood:cycle:{cycle.pk}:unsatisfied",
            )
    return cycle
