"""Audit action codes of special inquiries and their labels."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, str | Promise] = {
    "inquiries.inquiry.created": _("新建专题询问"),
    "inquiries.question.added": _("拟定询问问题"),
    "inquiries.inquiry.held": _("举行专题询问会议"),
    "inquiries.question.answered": _("记录应询答复"),
    "inquiries.inquiry.opinion_sent": _("送达专题询问审议意见"),
    "inquiries.inquiry.research_added": _("安排专题询问前期调研"),
    "inquiries.inquiry.looked_back": _("记录专题询问回头看情况"),
    "inquiries.inquiry.bulletin_drafted": _("起草专题询问工作通报"),
    "inquiries.inquiry.ballot_opened": _("发起专题询问满意度测评"),
}

DEADLINE_KINDS: dict[str, str | Promise] = {"inquiry_opinion": _("审议意见送达期限")}
