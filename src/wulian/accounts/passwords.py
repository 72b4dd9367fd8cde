"""Password-rule profiles: 等保 level 3 (default) and OWASP ASVS 5.0 L2.

等保 8.1.4.1a asks for composition and periodic change; ASVS 6.2.5 / 6.2.10 forbid both.
The deployment chooses with WULIAN_PASSWORD_PROFILE; docs/security.md records why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class PasswordProfile:
    name: str
    min_length: int
    max_length: int
    min_classes: int  # of lower, upper, digit, symbol
    max_age_days: int | None


PROFILES = {
    "mlps3": PasswordProfile(
        "mlps3", min_length=10, max_length=128, min_classes=3, max_age_days=90
    ),
    "asvs": PasswordProfile(
        "asvs", min_length=12, max_length=128, min_classes=0, max_age_days=None
    ),
}


def active_profile() -> PasswordProfile:
    try:
        return PROFILES[settings.PASSWORD_PROFILE]
    except KeyError:
        raise ImproperlyConfigured(
            f"WULIAN_PASSWORD_PROFILE={settings.PASSWORD_PROFILE!r}: choose one of "
            f"{', '.join(PROFILES)}."
        ) from None


def character_classes(password: str) -> int:
    return sum(
        [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
    )


class ProfileValidator:
    """Django password validator applying the active profile."""

    def validate(self, password: str, user: Any = None) -> None:
        profile = active_profile()
        errors = []
        if len(password) < profile.min_length:
            errors.append(
                ValidationError(
                    _("密码至少需要 %(n)d 个字符。") % {"n": profile.min_length},
                    code="password_too_short",
                )
            )
        if len(password) > profile.max_length:
            errors.append(
                ValidationError(
                    _("密码不能超过 %(n)d 个字符。") % {"n": profile.max_length},
                    code="password_too_long",
                )
            )
        if profile.min_classes and character_classes(password) < profile.min_classes:
            errors.append(
                ValidationError(
                    _("密码须包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。")
                    % {"n": profile.min_classes},
                    code="password_too_simple",
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        profile = active_profile()
        text = _("至少 %(n)d 个字符。") % {"n": profile.min_length}
        if profile.min_classes:
            text += " " + _("须包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。") % {
                "n": profile.min_classes
            }
        if profile.max_age_days:
            text += " " + _("每 %(d)d 天须更换一次。") % {"d": profile.max_age_days}
        return text


def password_expires_at(user: Any) -> datetime | None:
    profile = active_profile()
    if not profile.max_age_days or user.password_changed_at is None:
        return None
    return user.password_changed_at + timedelta(days=profile.max_age_days)
