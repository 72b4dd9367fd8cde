from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from wulian.accounts.models import ApiToken
from wulian.accounts.services import token_digest, token_still_valid
from wulian.core import access


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer wl_…` — a token created on the 令牌 page, stored as a digest."""

    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0] not in {"Bearer", "Token"}:
            return None
        token = (
            ApiToken.objects.select_related("user").filter(digest=token_digest(parts[1])).first()
        )
        if token is None or not token.user.is_active or not token_still_valid(token):
            raise exceptions.AuthenticationFailed(_("令牌无效、已过期或已作废。"))
        if token.user.is_locked():
            raise exceptions.AuthenticationFailed(_("账号已锁定。"))
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


class OTPVerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The web session, for the browser's own calls — only once the second factor is passed
    where the person's role requires it."""

    def authenticate(self, request: Any) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if access.actor_for(user).needs_second_factor and not user.is_verified():
            return None
        return result


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "wulian.api.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}
