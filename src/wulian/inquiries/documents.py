"""The 审议意见 of a special inquiry (.docx in the GB/T 9704 layout,
wulian.core.documents.OfficialDocument): sent to the answering units within 10 working days of
the meeting; a draft (marked 草稿, no number) until the 送达审议意见 step. It carries the opinion,
the ballot's grades when a ballot was held and certified, and the rectification requirements."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.documents import OfficialDocument, chinese_date
from wulian.core.polls.choices import OPTION_LABELS, PollState
from wulian.inquiries.models import Inquiry

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def opinion_docx(inquiry: Inquiry) -> tuple[str, bytes]:
    """(file name, .docx bytes) of the inquiry's 审议意见."""
    sent = inquiry.opinion_sent_at is not None
    issuer = inquiry.organiser.name
    questions = list(inquiry.questions.select_related("unit").order_by("position"))
    units = list(dict.fromkeys(q.unit.name for q in questions))
    doc = OfficialDocument(
        issuer=issuer,
        title=_("关于%(t)s专题询问的审议意见") % {"t": inquiry.title},
        number=_("询〔%(y)d〕%(n)d号") % {"y": inquiry.year, "n": inquiry.pk} if sent else "",
        recipients="、".join(units),
        draft=not sent,
    )
    doc.heading1(_("一、专题询问基本情况"))
    if inquiry.held_on:
        doc.paragraph(
            _(
                "%(d)s，常委会就%(t)s开展专题询问，%(n)d个单位的负责同志到会应询，"
                "回答了常委会组成人员、人大代表和社会公众提出的%(q)d个问题。"
            )
            % {
                "d": chinese_date(inquiry.held_on),
                "t": inquiry.title,
                "n": len(units),
                "q": len(questions),
            }
        )
    doc.heading1(_("二、审议意见"))
    text = inquiry.opinion_text.strip() or _("（审议意见尚未填写）")
    doc.body(text)
    ballot = inquiry.ballot
    certified = ballot is not None and ballot.state == PollState.CERTIFIED
    if certified:
        doc.heading1(_("三、满意度测评结果"))
        rows = [
            [row["label"], str(OPTION_LABELS.get(row.get("grade"), "—"))]
            for row in ballot.result.get("items", [])
        ]
        doc.table([_("应询答复"), _("测评结果")], rows)
    doc.heading1(_("四、整改要求") if certified else _("三、整改要求"))
    due = chinese_date(inquiry.report_due) if inquiry.report_due else _("三个月内")
    doc.paragraph(
        _(
            "请各应询单位认真研究处理审议意见，落实询问中作出的承诺事项，于%(d)s前将整改情况"
            "书面报告常委会。常委会将于询问后六个月开展“回头看”。"
        )
        % {"d": due}
    )
    when = timezone.localtime(inquiry.opinion_sent_at).date() if sent else timezone.localdate()
    doc.signature(org=issuer, date=when)
    return _("%(t)s-审议意见.docx") % {"t": inquiry.title}, doc.to_bytes()
