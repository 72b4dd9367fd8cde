"""A bulletin as a .docx in the GB/T 9704-2012 layout (wulian.core.documents): the 发文机关标志
(the series' name for a periodic bulletin, the issuer's name and 通报 otherwise), the number
(〔2026〕第3期), the title, the 主送机关 (the distribution list), the body (lines that begin
with 一、 or （一） as headings), the 署名 and 成文日期, and the 版记. A draft is marked 草稿
and carries no number."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.bulletins.choices import BulletinSensitivity, BulletinState
from wulian.core.bulletins.models import Bulletin
from wulian.core.documents import OfficialDocument

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def bulletin_docx(bulletin: Bulletin) -> tuple[str, bytes]:
    """(file name, the .docx) of a bulletin read with its recipients prefetched."""
    issued = bulletin.state == BulletinState.ISSUED
    mark = (
        bulletin.series.name
        if bulletin.series_id
        else _("%(org)s工作通报") % {"org": bulletin.issuer.name}
    )
    number = bulletin.number_label if issued else ""
    recipients = "、".join(r.organisation.name for r in bulletin.recipients.all())
    doc = OfficialDocument(
        issuer=bulletin.issuer.name,
        mark=mark,
        title=bulletin.title,
        number=number,
        recipients=recipients,
        secrecy=_("内部资料 注意保密")
        if bulletin.sensitivity != BulletinSensitivity.ORDINARY
        else "",
        draft=not issued,
    )
    doc.body(bulletin.body)
    when = timezone.localtime(bulletin.issued_at).date() if issued else timezone.localdate()
    doc.signature(org=bulletin.issuer.name, date=when)
    doc.record(printer=bulletin.issuer.name, date=when)
    name = f"{mark}{number}" if number else f"{bulletin.title}（{_('草稿')}）"
    return f"{name}.docx", doc.to_bytes()
