"""Stable dotted audit action codes and their labels, shown on record timelines."""

from __future__ import annotations

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
    "clues.clue.disposed": _("处置问题线索"),
    "clues.clue.feedback_given": _("反馈线索处置情况"),
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
    "notifications.preferences.saved": _("修改消息设置"),
    "notifications.outbox.retried": _("重发消息"),
    "notifications.outbox.dropped": _("放弃发送消息"),
    "notifications.webhook_target.created": _("新增群机器人"),
    "notifications.webhook_target.updated": _("修改群机器人"),
    "notifications.webhook_target.tested": _("群机器人测试消息"),
}


def register(labels: dict[str, str | Promise]) -> None:
    """A link app adds the labels of its action codes (from its AppConfig.ready)."""
    clash = {code for code in labels if code in LABELS and LABELS[code] != labels[code]}
    if clash:
        raise ValueError(f"audit action codes labelled twice: {sorted(clash)}")
    LABELS.update(labels)


def label_for(code: str) -> str | Promise:
    return LABELS.get(code, code)
