"""A poll's results as a .docx in the GB/T 9704-2012 layout (wulian.core.documents) and as an
.xlsx (wulian.core.xlsx): per item, then per group shown (groups with fewer than
results.MIN_GROUP_REPORT ballots count in the total only)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from wulian.core import xlsx
from wulian.core.documents import OfficialDocument
from wulian.core.polls import results
from wulian.core.polls.choices import PollState
from wulian.core.polls.models import Poll

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _headers(view: dict) -> list[str]:
    heads = [_("测评（票决）对象"), *view["options"], _("未选"), _("有效票")]
    return [*heads, _("结果"), _("加权得分")] if view["weighted"] else [*heads, _("结果")]


def _item_row(view: dict, row: dict) -> list[object]:
    values = [row["label"], *row["counts"], row["blank"], row["valid"], row["outcome"]]
    return [*values, row["score"]] if view["weighted"] else values


def _summary(poll: Poll, view: dict) -> str:
    b = view["ballots"]
    return _(
        "共收回选票 %(total)d 张（电子 %(e)d 张，纸质 %(p)d 张），应参加 %(m)d 人；"
        "有效投票最低人数 %(q)d 人，%(ok)s。"
    ) % {
        "total": b.get("total", 0),
        "e": b.get("electronic", 0),
        "p": b.get("paper", 0),
        "m": view["members"],
        "q": view["quorum"],
        "ok": _("投票有效") if view["quorate"] else _("未达到最低人数，结果无效"),
    }


def results_docx(poll: Poll) -> tuple[str, bytes]:
    view = results.view(poll)
    certified = poll.state == PollState.CERTIFIED
    doc = OfficialDocument(
        issuer=poll.organiser.name,
        title=_("%(title)s结果") % {"title": poll.title},
        draft=not certified,
    )
    doc.paragraph(_summary(poll, view))
    doc.heading1(_("一、各测评（票决）对象结果"))
    doc.table(_headers(view), [_item_row(view, row) for row in view["items"]])
    doc.heading1(_("二、各评议主体结果"))
    for group in view["groups"]:
        doc.heading2(
            _("（%(name)s）收回 %(n)d 张") % {"name": group["name"], "n": group["ballots"]}
        )
        doc.table(
            [_("测评（票决）对象"), *view["options"]],
            [[label, *counts] for label, counts in group["rows"]],
        )
    if view["hidden"]:
        doc.paragraph(
            _("%(names)s 收回选票不足 %(n)d 张，为保护投票秘密不单独公布，计入总数。")
            % {"names": "、".join(view["hidden"]), "n": results.MIN_GROUP_REPORT}
        )
    doc.paragraph(
        _("计票封存摘要（SM3）：%(seal)s。见证单位：%(w)s。")
        % {"seal": poll.seal, "w": poll.witness.name}
    )
    when = timezone.localdate()
    doc.signature(org=poll.organiser.name, date=when)
    doc.record(printer=poll.organiser.name, date=when)
    return f"{poll.title}结果.docx", doc.to_bytes()


def results_xlsx(poll: Poll) -> tuple[str, bytes]:
    view = results.view(poll)
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet(_("结果")[:31])
    xlsx.append(sheet, [poll.title])
    xlsx.append(sheet, [_summary(poll, view)])
    xlsx.append(sheet, _headers(view))
    for row in view["items"]:
        xlsx.append(sheet, _item_row(view, row))
    for group in view["groups"]:
        ws = wb.create_sheet(group["name"][:31])
        xlsx.append(ws, [group["name"], group["ballots"]])
        xlsx.append(ws, [_("测评（票决）对象"), *view["options"]])
        for label, counts in group["rows"]:
            xlsx.append(ws, [label, *counts])
    return f"{poll.title}结果.xlsx", xlsx.workbook_bytes(wb)
