"""Text a person types, in one place: every text field of every form, every API serializer's
text field, every cell of an import and every attachment's file name passes `clean()`.

- normalised to NFC (the same word is stored the same way, whatever the keyboard sent);
- bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F) are removed: they
  make a title or a file name read differently from what it is (`报告\u202eexe.docx`);
- a text made only of invisible characters (zero-width spaces, other format characters,
  whitespace) is refused with a message saying what to fix: it would be a title nobody sees.

`install()` (called once from the core's AppConfig) makes Django's `forms.CharField` (and its
subclasses: e-mail, URL, slug …) and DRF's `serializers.CharField` clean their values with it;
password inputs are left exactly as typed. Imports call `normalise()` on each cell (a cell of
invisible characters is then empty, and a required column says so); attachments call
`clean(…, what=FILE_NAME)`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.utils.translation import gettext as _

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f]")
FILE_NAME = "file_name"


class InvisibleText(ValueError):
    """The text holds no visible character."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_invisible(text: str) -> bool:
    """True for a non-empty text with no visible character (only whitespace, zero-width and
    other format characters, controls)."""
    return bool(text) and all(
        ch.isspace() or unicodedata.category(ch) in ("Cf", "Cc", "Zs", "Zl", "Zp", "Mn")
        for ch in text
    )


def normalise(text: str) -> str:
    """NFC, bidi controls removed; a text of invisible characters only becomes ""."""
    text = BIDI_CONTROLS.sub("", unicodedata.normalize("NFC", text))
    return "" if is_invisible(text) else text


def clean(text: str, *, what: str = "") -> str:
    """NFC, bidi controls removed; raises InvisibleText for a text of invisible characters."""
    if not isinstance(text, str) or not text:
        return text
    cleaned = BIDI_CONTROLS.sub("", unicodedata.normalize("NFC", text))
    if not cleaned or is_invisible(cleaned):
        if what == FILE_NAME:
            raise InvisibleText(
                _("文件名只含不可见字符（如零宽空格），请改用看得见的文件名再上传。")
            )
        raise InvisibleText(
            _("此处只填了不可见的字符（如零宽空格、方向控制符），请输入看得见的文字。")
        )
    return cleaned


def _is_password(field: Any) -> bool:
    from django import forms

    return isinstance(getattr(field, "widget", None), forms.PasswordInput)


def install() -> None:
    """Make every Django form text field and every DRF text field clean through `clean()`."""
    from django import forms
    from rest_framework import serializers

    if getattr(forms.CharField, "_wulian_text", False):
        return
    form_to_python = forms.CharField.to_python
    api_to_internal = serializers.CharField.to_internal_value

    def to_python(self: forms.CharField, value: Any) -> Any:
        value = form_to_python(self, value)
        if isinstance(value, str) and value and not _is_password(self):
            try:
                value = clean(value)
            except InvisibleText as exc:
                raise forms.ValidationError(exc.message, code="invisible") from None
            if self.strip:
                value = value.strip()
        return value

    def to_internal_value(self: serializers.CharField, data: Any) -> Any:
        value = api_to_internal(self, data)
        if isinstance(value, str) and value and self.style.get("input_type") != "password":
            try:
                value = clean(value)
            except InvisibleText as exc:
                raise serializers.ValidationError(exc.message, code="invisible") from None
            if self.trim_whitespace:
                value = value.strip()
        return value

    forms.CharField.to_python = to_python
    serializers.CharField.to_internal_value = to_internal_value
    forms.CharField._wulian_text = True
