"""The form and validator messages in the product's voice.

Django's own (translated) wording — "确保该变量包含不超过 200 字符 (目前字符数 250)。", "选择一个
有效的选项。 x 不在可用的选项中。", "这个字段是必填项。" — reads like a program talking. These say
what to do, in the words the rest of the product uses. Installed once, from the core's
AppConfig.ready, before any form class is built (a field takes its messages when created).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

FIELD_MESSAGES = {
    "Field": {"required": _("请填写此项。")},
    "CharField": {},
    "IntegerField": {"invalid": _("请填写整数。")},
    "FloatField": {"invalid": _("请填写数字。")},
    "DecimalField": {"invalid": _("请填写数字。")},
    "DateField": {"invalid": _("请按“年-月-日”填写日期，例如 2026-12-06。")},
    "DateTimeField": {"invalid": _("请按“年-月-日 时:分”填写时间，例如 2026-12-06 14:30。")},
    "TimeField": {"invalid": _("请按“时:分”填写时间，例如 14:30。")},
    "ChoiceField": {"invalid_choice": _("请从列表中选择，“%(value)s”不是可选的项目。")},
    "MultipleChoiceField": {
        "invalid_choice": _("请从列表中选择，“%(value)s”不是可选的项目。"),
        "invalid_list": _("请从列表中选择。"),
    },
    "ModelChoiceField": {"invalid_choice": _("请从列表中选择，所选项目已不可用。")},
    "ModelMultipleChoiceField": {
        "invalid_choice": _("请从列表中选择，“%(value)s”不是可选的项目。"),
        "invalid_list": _("请从列表中选择。"),
        "invalid_pk_value": _("请从列表中选择，“%(pk)s”不是可选的项目。"),
    },
    "FileField": {
        "invalid": _("没有收到文件，请重新选择文件。"),
        "missing": _("没有收到文件，请重新选择文件。"),
        "empty": _("所选文件是空的，请检查后重新选择。"),
    },
    "EmailField": {},
    "URLField": {},
}

MAX_LENGTH = _("最多可填 %(limit_value)d 个字，现在有 %(show_value)d 个字，请删减后再提交。")
MIN_LENGTH = _("至少要填 %(limit_value)d 个字，现在只有 %(show_value)d 个字。")


def install() -> None:
    from django import forms
    from django.core import validators

    for name, messages in FIELD_MESSAGES.items():
        if messages:
            getattr(forms, name).default_error_messages.update(messages)
    validators.MaxLengthValidator.message = MAX_LENGTH
    validators.MinLengthValidator.message = MIN_LENGTH
    validators.MaxValueValidator.message = _("不能大于 %(limit_value)s。")
    validators.MinValueValidator.message = _("不能小于 %(limit_value)s。")
    validators.EmailValidator.message = _("请填写有效的电子邮箱地址，例如 name@example.cn。")
    validators.URLValidator.message = _("请填写完整的网址，以 https:// 开头。")
