"""`wulian create_admin`: bootstrap one of the three administrator accounts (三员分立).

    wulian create_admin --role security_admin --username secadmin --name 钱敏 --org-code RD-BGS

There is no default password. The command asks for it twice (getpass, not echoed), or reads
WULIAN_ADMIN_PASSWORD for automation; either way it must satisfy the password rules. A password
given through the environment has passed through other hands, so the account must change it at
first sign-in. The administrator binds an authenticator (TOTP) at first sign-in as well.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wulian.accounts import services
from wulian.accounts.models import User
from wulian.core.choices import ADMIN_ROLES, OrgKind, Role
from wulian.core.errors import DomainError

PASSWORD_ENV = "WULIAN_ADMIN_PASSWORD"  # noqa: S105 — the name of a variable, not a password


class Command(BaseCommand):
    help = "Create one of the three administrator accounts (system, security, audit)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", required=True, choices=sorted(ADMIN_ROLES))
        parser.add_argument("--username", required=True)
        parser.add_argument("--name", required=True, help="the person's name (姓名)")
        parser.add_argument("--org-code", required=True, help="code of their organisation")
        parser.add_argument(
            "--org-name",
            default="",
            help="on a fresh installation: create the organisation with this name",
        )
        parser.add_argument(
            "--org-kind",
            default=OrgKind.CONGRESS_BODY,
            choices=OrgKind.values,
            help="kind of the organisation created with --org-name",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"].strip()
        password: str | None = None
        interactive = False
        if not User.objects.filter(username=username).exists():
            password, interactive = self._read_password()
        try:
            user = services.admin_bootstrap(
                role=options["role"],
                username=username,
                name=options["name"],
                org_code=options["org_code"],
                org_name=options["org_name"],
                org_kind=options["org_kind"],
                password=password,
                must_change_password=not interactive,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        role = Role(options["role"]).label
        if password is None:
            done = _("已为现有账号 %(u)s 授予%(role)s角色，密码未改动。")
        else:
            done = _("已创建%(role)s账号 %(u)s。")
        self.stdout.write(self.style.SUCCESS(done % {"role": role, "u": user.username}))
        self.stdout.write(_("首次登录须绑定验证器（双因素认证）。"))
        if user.must_change_password:
            self.stdout.write(_("该账号首次登录须修改密码。"))

    def _read_password(self) -> tuple[str, bool]:
        from_env = os.environ.get(PASSWORD_ENV)
        if from_env:
            return from_env, False
        try:
            first = getpass.getpass(_("密码："))
            second = getpass.getpass(_("再次输入密码："))
        except (EOFError, KeyboardInterrupt):
            raise CommandError(_("未输入密码，账号未创建。")) from None
        if not first:
            raise CommandError(_("密码不能为空，账号未创建。"))
        if first != second:
            raise CommandError(_("两次输入的密码不一致，账号未创建。"))
        return first, True
