"""Forms of the attachments panel: they parse input only; the services validate."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wulian.core.choices import Sensitivity


class UploadForm(forms.Form):
    # Empty files and names are refused by the service, with its own message.
    file = forms.FileField(label=_("文件"), allow_empty_file=True)
    description = forms.CharField(label=_("说明"), max_length=200, required=False)
    sensitivity = forms.ChoiceField(
        label=_("密级"), choices=[("", _("同所属记录")), *Sensitivity.choices], required=False
    )


class RemoveForm(forms.Form):
    reason = forms.CharField(label=_("移除原因"), max_length=500)
