"""联商's part of the annual 五联 report (wulian.reports.annual): the shared register of major
matters, the joint meetings and their action items, the opinions sought of each other, the
bulletins and the joint analyses — 联商's own figures (`selectors.figures` as the platform's
whole). Matters known to one side only are neither counted nor named here."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from wulian.consultation import selectors
from wulian.consultation.choices import MatterSensitivity
from wulian.consultation.models import Matter
from wulian.reports.annual import Part


def parts(year: int) -> list[Part]:
    f = {x.key: x for x in selectors.figures(actor=selectors.SYSTEM, year=year)}
    shared = Matter.objects.filter(year=year, sensitivity=MatterSensitivity.SHARED).count()
    if not (shared or f["meetings"].value or f["rounds"].value or f["analyses"].value):
        return []
    nums: dict[str, int | str] = {"consultation.matters": shared}
    clauses = [_("通过召开联席会议、组织会商会审、定期通报反馈等方式互通重大事项")]
    if shared:
        clauses[0] += _("，共同登记监督重大事项%(n)d项") % {"n": shared}
    meetings, actions = f["meetings"], f["actions"]
    if meetings.value:
        nums["consultation.meetings"] = meetings.value
        clause = _("召开联席会议、会商会审%(n)d次") % {"n": meetings.value}
        if actions.of:
            nums["consultation.actions"] = actions.of
            nums["consultation.actions_on_time"] = actions.value
            clause += _("，议定事项%(t)d项、按期办结%(d)d项") % {
                "t": actions.of,
                "d": actions.value,
            }
        clauses.append(clause)
    rounds, comments = f["rounds"], f["comments"]
    if rounds.value:
        nums["consultation.rounds"] = rounds.value
        clause = _("相互征求意见%(n)d次") % {"n": rounds.value}
        # As the opinions' own figures (ADR 0024): a split over fewer commenters than the
        # threshold is those commenters' answers, and the report is read on both sides.
        commenters = (
            selectors.figure_queries(actor=selectors.SYSTEM, year=year)["comments"]
            .values("invitee_id")
            .distinct()
            .count()
        )
        if comments.of and commenters >= settings.OPINION_FIGURES_MIN_COMMENTERS:
            nums["consultation.comments"] = comments.of
            nums["consultation.comments_adopted"] = comments.value
            clause += _("，提出意见%(t)d条、采纳%(a)d条") % {"t": comments.of, "a": comments.value}
        clauses.append(clause)
    if f["bulletins"].value:
        nums["consultation.bulletins"] = f["bulletins"].value
        clauses.append(_("印发工作通报%(n)d期") % {"n": f["bulletins"].value})
    if f["analyses"].value:
        nums["consultation.analyses"] = f["analyses"].value
        nums["consultation.findings"] = f["findings"].value
        clauses.append(
            _("围绕预决算、国有资产管理、审计监督等开展联合研判%(n)d次，发现问题%(p)d个")
            % {"n": f["analyses"].value, "p": f["findings"].value}
        )
    text = _("%(y)d年，") % {"y": year} + "；".join(clauses) + "。"
    return [Part("consultation", 10, [text], nums)]
