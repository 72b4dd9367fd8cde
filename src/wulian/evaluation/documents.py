"""The 评议意见书 (.docx in the GB/T 9704 layout, wulian.core.documents.OfficialDocument).
It carries the result and the opinion, never the CDI's dossier nor any clue."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.documents import OfficialDocument
from wulian.evaluation import services
from wulian.evaluation.models import Evaluation

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def opinion_letter(e: Evaluation) -> bytes:
    sent = e.opinion_sent_at is not None
    issuer = e.working_body.name
    doc = OfficialDocument(
        issuer=issuer,
        title=_("关于%(d)s%(y)d年度工作评议的意见") % {"d": e.department.name, "y": e.year},
        number=_("评议〔%(y)d〕%(n)d号") % {"y": e.year, "n": e.pk} if sent else "",
        recipients=_("%(d)s、市人民政府") % {"d": e.department.name},
        draft=not sent,
    )
    doc.heading1(_("一、评议基本情况"))
    doc.paragraph(
        _(
            "根据主任会议决定，常委会对%(d)s%(y)d年度工作开展评议。评议组采取调研、座谈、"
            "听取汇报和问卷调查等方式了解情况，派驻纪检监察组全程参与。评议内容包括：%(dims)s。"
        )
        % {"d": e.department.name, "y": e.year, "dims": "；".join(e.dimensions)}
    )
    doc.heading1(_("二、满意度测评结果"))
    doc.paragraph(
        _("满意度测评结果为%(g)s，加权得分%(s)s。")
        % {"g": services.grade_label(e.grade), "s": e.score or "—"}
    )
    if e.consequence:
        doc.paragraph(
            _("%(r)s。依照规定，须限期整改，约谈部门主要负责人，并于下一年度再次评议。")
            % {"r": e.consequence_reason}
        )
    doc.heading1(_("三、评议意见"))
    for line in (e.opinion or _("（评议意见尚未填写）")).splitlines():
        if line.strip():
            doc.paragraph(line.strip())
    doc.heading1(_("四、整改要求"))
    doc.paragraph(
        _("请于收到本意见之日起3个月内将整改情况书面报告常委会，常委会将听取和审议整改报告。")
    )
    when = timezone.localtime(e.opinion_sent_at).date() if sent else timezone.localdate()
    doc.signature(org=issuer, date=when)
    return doc.to_bytes()
