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
}

DEADLINE_KINDS: dict[str, str | Promise] = {"inquiry_opinion": _("审议意见送达期限")}
