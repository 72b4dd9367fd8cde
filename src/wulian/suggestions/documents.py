"""Official documents of deputies' suggestions as .docx in the GB/T 9704 layout
(`wulian.core.documents.OfficialDocument`): the 交办单 of a suggestion, a 督办通知, the 答复函
pre-filled for the lead unit, and the year's figures. Each builder returns (file name, bytes);
the download views check who may have them.

Document numbers (发文字号) are the issuing office's to give: the documents leave the number
blank (〔年〕 only) unless the record carries one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.documents import OfficialDocument
from wulian.suggestions import reply_classes
from wulian.suggestions.choices import AssignmentRole, AssignmentStatus, SupervisionKind
from wulian.suggestions.figures import YearFigures, percent
from wulian.suggestions.models import Suggestion, SupervisionOrder

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _day(value: Any) -> str:
    if value is None:
        return "—"
    d = timezone.localtime(value).date() if hasattr(value, "tzinfo") else value
    return f"{d.year}年{d.month}月{d.day}日"


def _moment(value: Any) -> str:
    if value is None:
        return "—"
    t = timezone.localtime(value)
    return f"{t.year}年{t.month}月{t.day}日{t.hour}时{t.minute:02d}分"


_pct = percent


def _today() -> date:
    return timezone.localdate()


def _deputies(s: Suggestion) -> str:
    names = [s.lead_deputy.name, *(c.person.name for c in s.cosigners.all())]
    return "、".join(names)


def _active(s: Suggestion) -> tuple[Any, list[Any]]:
    live = [
        a
        for a in s.assignments.all()
        if a.status in (AssignmentStatus.ASSIGNED, AssignmentStatus.RECEIVED)
    ]
    lead = next((a for a in live if a.role == AssignmentRole.LEAD), None)
    return lead, [a for a in live if a.role == AssignmentRole.CO]


def _load(suggestion_id: int) -> Suggestion:
    return (
        Suggestion.objects.select_related("session", "lead_deputy", "office", "lead_unit")
        .prefetch_related("cosigners__person", "assignments__unit")
        .get(pk=suggestion_id)
    )


def assignment_sheet(suggestion: Suggestion) -> tuple[str, bytes]:
    """代表建议交办单: the suggestion, its units and its time limits, jointly issued."""
    s = _load(suggestion.pk)
    lead, co = _active(s)
    if lead is None:
        raise ValueError("the suggestion has no live assignment")
    doc = OfficialDocument(
        issuer=_("%(office)s　市人民政府督查室") % {"office": s.office.name},
        number="",
        title=_("代表建议交办单"),
        recipients=lead.unit.name,
    )
    doc.paragraph(
        _("现将%(session)s%(number)s代表建议交由你单位主办，请按规定办理。")
        % {"session": s.session.name, "number": s.number_label}
    )
    doc.table(
        [_("项目"), _("内容")],
        [
            [_("建议编号"), f"{s.session.name}{s.number_label}"],
            [_("建议标题"), s.title],
            [_("类别"), s.get_category_display()],
            [_("提出时间"), s.get_raised_during_display()],
            [_("领衔代表"), s.lead_deputy.name],
            [_("附议代表"), "、".join(c.person.name for c in s.cosigners.all()) or "—"],
            [_("主办单位"), lead.unit.name],
            [_("会办单位"), "、".join(a.unit.name for a in co) or "—"],
            [_("交办时间"), _moment(lead.assigned_at)],
            [_("签收或退回截止"), _moment(lead.respond_by)],
            [_("答复截止"), _day(s.reply_due_at)],
        ],
    )
    doc.heading1(_("一、办理要求"))
    doc.paragraph(
        _("（一）请于%(receipt)s个工作日内签收；不属于你单位职责的，在此期限内说明理由退回。")
        % {"receipt": settings.SUGGESTION_RECEIPT_WORKING_DAYS}
    )
    doc.paragraph(
        _("（二）交办送达后%(hours)s小时内与领衔代表联系，当面或电话沟通办理意见，并在平台登记。")
        % {"hours": settings.SUGGESTION_CONTACT_HOURS}
    )
    doc.paragraph(
        _(
            "（三）自交办之日起%(months)s个月内书面答复代表；情况复杂的，经批准可延长，"
            "最长不超过%(max)s个月，并向代表说明。会办单位应在主办单位答复前提出会办意见。"
        )
        % {
            "months": settings.SUGGESTION_REPLY_MONTHS,
            "max": settings.SUGGESTION_REPLY_MAX_MONTHS,
        }
    )
    doc.heading1(_("二、建议内容"))
    for part in s.content.splitlines():
        if part.strip():
            doc.paragraph(part.strip())
    doc.signature(org=s.office.name, date=timezone.localtime(lead.assigned_at).date())
    doc.record(
        printer=s.office.name,
        date=_today(),
        copies_to="、".join(a.unit.name for a in co),
    )
    return f"交办单-{s.session.name}{s.number_label}.docx", doc.to_bytes()


def supervision_notice(order: SupervisionOrder) -> tuple[str, bytes]:
    """督办通知: the matter, why it is supervised, what to report and by when."""
    o = SupervisionOrder.objects.select_related(
        "suggestion__session", "suggestion__lead_deputy", "issued_by_org", "to_unit"
    ).get(pk=order.pk)
    s = o.suggestion
    doc = OfficialDocument(
        issuer=o.issued_by_org.name,
        number="",
        title=_("关于督办%(session)s%(number)s代表建议的通知")
        % {"session": s.session.name, "number": s.number_label},
        recipients=o.to_unit.name,
    )
    why = {
        SupervisionKind.OVERDUE: _("该建议已超过规定的办理期限，尚未办结。"),
        SupervisionKind.UNSATISFACTORY: _("代表对该建议的办理结果不满意。"),
        SupervisionKind.CONCENTRATED: _("该建议反映的问题代表和群众集中反映。"),
        SupervisionKind.KEY: _("该建议经主任会议确定为重点督办建议。"),
    }[o.kind]
    doc.paragraph(
        _("%(deputy)s代表提出的《%(title)s》（%(number)s）由你单位主办。%(why)s现予督办。")
        % {"deputy": s.lead_deputy.name, "title": s.title, "number": s.number_label, "why": why}
    )
    doc.heading1(_("一、督办要求"))
    for part in o.requirements.splitlines():
        if part.strip():
            doc.paragraph(part.strip())
    doc.heading1(_("二、报告时限"))
    doc.paragraph(
        _("请于%(due)s前将办理情况书面报告%(org)s，并同时答复代表。")
        % {"due": _day(o.due_at), "org": o.issued_by_org.name}
    )
    if s.is_key and s.key_leader_id:
        doc.paragraph(_("督办领导：%(name)s。") % {"name": s.key_leader.name})
    doc.signature(org=o.issued_by_org.name, date=timezone.localtime(o.issued_at).date())
    doc.record(printer=o.issued_by_org.name, date=_today())
    return f"督办通知-{s.session.name}{s.number_label}-{o.pk}.docx", doc.to_bytes()


def reply_letter(suggestion: Suggestion) -> tuple[str, bytes]:
    """答复函, pre-filled: addressed to the lead deputy, with the suggestion, the contacts with
    the deputy and the co-units' opinions; the reply's own text, category and signer when it has
    been sent (the latest round), placeholders otherwise."""
    s = _load(suggestion.pk)
    lead, co = _active(s)
    unit = s.lead_unit.name if s.lead_unit_id else (lead.unit.name if lead else "")
    reply = s.replies.order_by("-round").first()
    round_label = _("（重新办理）") if reply and reply.round > 1 else ""
    doc = OfficialDocument(
        issuer=unit,
        number="",
        title=_("关于对%(session)s%(number)s代表建议的答复%(round)s")
        % {"session": s.session.name, "number": s.number_label, "round": round_label},
        recipients=_("%(name)s代表") % {"name": s.lead_deputy.name},
    )
    doc.paragraph(
        _("您提出的《%(title)s》收悉。%(unit)s高度重视，认真研究办理。现答复如下：")
        % {"title": s.title, "unit": unit}
    )
    contacts = list(s.contacts.order_by("contacted_at"))
    if contacts:
        doc.heading1(_("一、与代表沟通情况"))
        for c in contacts:
            doc.paragraph(
                _("%(when)s，%(method)s：%(agreed)s")
                % {
                    "when": _moment(c.contacted_at),
                    "method": c.get_method_display(),
                    "agreed": c.agreed,
                }
            )
    doc.heading1(_("二、办理情况") if contacts else _("一、办理情况"))
    if reply is not None:
        for part in reply.text.splitlines():
            if part.strip():
                doc.paragraph(part.strip())
    else:
        doc.paragraph(_("（请在此填写办理情况和答复意见。）"))
    opinions = list(s.opinions.select_related("assignment__unit").order_by("submitted_at"))
    if opinions:
        doc.heading2(_("（一）会办单位意见"))
        for o in opinions:
            doc.paragraph(f"{o.assignment.unit.name}：{o.text}")
    category = (
        reply_classes.display(reply.category)
        if reply
        else _("（%(classes)s 类，请选择）") % {"classes": reply_classes.prompt()}
    )
    doc.paragraph(_("答复类别：%(category)s。") % {"category": category})
    doc.paragraph(_("感谢您对我们工作的关心和支持，欢迎继续提出意见和建议。"))
    doc.paragraph(
        _("签发人：%(signer)s") % {"signer": reply.signer if reply else _("（单位主要负责人）")}
    )
    doc.signature(
        org=unit,
        date=timezone.localtime(reply.sent_at).date() if reply else _today(),
    )
    copies = [c.person.name + _("代表") for c in s.cosigners.all()]
    copies += [s.office.name, _("市人民政府督查室")]
    copies += [a.unit.name for a in co]
    doc.record(printer=unit, date=_today(), copies_to="、".join(copies))
    return f"答复函-{s.session.name}{s.number_label}.docx", doc.to_bytes()


def figures_report(data: YearFigures, *, issuer: str) -> tuple[str, bytes]:
    """The year's figures (代表建议办理情况统计)."""
    doc = OfficialDocument(
        issuer=issuer,
        number="",
        title=_("%(year)s年代表建议办理情况统计") % {"year": data.year},
    )
    received = data.figure("received").value
    answered = data.figure("answered")
    doc.paragraph(
        _(
            "%(year)s年共收到代表建议%(received)s件，立案%(accepted)s件，交办%(assigned)s件，"
            "已答复%(answered)s件（%(rate)s），其中按期答复%(on_time)s件；代表满意率%(sat)s。"
        )
        % {
            "year": data.year,
            "received": received,
            "accepted": data.figure("accepted").value,
            "assigned": data.figure("assigned").value,
            "answered": answered.value,
            "rate": _pct(answered.rate),
            "on_time": data.figure("answered_on_time").value,
            "sat": _pct(data.satisfaction_rate),
        }
    )
    doc.heading1(_("一、办理进度"))
    doc.table(
        [_("项目"), _("件数"), _("占比")],
        [[str(f.label), f.value, _pct(f.rate) if f.of else "—"] for f in data.figures],
    )
    doc.heading1(_("二、答复类别"))
    doc.table(
        [_("类别"), _("件数"), _("占已答复")],
        [[str(f.label), f.value, _pct(f.rate)] for f in data.categories],
    )
    doc.heading1(_("三、代表满意度"))
    doc.table(
        [_("评价"), _("件数"), _("占已评价")],
        [
            [str(f.label), _("不公开") if f.suppressed else f.value, _pct(f.rate)]
            for f in data.satisfaction
        ],
    )
    if data.min_verdicts:
        doc.paragraph(
            _("代表评价少于%(n)d件的满意度不公开，以免推知代表个人的评价。")
            % {"n": data.min_verdicts}
        )
    doc.heading1(_("四、承办单位排名"))
    doc.paragraph(
        _(
            "按按期答复率、满意率、按时联系代表率依次排序；比率相同的并列。"
            "按期答复率只计已到答复期限的建议，尚无到期建议的单位排在后面。"
        )
    )
    doc.table(
        [_("名次"), _("承办单位"), _("主办件数"), _("已到期"), _("按期答复率"), _("满意率"),
         _("按时联系率")],
        [
            [u.rank, u.unit, u.assigned, u.due, _pct(u.on_time_rate), _pct(u.satisfaction_rate),
             _pct(u.contact_rate)]
            for u in data.units
        ],
    )  # fmt: skip
    if data.campaigns:
        doc.heading1(_("五、代表活动收集意见"))
        doc.table(
            [_("活动"), _("收集"), _("办结")],
            [[c.name, c.collected, c.completed] for c in data.campaigns],
        )
    doc.signature(org=issuer, date=_today())
    doc.record(printer=issuer, date=_today())
    return f"{data.year}年代表建议办理情况统计.docx", doc.to_bytes()
