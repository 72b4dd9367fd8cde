"""Choice sets of deadlines and the holiday calendar."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日（放假）")
    MAKEUP_WORKDAY = "makeup_workday", _("调休上班日")


class RuleKind(models.TextChoices):
    HOURS = "hours", _("自然小时")
    WORKING_DAYS = "working_days", _("工作日")
    MONTHS = "months", _("自然月")


class EscalateUnit(models.TextChoices):
    HOURS = "hours", _("小时")
    WORKING_DAYS = "working_days", _("工作日")


class DeadlineState(models.TextChoices):
    OPEN = "open", _("计时中")
    PAUSED = "paused", _("已暂停")
    MET = "met", _("按期办结")
    MISSED = "missed", _("逾期办结")
    CANCELLED = "cancelled", _("已取消")


# States in which the clock may still run (or be resumed).
LIVE_STATES = frozenset({DeadlineState.OPEN, DeadlineState.PAUSED})


class Decision(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已同意")
    REFUSED = "refused", _("未同意")


class PointOutcome(models.TextChoices):
    SENT = "sent", _("已发送")
    # An earlier point that fell due together with a later one (the sweep was stopped, or the
    # deadline opened late): recorded so that it is never sent, but not sent.
    SKIPPED = "skipped", _("已跳过")
