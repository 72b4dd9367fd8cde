from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Create an API token for an account and print its key (shown only this once; only a "
        "digest is stored). For scripts such as scripts/schemathesis.sh."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for.")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        from wulian.accounts.models import User
        from wulian.accounts.services import api_token_create
        from wulian.core.errors import DomainError

        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active account named {username!r}.")
        try:
            token, key = api_token_create(user=user, name=name)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stderr.write(
            f"Token {token.prefix}… for {username}, valid until {token.expires_at:%Y-%m-%d}."
        )
        self.stdout.write(key)
