"""The 研判报告 of a joint analysis as .docx in the GB/T 9704 layout (`core.documents`),
issued by the lead and the partner organisation together, made from the records at each
download (nothing kept in step). It names no clue: a clue's existence is for the clue's own
readers only; findings handed on to rectification are listed with their units."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.consultation.choices import AnalysisState
from wulian.consultation.models import Analysis
from wulian.consultation.selectors import analysis_counts
from wulian.core import access
from wulian.core.documents import OfficialDocument

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def analysis_report(*, actor: Any, analysis: Analysis) -> bytes:
    from wulian.core.rectification.models import Finding

    access.require(actor, "consultation.analysis.view", analysis)
    final = analysis.state == AnalysisState.REPORTED
    issuers = f"{analysis.lead_org.name} {analysis.partner_org.name}"
    title = _("关于%(t)s的联合研判报告") % {"t": analysis.title}
    doc = OfficialDocument(
        issuer=issuers,
        number=_("联研〔%(y)d〕%(n)d号") % {"y": analysis.year, "n": analysis.pk} if final else "",
        title=title if final else _("%(t)s（草稿）") % {"t": title},
        draft=not final,
    )
    counts = analysis_counts(analysis)
    doc.heading1(_("一、基本情况"))
    analysts = list(analysis.analysts.select_related("person", "organisation").order_by("id"))
    doc.paragraph(
        _("研判领域：%(s)s；年度：%(y)d；研判人员：%(a)s。")
        % {
            "s": analysis.get_subject_display(),
            "y": analysis.year,
            "a": "、".join(f"{a.person.name}（{a.organisation.name}）" for a in analysts) or "—",
        }
    )
    doc.paragraph(
        _("共导入整改事项%(n)d项，其中%(s)s，整改率%(r)s。")
        % {
            "n": counts["total"],
            "s": "，".join(f"{label}{n}项" for label, n in counts["by_status"]),
            "r": counts["rate"],
        }
    )
    doc.heading1(_("二、研判意见"))
    for para in (analysis.report or _("（研判报告尚未出具）")).splitlines():
        if para.strip():
            doc.paragraph(para.strip())
    doc.heading1(_("三、交办整改的问题"))
    findings = (
        Finding.objects.filter(
            content_type=ContentType.objects.get_for_model(Analysis), object_id=analysis.pk
        )
        .exclude(sensitivity="confidential")
        .prefetch_related("rectifications__responsible_org")
        .order_by("id")
    )
    rows = [
        [
            f.title,
            "、".join(r.responsible_org.name for r in f.rectifications.all()),
            "、".join(r.get_state_display() for r in f.rectifications.all()),
        ]
        for f in findings
    ]
    if rows:
        doc.table([_("问题"), _("整改责任单位"), _("整改状态")], rows)
    else:
        doc.paragraph(_("暂无交办整改的问题。"))
    doc.signature(org=issuers, date=timezone.localdate())
    return doc.to_bytes()
