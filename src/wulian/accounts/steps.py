"""The security administrator's steps on an account, declared once: the account list's buttons
and `POST /api/v1/accounts/{id}/<step>/` are made from them (wulian.core.steps, ADR 0017).
Account administration stays with the security administrator (`accounts.account.manage`,
三员分立); through the API as on the page, a person whose role needs a second factor reaches
it only with a session past the second factor or with a token (made on the token page after
it, lasting a day unless the security administrator allows longer, revocable there).

A person's API token is revoked by its owner alone (`accounts.api_token.own`): through the
API a token of someone else is a 404, as on the page, so that its existence is not revealed.

Not steps, and with no API door: signing in and out, the second factor (verify, set up) and
the password change — they are the person's own session, what a bearer token stands in for,
not something a token should be able to do (an API client signs in by its token) — and making
a token, which acts on no existing record and hands out a credential: a token is made on the
token page, past the second factor where the person's role needs it.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework import serializers

from wulian.accounts import services
from wulian.accounts.forms import NoInput, TokenAllowanceForm
from wulian.accounts.models import ApiToken, User
from wulian.core import steps
from wulian.core.errors import TransitionNotAllowed
from wulian.core.steps import RecordBinding


class AccountOut(serializers.ModelSerializer):
    """An account as its administrator sees it (never its password or second-factor key)."""

    person = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    locked = serializers.SerializerMethodField()
    second_factor = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "person",
            "is_active",
            "locked",
            "locked_until",
            "failed_login_count",
            "second_factor",
            "api_token_days_allowed",
            "last_login",
        ]
        read_only_fields = fields

    def get_locked(self, user: User) -> bool:
        return user.is_locked()

    def get_second_factor(self, user: User) -> bool:
        """Whether an authenticator is bound."""
        return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


steps.record(
    RecordBinding(
        model=User,
        queryset=lambda: User.objects.select_related("person"),
        view_action="accounts.account.manage",
        url=lambda u: reverse("accounts:account_list"),
        api_path="accounts",
        api_name="account",
        response=AccountOut,
    )
)

MANAGE = "accounts.account.manage"
account = steps.on(User, url_prefix="account_", action=MANAGE, form=NoInput)


def _path(name: str) -> str:
    return f"manage/<int:pk>/{name}/"


def _set_active(active: bool) -> steps.Call:
    return lambda actor, user, data: services.account_set_active(
        actor=actor, user_id=user.pk, active=active
    )


steps.declare(
    account(
        "unlock",
        page_path=_path("unlock"),
        service=services.account_unlock,
        done=_("账号已解锁。"),
        summary="Unlock an account locked after failed sign-ins (解锁账号)",
    ),
    account(
        "reset_second_factor",
        page_path=_path("reset_second_factor"),
        service=services.account_reset_second_factor,
        done=_("已重置双因素认证，该用户下次登录须重新绑定。"),
        summary="Reset an account's second factor (重置双因素认证): its authenticators, "
        "sessions and API tokens end; not on one's own account",
    ),
    account(
        "end_sessions",
        page_path=_path("end_sessions"),
        service=services.account_end_sessions,
        done=_("已结束该用户的全部会话。"),
        summary="End all of an account's sessions and API tokens (结束全部会话)",
    ),
    account(
        "deactivate",
        page_path=_path("deactivate"),
        call=_set_active(False),
        done=_("账号已停用，其会话已全部结束。"),
        summary="Deactivate an account (停用账号): its sessions and tokens end at once; not "
        "one's own",
    ),
    account(
        "reactivate",
        page_path=_path("reactivate"),
        call=_set_active(True),
        done=_("账号已启用。"),
        summary="Reactivate an account (启用账号)",
    ),
    account(
        "token_allowance",
        page_path=_path("token-allowance"),
        form=TokenAllowanceForm,
        service=services.account_allow_long_tokens,
        done=_("已保存 API 令牌有效期的准许。"),
        summary="Allow API tokens of up to `days` days for a person whose role needs a second "
        "factor (准许较长的令牌有效期); empty withdraws it",
    ),
)


# --- One's own API tokens ---------------------------------------------------------------------


class TokenOut(serializers.ModelSerializer):
    """A token as its owner sees it: never its key (shown once, when made) nor its digest."""

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
        read_only_fields = fields


steps.record(
    RecordBinding(
        model=ApiToken,
        queryset=lambda: ApiToken.objects.select_related("user"),
        view_action="accounts.api_token.own",
        hidden=True,  # another person's token is a 404 on the page too
        url=lambda t: reverse("accounts:token_list"),
        api_path="tokens",
        api_name="token",
        response=TokenOut,
    )
)


def _revoke(actor: Any, token: ApiToken, data: dict[str, Any]) -> ApiToken:
    if not services.api_token_revoke(user=actor.user, token_id=token.pk):
        raise TransitionNotAllowed(gettext("未找到该令牌，或它已作废。"))
    return token


steps.declare(
    steps.Step(
        model=ApiToken,
        name="revoke",
        url_name="token_revoke",
        page_path="tokens/<int:pk>/revoke/",
        action="accounts.api_token.own",
        form=NoInput,
        call=_revoke,
        done=_("令牌已作废。"),
        summary="Revoke one of one's own API tokens (作废令牌); it stops working at once",
    ),
)
