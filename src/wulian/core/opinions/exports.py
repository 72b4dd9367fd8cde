"""The 意见采纳情况说明 of a concluded round as a .docx in the GB/T 9704-2012 layout
(wulian.core.documents): the drafting organisation as 发文机关标志, the title, the commenters as
主送机关, a summary paragraph with the counts, and a table listing each comment — who made it,
where (稿次 and 段号, or 总体意见), what it said, its disposition and the reason."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.documents import OfficialDocument
from wulian.core.opinions.choices import Disposition, RoundState
from wulian.core.opinions.models import OpinionRound

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def explanation_docx(round_: OpinionRound) -> tuple[str, bytes]:
    """(file name, the .docx) of a round read with its comments and invitees prefetched."""
    comments = list(round_.comments.all())
    commenters = list(dict.fromkeys(c.invitee.name for c in comments))
    title = _("关于《%(t)s》征求意见采纳情况的说明") % {"t": round_.title}
    concluded = round_.state == RoundState.CONCLUDED
    doc = OfficialDocument(
        issuer=round_.drafter.name,
        mark=round_.drafter.name,
        title=title,
        recipients="、".join(commenters),
        draft=not concluded,
    )
    counts = {d: sum(1 for c in comments if c.disposition == d) for d in Disposition.values}
    opened = timezone.localtime(round_.opened_at).date() if round_.opened_at else None
    doc.paragraph(
        _(
            "%(date)s，我单位就《%(t)s》征求意见，共邀请%(inv)d个单位和人员，收到%(n)d条意见"
            "（来自%(who)d个单位和人员）。经逐条研究，采纳%(a)d条，部分采纳%(p)d条，未采纳%(d)d条。"
            "现将意见采纳情况说明如下。"
        )
        % {
            "date": opened.strftime("%Y年%m月%d日") if opened else "",
            "t": round_.title,
            "inv": len(round_.invitees.all()),
            "n": len(comments),
            "who": len(commenters),
            "a": counts[Disposition.ADOPTED],
            "p": counts[Disposition.PARTLY],
            "d": counts[Disposition.DECLINED],
        }
    )
    rows = [
        [
            str(i),
            c.invitee.name,
            c.anchor_label,
            c.text,
            c.get_disposition_display() or _("未处理"),
            c.reason or "—",
        ]
        for i, c in enumerate(comments, 1)
    ]
    if rows:
        doc.table([_("序号"), _("提出者"), _("位置"), _("意见"), _("处理"), _("理由")], rows)
    when = timezone.localtime(round_.concluded_at).date() if concluded else timezone.localdate()
    doc.signature(org=round_.drafter.name, date=when)
    doc.record(printer=round_.drafter.name, date=when)
    return f"{title}.docx", doc.to_bytes()
