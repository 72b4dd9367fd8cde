from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wulian.core.polls import tally


class PollKind(models.TextChoices):
    SATISFACTION = "satisfaction", _("满意度测评")
    APPROVAL = "approval", _("票决")


class TallyRule(models.TextChoices):
    MAJORITY_OF_VALID = "majority_valid", _("按有效票过半数评定")
    MAJORITY_OF_MEMBERS = "majority_members", _("按全体应投票人数过半数评定")
    WEIGHTED = "weighted", _("按评议主体权重计分")
    TOP_N = "top_n", _("差额票决：赞成票过全体半数、按得票多少确定")


# Which rules a kind of poll may use.
RULES_OF_KIND = {
    PollKind.SATISFACTION: {
        TallyRule.MAJORITY_OF_VALID,
        TallyRule.MAJORITY_OF_MEMBERS,
        TallyRule.WEIGHTED,
    },
    PollKind.APPROVAL: {TallyRule.TOP_N},
}


class PollState(models.TextChoices):
    DRAFT = "draft", _("草拟")
    OPENING = "opening", _("待见证开启")
    OPEN = "open", _("投票中")
    CLOSED = "closed", _("已截止")
    SEALED = "sealed", _("已计票待见证")
    CERTIFIED = "certified", _("结果已确认")


OPTION_LABELS = {
    tally.SATISFIED: _("满意"),
    tally.BASIC: _("基本满意"),
    tally.UNSATISFIED: _("不满意"),
    tally.FOR: _("赞成"),
    tally.AGAINST: _("反对"),
    tally.ABSTAIN: _("弃权"),
}
