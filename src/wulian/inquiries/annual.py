"""联督's part of the annual 五联 report for the special inquiries (wulian.reports.annual): the
inquiries held in the year, their topics and the commitments the answering units made, with
how many of those are rectified."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from wulian.core.choices import Sensitivity
from wulian.core.rectification.choices import RectificationState
from wulian.core.rectification.models import Rectification
from wulian.inquiries.choices import InquiryState
from wulian.inquiries.models import Inquiry, Question
from wulian.reports.annual import Part

HELD = [InquiryState.HELD, InquiryState.OPINION_SENT]


def parts(year: int) -> list[Part]:
    held = list(
        Inquiry.objects.filter(year=year, state__in=HELD)
        .order_by("held_on", "pk")
        .values_list("pk", "title", "sensitivity")
    )
    if not held:
        return []
    # A topic is named only when the inquiry is not marked sensitive (an open hearing's topic
    # is public; a sensitive one is counted, not named).
    topics = [
        title
        for _pk, title, grade in held
        if grade not in (Sensitivity.SENSITIVE, Sensitivity.CONFIDENTIAL)
    ]
    rects = Rectification.objects.filter(
        finding__content_type=ContentType.objects.get_for_model(Question),
        finding__object_id__in=Question.objects.filter(
            inquiry_id__in=[pk for pk, _t, _g in held]
        ).values("pk"),
    )
    total = rects.count()
    closed = rects.filter(state=RectificationState.CLOSED).count()
    nums: dict[str, int | str] = {
        "inquiries.held": len(held),
        "inquiries.commitments": total,
        "inquiries.commitments_closed": closed,
    }
    text = _("聚焦民生痛点堵点开展专题询问，%(y)d年") % {"y": year}
    if topics:
        text += _("围绕%(t)s等问题") % {"t": "、".join(topics)}
    text += _("对相关市直部门和单位开展%(n)d场专题询问") % {"n": len(held)}
    if total:
        text += _("，应询单位作出整改承诺%(c)d项，已整改销号%(d)d项") % {"c": total, "d": closed}
    return [Part("livelihood", 30, [text + "。"], nums)]
