"""Stable dotted audit action codes and their labels, shown on record timelines."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, str | Promise] = {
    "accounts.login.password_ok": _("登录（密码验证通过）"),
    "accounts.login.second_factor_ok": _("通过双因素验证"),
    "accounts.login.second_factor_failed": _("双因素验证失败"),
    "accounts.login.failed": _("登录失败"),
    "accounts.login.locked": _("账号被锁定"),
    "accounts.login.refused_locked": _("锁定期间尝试登录"),
    "accounts.login.throttled": _("登录过于频繁被限制（按地址）"),
    "accounts.logout": _("退出登录"),
    "accounts.session.expired": _("会话过期"),
    "accounts.password.changed": _("修改密码"),
    "accounts.second_factor.enrolled": _("绑定验证器"),
    "accounts.second_factor.reset": _("重置双因素认证"),
    "accounts.account.unlocked": _("解锁账号"),
    "accounts.sessions.ended": _("结束全部会话"),
    "accounts.account.deactivated": _("停用账号"),
    "accounts.account.reactivated": _("启用账号"),
    "accounts.admin.bootstrapped": _("命令行创建管理员账号"),
    "accounts.api_token.created": _("创建 API 令牌"),
    "accounts.api_token.revoked": _("作废 API 令牌"),
    "accounts.api_token.allowance_set": _("准许较长的 API 令牌有效期"),
    "core.organisation.created": _("新建单位"),
    "core.organisation.updated": _("修改单位"),
    "core.person.created": _("新建人员"),
    "core.person.updated": _("修改人员"),
    "core.membership.added": _("新增任职"),
    "core.membership.ended": _("终止任职"),
    "core.membership.requested": _("提出纪委监委一方的授权（待确认）"),
    "core.membership.confirmed": _("确认授权"),
    "core.membership.refused": _("不予确认授权"),
    "core.membership.bootstrapped": _("命令行设置首位纪委监委负责人或线索管理员"),
    "core.deputy_profile.saved": _("保存代表信息"),
    "core.expert_profile.saved": _("保存专家信息"),
    "core.integrity_monitor_profile.saved": _("保存清廉监督员信息"),
    "core.reference.imported": _("导入基础数据"),
    "core.reference.seeded": _("载入演示数据"),
    "core.field_keys.reencrypted": _("加密字段换用新密钥"),
    "core.audit.checkpoint_signed": _("签署审计链检查点"),
    "core.audit.head_repaired": _("修复审计链头"),
    "rectification.finding.raised": _("提出问题并交付整改"),
    "rectification.finding.updated": _("修改问题"),
    "rectification.rectification.committed": _("制定整改措施"),
    "rectification.rectification.progress_reported": _("报送整改进展"),
    "rectification.rectification.submitted": _("提交整改核验"),
    "rectification.rectification.verified_closed": _("核验通过并销号"),
    "rectification.rectification.reopened": _("退回重新整改"),
    "rectification.ledger.exported": _("导出整改台账"),
    "clues.clue.drafted": _("起草问题线索"),
    "clues.clue.updated": _("修改问题线索"),
    "clues.clue.transferred": _("移送问题线索"),
    "clues.clue.received": _("签收问题线索"),
    "clues.clue.taken_in": _("纪委监委直接受理问题线索"),
    "clues.clue.disposed": _("处置问题线索"),
    "clues.clue.feedback_given": _("反馈线索处置情况"),
    "clues.clue.proposed": _("提出线索处置意见"),
    "clues.clue.proposal_returned": _("退回线索处置意见"),
    "clues.clue.reactivated": _("启用暂存待查线索"),
    "clues.clue.concluded": _("登记线索办理结果"),
    "clues.clue.viewed": _("查阅问题线索内容"),
    "clues.clue.status_viewed": _("查看问题线索办理状态"),
    "clues.clue.listed": _("查看问题线索列表"),
    "activities.activity.created": _("新建监督活动"),
    "activities.activity.updated": _("修改监督活动"),
    "activities.activity.held": _("活动已举行"),
    "activities.activity.cancelled": _("取消活动"),
    "activities.participant.added": _("添加参加单位"),
    "activities.participant.removed": _("移除参加单位"),
    "activities.record.linked": _("关联记录"),
    "activities.record.unlinked": _("取消关联记录"),
    "attachments.attachment.added": _("上传附件"),
    "attachments.attachment.copied": _("复制附件"),
    "attachments.attachment.removed": _("移除附件"),
    "attachments.attachment.downloaded": _("下载附件"),
    "deadlines.deadline.opened": _("开始计算期限"),
    "deadlines.deadline.paused": _("期限暂停计时"),
    "deadlines.deadline.resumed": _("期限恢复计时"),
    "deadlines.deadline.recalculated": _("期限按节假日安排重新计算"),
    "deadlines.deadline.met": _("期限内办结"),
    "deadlines.deadline.missed": _("逾期办结"),
    "deadlines.deadline.cancelled": _("取消期限"),
    "deadlines.deadline.extension_requested": _("申请延期"),
    "deadlines.deadline.extension_approved": _("批准延期申请"),
    "deadlines.deadline.extension_refused": _("不同意延期"),
    "deadlines.deadline.reminded": _("期限提醒"),
    "deadlines.deadline.escalated": _("逾期督办"),
    "deadlines.calendar.day_added": _("节假日日历：添加日期"),
    "deadlines.calendar.day_removed": _("节假日日历：删除日期"),
    "deadlines.calendar.year_completed": _("节假日日历：标记年度完整"),
    "deadlines.calendar.year_imported": _("节假日日历：导入年度"),
    "core.task.started": _("后台导出"),
    "core.task.finished": _("后台导出完成"),
    "notifications.preferences.saved": _("修改消息设置"),
    "notifications.outbox.retried": _("重发消息"),
    "notifications.outbox.dropped": _("放弃发送消息"),
    "notifications.webhook_target.created": _("新增群机器人"),
    "notifications.webhook_target.updated": _("修改群机器人"),
    "notifications.webhook_target.tested": _("群机器人测试消息"),
    "notifications.retention.purged": _("清理过期消息"),
}


def register(labels: dict[str, str | Promise]) -> None:
    """A link app adds the labels of its action codes (from its AppConfig.ready)."""
    clash = {code for code in labels if code in LABELS and LABELS[code] != labels[code]}
    if clash:
        raise ValueError(f"audit action codes labelled twice: {sorted(clash)}")
    LABELS.update(labels)


def label_for(code: str) -> str | Promise:
    return LABELS.get(code, code)


# --- Field descriptions: the values of an event's `after`, in words (the record's history) ----
#
# Each app describes the keys its services write into an audit event's `after`: a label and
# how to show the value — an organisation or a person by name instead of an id, a choice by its
# label, a time in local time. A key that is not described (an internal id, a digest) is left
# out of the history in words; the raw event keeps it (技术详情, the audit trail).
#
# A key is looked up as "<action code>:<key>" first (the same key meaning different things in
# two events), then "<action family>:<key>" (the code without its last part, e.g.
# "deadlines.deadline:state"), then "<key>".

# How a value is shown.
TEXT = "text"  # as written
ORG = "org"  # an organisation id → its short name
ORGS = "orgs"  # a list of organisation ids
PERSON = "person"  # a person id → the name
PERSONS = "persons"  # a list of person ids
BOOL = "bool"  # 是 / 否
WHEN = "when"  # a time → local time in the reader's language
DATE = "date"  # a date
CHOICE = "choice"  # a code → its label (choices)
DEADLINE_KIND = "deadline_kind"  # a deadline kind → its name (DEADLINE_KINDS)
COUNT = "count"  # a list → how many


@dataclass(frozen=True)
class Field:
    label: str | Promise
    kind: str = TEXT
    choices: Mapping[Any, Any] | None = None


def field(label: str | Promise, kind: str = TEXT, choices: Any = None) -> Field:
    """A field description; `choices` a TextChoices class or a mapping of code to label."""
    if choices is not None and not isinstance(choices, Mapping):
        choices = dict(choices.choices)
    return Field(label, CHOICE if choices is not None else kind, choices)


FIELDS: dict[str, Field] = {}
# A deadline's kind (Deadline.kind) in words: "suggestion_reply" → 答复期限.
DEADLINE_KINDS: dict[str, str | Promise] = {}


def register_fields(fields: Mapping[str, Field]) -> None:
    """A link app describes the keys of its events' `after` (from its AppConfig.ready)."""
    clash = {key for key in fields if key in FIELDS and FIELDS[key] != fields[key]}
    if clash:
        raise ValueError(f"audit fields described twice: {sorted(clash)}")
    FIELDS.update(fields)


def register_deadline_kinds(kinds: Mapping[str, str | Promise]) -> None:
    DEADLINE_KINDS.update(kinds)


def field_for(action: str, key: str) -> Field | None:
    family = action.rpartition(".")[0]
    return FIELDS.get(f"{action}:{key}") or FIELDS.get(f"{family}:{key}") or FIELDS.get(key)


def _core_fields() -> dict[str, Field]:
    from wulian.core.activities.choices import ActivityState
    from wulian.core.choices import Role, Sensitivity
    from wulian.core.clues.choices import ClueState, Disposition
    from wulian.core.clues.choices import Outcome as ClueOutcome
    from wulian.core.rectification.choices import RectificationState

    deadline_state = {
        "open": _("计时中"),
        "paused": _("计时已暂停"),
        "met": _("按期办结"),
        "missed": _("逾期办结"),
        "cancelled": _("已取消"),
    }
    return {
        "organisation": field(_("单位"), ORG),
        "unit": field(_("单位"), ORG),
        "units": field(_("单位"), ORGS),
        "role": field(_("角色"), choices=Role),
        "name": field(_("名称")),
        "reason": field(_("原因")),
        "file_name": field(_("文件名")),
        "rows": field(_("行数")),
        "year": field(_("年度")),
        "days": field(_("天数")),
        "date": field(_("日期"), DATE),
        "sensitivity": field(_("密级"), choices=Sensitivity),
        "deadlines.deadline:assigner_org": field(_("交办单位"), ORG),
        "deadlines.deadline:kind": field(_("期限"), DEADLINE_KIND),
        "deadlines.deadline:due_at": field(_("截止时间"), WHEN),
        "deadlines.deadline:closed_at": field(_("办结时间"), WHEN),
        "deadlines.deadline:state": field(_("结果"), choices=deadline_state),
        "deadlines.deadline:responsible_org": field(_("承办单位"), ORG),
        "deadlines.deadline:escalate_to": field(_("逾期另行报告"), ORGS),
        "deadlines.deadline:reason": field(_("理由")),
        "deadlines.deadline:months": field(_("延长月数")),
        "deadlines.deadline:working_days": field(_("延长工作日")),
        "deadlines.deadline:new_due_at": field(_("新的截止时间"), WHEN),
        "rectification.finding:about_organisation": field(_("整改单位"), ORG),
        "rectification.finding:found_by_org": field(_("发现单位"), ORG),
        "rectification.rectification:planned_completion": field(_("计划完成时间"), DATE),
        "rectification.rectification:months": field(_("整改期限（月）")),
        "rectification.rectification:reopen_count": field(_("退回次数")),
        "rectification.rectification:state": field(_("状态"), choices=RectificationState),
        "clues.clue:state": field(_("状态"), choices=ClueState),
        "clues.clue:disposition": field(_("处置方式"), choices=Disposition),
        "clues.clue:proposed_disposition": field(_("拟处置方式"), choices=Disposition),
        "clues.clue:outcome": field(_("办理结果"), choices=ClueOutcome),
        "activities.activity:state": field(_("状态"), choices=ActivityState),
        "clues.clue:receiving_org": field(_("接收单位"), ORG),
        "clues.clue:receipt_working_days": field(_("签收期限（工作日）")),
        "clues.clue:disposition_working_days": field(_("处置期限（工作日）")),
        "activities.activity:organiser": field(_("组织单位"), ORG),
        "activities.activity:cancel_reason": field(_("取消原因")),
        "activities.participant:organisation": field(_("参加单位"), ORG),
        "attachments.attachment:file_name": field(_("文件名")),
    }


def register_core() -> None:
    register_fields(_core_fields())
    register_deadline_kinds(
        {
            "clue_receipt": _("线索签收期限"),
            "clue_disposition": _("线索处置期限"),
            "clue_transfer": _("线索移送期限"),
            "commitment": _("制定整改措施期限"),
            "rectification": _("整改期限"),
        }
    )
