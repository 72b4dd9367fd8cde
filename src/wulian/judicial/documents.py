"""The batch's review report (评查报告) as .docx in the GB/T 9704 layout (`core.documents`).

It says what the batch reviewed, how the reviewers were drawn (the draw's id and hashes, who
witnessed it), the grades, the problems found and the suggestions made. It is addressed to the
reviewed courts and procuratorates, so it names no clue (a clue's existence is for the clue's
own readers only), no problem flagged as possible misconduct (confidential like a clue) and no
reviewer. While the batch is not closed it is a draft: marked 草稿, with no document number."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access
from wulian.core.documents import OfficialDocument
from wulian.judicial.choices import BatchState, CaseKind, DrawState, Grade, SuggestionState
from wulian.judicial.models import (
    Case,
    CourtSuggestion,
    Draw,
    PanelSeat,
    Problem,
    ReviewBatch,
    Score,
)

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


def batch_report(*, actor: Any, batch: ReviewBatch) -> bytes:
    access.require(actor, "judicial.batch.view", batch)
    cases = list(Case.objects.filter(batch=batch).select_related("court").order_by("id"))
    final = batch.state == BatchState.CLOSED
    problems = list(
        Problem.objects.filter(case__batch=batch, is_misconduct=False)
        .select_related("case")
        .order_by("case_id", "id")
    )
    suggestions = list(
        CourtSuggestion.objects.filter(batch=batch)
        .exclude(state=SuggestionState.DRAFT)
        .select_related("addressee")
        .order_by("id")
    )
    draw = Draw.objects.filter(batch=batch, state=DrawState.SEALED).first()
    reviewers = PanelSeat.objects.filter(case__batch=batch).values("expert_id").distinct().count()
    by_kind = dict(
        Case.objects.filter(batch=batch)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    courts = sorted({c.court.name for c in cases})
    organiser = batch.organiser_org.name
    title = _("关于%(t)s的评查报告") % {"t": batch.title}
    doc = OfficialDocument(
        issuer=organiser,
        number=_("评查〔%(y)d〕%(n)d号") % {"y": batch.year, "n": batch.pk} if final else "",
        title=title if final else _("%(t)s（草稿）") % {"t": title},
        recipients="、".join(courts),
        draft=not final,
    )
    if not final:
        doc.paragraph(_("本报告为草稿：评查尚未结束，结论可能变化，不得作为正式文件送达。"))
    doc.heading1(_("一、基本情况"))
    kinds = "，".join(
        f"{label}{by_kind[value]}件" for value, label in CaseKind.choices if by_kind.get(value)
    )
    doc.paragraph(
        _("本批次共评查案件%(n)d件（%(k)s），涉及%(c)s。")
        % {"n": len(cases), "k": kinds or "—", "c": "、".join(courts) or "—"}
    )
    if draw is not None:
        doc.paragraph(
            _(
                "评查专家%(r)d名，由%(w)s全程监督，从专家库中随机抽取（抽取编号%(id)s，"
                "清单哈希%(m)s，抽取结果哈希%(h)s），抽取记录可独立复核。"
            )
            % {
                "r": reviewers,
                "w": batch.witness_org.name,
                "id": draw.code,
                "m": draw.manifest_hash[:16],
                "h": draw.current_hash[:16],
            }
        )
    doc.heading1(_("二、评查结果"))
    counts = {g: sum(1 for c in cases if c.grade == g) for g in Grade.values}
    doc.paragraph("，".join(f"{label}{counts[value]}件" for value, label in Grade.choices) + "。")
    doc.table(
        [_("案号"), _("承办单位"), _("评查类别"), _("平均得分率"), _("评查等次")],
        [
            [
                c.number,
                c.court.name,
                c.get_kind_display(),
                _pct(c.mean_share),
                c.get_grade_display() or _("未定等"),
            ]
            for c in cases
        ],
    )
    paper = dict(
        Score.objects.filter(seat__case__batch=batch, on_paper=True)
        .values_list("seat__case__number")
        .annotate(n=Count("id"))
        .values_list("seat__case__number", "n")
    )
    if paper:
        # Marked as entered on paper: the organiser entered these sheets on the reviewers'
        # behalf (reviewers without an account), the witness co-signed them. No names: who
        # reviewed a case is not shown to the reviewed court.
        doc.paragraph(
            _(
                "纸质录入：以下案件有评分由组织单位按评查专家签字的纸质评分表代为录入，"
                "经%(w)s会签后计入：%(list)s。"
            )
            % {
                "w": batch.witness_org.name,
                "list": "；".join(
                    _("%(case)s %(n)d份") % {"case": number, "n": n}
                    for number, n in sorted(paper.items())
                ),
            }
        )
    doc.heading1(_("三、发现的主要问题"))
    if problems:
        for i, p in enumerate(problems, 1):
            doc.paragraph(f"{i}. {p.case.number}：{p.description}")
    else:
        doc.paragraph(_("未发现问题。"))
    doc.heading1(_("四、意见建议及采纳情况"))
    if suggestions:
        for i, s in enumerate(suggestions, 1):
            doc.paragraph(f"{i}. {s.title}（{s.addressee.name}，{s.get_state_display()}）")
    else:
        doc.paragraph(_("暂未提出意见建议。"))
    doc.signature(org=organiser, date=timezone.localdate())
    return doc.to_bytes()
