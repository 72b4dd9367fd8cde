"""The link's documents (GB/T 9704 via wulian.core.documents): the 决定 on the year's
livelihood projects with the vote counts, and the year's figures."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.documents import OfficialDocument
from wulian.livelihood import rules
from wulian.livelihood.choices import CandidateState
from wulian.livelihood.models import Cycle

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def decision_docx(cycle: Cycle) -> tuple[str, bytes]:
    """关于{year}年民生实事项目的决定: the chosen projects and every candidate's votes."""
    doc = OfficialDocument(
        issuer=cycle.organiser.name,
        title=_("关于%(y)s年民生实事项目的决定") % {"y": cycle.year},
        number=cycle.decision_number,
    )
    candidates = list(cycle.candidates.order_by("id"))
    elected = [c for c in candidates if c.state == CandidateState.ELECTED]
    doc.paragraph(
        _(
            "根据民生实事项目人大代表票决制的规定，经人民代表大会会议代表票决（全体代表 %(d)d 名，"
            "赞成票超过全体代表半数且按得票多少确定），决定以下 %(n)d 个项目为%(y)s年民生实事项目。"
        )
        % {"d": cycle.deputies, "n": len(elected), "y": cycle.year}
    )
    doc.table(
        [_("序号"), _("项目"), _("赞成"), _("反对"), _("弃权"), _("结果")],
        [
            [
                str(n),
                c.title,
                str(c.votes.get("for", "")),
                str(c.votes.get("against", "")),
                str(c.votes.get("abstain", "")),
                str(CandidateState(c.state).label),
            ]
            for n, c in enumerate(candidates, start=1)
        ],
    )
    doc.signature(
        org=cycle.organiser.name,
        date=timezone.localdate(cycle.decided_at) if cycle.decided_at else timezone.localdate(),
    )
    return f"{cycle.year}-livelihood-decision.docx", doc.to_bytes()


def figures_docx(data: Any) -> tuple[str, bytes]:
    doc = OfficialDocument(
        issuer=_("人大常委会"),
        title=_("%(y)s年民生实事项目完成情况") % {"y": data.year},
    )
    doc.paragraph(
        _("%(y)s年民生实事项目 %(n)d 个，已完成 %(d)d 个。")
        % {"y": data.year, "n": len(data.projects), "d": data.done}
    )
    doc.table(
        [_("项目"), _("责任单位"), _("指标"), _("完成情况")],
        [[p.title, p.responsible, i.name, i.text] for p in data.projects for i in p.indicators],
    )
    return f"{data.year}-livelihood-figures.docx", doc.to_bytes()


__all__ = ["DOCX", "decision_docx", "figures_docx", "rules"]
