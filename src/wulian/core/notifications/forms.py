"""Forms of notifications. They parse input only; the services validate."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wulian.core.errors import DomainError
from wulian.core.models import Organisation
from wulian.core.notifications.models import WebhookKind, WebhookTarget
from wulian.core.notifications.selectors import PreferenceRow

ALIASES = {"organisation_id": "organisation"}


def apply_errors(form: forms.Form, exc: DomainError) -> None:
    """Field errors on their fields, the rest (and the message) above the form."""
    shown: set[str] = set()
    for key, messages in exc.field_errors.items():
        name = ALIASES.get(key, key)
        for message in messages:
            if name in form.fields and not form.fields[name].widget.is_hidden:
                form.add_error(name, message)
                shown.add(str(message))
            else:
                form.add_error(None, message)
    if exc.message not in shown:
        form.add_error(None, exc.message)


class OrganisationField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.code} {obj.name}"


class WebhookTargetForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=80)
    kind = forms.ChoiceField(label=_("类型"), choices=WebhookKind.choices)
    url = forms.CharField(
        label=_("Webhook 地址"),
        max_length=500,
        help_text=_(
            "企业微信：https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…；"
            "钉钉：https://oapi.dingtalk.com/robot/send?access_token=…（政务版填写本地地址）"
        ),
    )
    secret = forms.CharField(
        label=_("加签密钥"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("钉钉“加签”安全设置的 SEC… 密钥，或通用回调的签名密钥；保存后不再显示。"),
    )
    clear_secret = forms.BooleanField(label=_("删除已保存的密钥"), required=False)
    organisation = OrganisationField(
        label=_("所属单位"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("全站（所有单位的消息）"),
    )
    kind_prefix = forms.CharField(
        label=_("消息类型前缀"),
        max_length=100,
        required=False,
        help_text=_("只推送以此开头的消息类型，如 deadlines.；留空推送全部。"),
    )
    enabled = forms.BooleanField(label=_("启用"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, instance: WebhookTarget | None = None, **kwargs: Any):
        if instance is not None and not args:
            kwargs.setdefault(
                "initial",
                {
                    "name": instance.name,
                    "kind": instance.kind,
                    "url": instance.url,
                    "organisation": instance.organisation_id,
                    "kind_prefix": instance.kind_prefix,
                    "enabled": instance.enabled,
                    "version": instance.version,
                },
            )
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True).order_by(
            "sort_order", "code"
        )
        if instance is None:
            del self.fields["clear_secret"]
        elif instance.secret:
            self.fields["secret"].help_text = _("已保存密钥；留空则保持不变。")

    def to_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        org = d.get("organisation")
        data = {
            "name": d["name"],
            "kind": d["kind"],
            "url": d["url"].strip(),
            "secret": d.get("secret") or "",
            "organisation_id": org.pk if org else None,
            "kind_prefix": d.get("kind_prefix") or "",
            "enabled": bool(d.get("enabled")),
        }
        if "clear_secret" in self.fields:
            data["clear_secret"] = bool(d.get("clear_secret"))
        return data


PREF_VALUES = {"on": True, "off": False, "": None}


def field_name(prefix: str, channel: str) -> str:
    return f"pref|{prefix}|{channel}"


def parse_preferences(
    post: Mapping[str, Any], rows: list[PreferenceRow]
) -> dict[tuple[str, str], bool | None]:
    """The posted grid as {(prefix, channel): on/off/None}. Only cells shown on the page are
    read; a missing or unknown value keeps that cell as the row above (kind rows) or off (the
    "everything" row: an unchecked box is not posted)."""
    choices: dict[tuple[str, str], bool | None] = {}
    for row in rows:
        for cell in row.cells:
            raw = post.get(field_name(row.prefix, cell.channel), "")
            if row.prefix == "":
                choices[("", cell.channel)] = raw == "on"
            else:
                choices[(row.prefix, cell.channel)] = PREF_VALUES.get(raw)
    return choices
