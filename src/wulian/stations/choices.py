"""Choice sets of the liaison-station link (联督 II: 代表联络站)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class District(models.TextChoices):
    HUANGSHIGANG = "huangshigang", _("黄石港区")
    XISAISHAN = "xisaishan", _("西塞山区")
    XIALU = "xialu", _("下陆区")
    TIESHAN = "tieshan", _("铁山区")
    DEVELOPMENT_ZONE = "development_zone", _("开发区")
    DAYE = "daye", _("大冶市")
    YANGXIN = "yangxin", _("阳新县")


class DutyRole(models.TextChoices):
    DEPUTY = "deputy", _("驻站代表")
    MONITOR = "monitor", _("清廉监督员")


class EventKind(models.TextChoices):
    RECEPTION_DAY = "reception_day", _("选民接待日")
    TUESDAY = "tuesday", _("相约星期二")
    TOPIC = "topic", _("专题议事")


class HolidayRule(models.TextChoices):
    """What a recurring event does when its day is not a working day (法定节假日、周末)."""

    MOVE = "move", _("顺延至下一个工作日")
    SKIP = "skip", _("当次不举行")


class EventState(models.TextChoices):
    PLANNED = "planned", _("已公告")
    HELD = "held", _("已举行")
    CANCELLED = "cancelled", _("已取消")


class Disposition(models.TextChoices):
    OPEN = "open", _("待处理")
    ANSWERED = "answered", _("当场答复")
    HANDED = "handed", _("已转交部门")
    REPLIED = "replied", _("部门已答复")
    RAISED = "raised", _("已形成代表建议")
    DECLINED = "declined", _("不予受理")


class OpinionStep(models.TextChoices):
    ANSWER = "answer", _("当场答复")
    HAND = "hand", _("转交部门")
    REPLY = "reply", _("部门答复")
    RAISE = "raise", _("形成代表建议")
    DECLINE = "decline", _("不予受理")


class Elsewhere(models.TextChoices):
    """Where a resident is told to go with a matter a station does not take (依法分流)."""

    LITIGATION = "litigation", _("向人民法院提起诉讼")
    ARBITRATION = "arbitration", _("申请仲裁")
    PETITION = "petition", _("通过信访渠道反映")
    RECONSIDERATION = "reconsideration", _("申请行政复议")
    OTHER = "other", _("其他途径")


D = Disposition
S = OpinionStep
# The one place that says which step may be taken on an opinion in which state.
OPINION_TRANSITIONS: dict[tuple[str, str], str] = {
    (D.OPEN, S.ANSWER): D.ANSWERED,
    (D.OPEN, S.HAND): D.HANDED,
    (D.OPEN, S.RAISE): D.RAISED,
    (D.OPEN, S.DECLINE): D.DECLINED,
    (D.HANDED, S.REPLY): D.REPLIED,
}

DEADLINE_OPINION = "station_opinion_reply"
# A department answers a resident's opinion handed to it within this many working days.
REPLY_WORKING_DAYS = 15
# The notice of an event is up on the public page at least this many days before it.
NOTICE_DAYS = 3
