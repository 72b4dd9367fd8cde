"""`wulian import_reference PATH --as USERNAME`: the .xlsx import of the web page, from the
command line. Same service, same checks, same audit event; prints the row-by-row report and
exits non-zero when anything was refused (nothing is imported then)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wulian.core import access
from wulian.core.errors import AccessDenied, DomainError
from wulian.core.imports import reference_import


class Command(BaseCommand):
    help = (
        "Import organisations and people from an .xlsx file (sheets 单位 and 人员), all or "
        "nothing, acting as the given user (the system administrator)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the .xlsx file")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="username of the system administrator the import is recorded for",
        )

    def handle(self, *args: Any, path: str, username: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            with source.open("rb") as fh:
                result = reference_import(
                    actor=access.actor_for(user), file=fh, filename=source.name
                )
        except AccessDenied as exc:
            raise CommandError(f"{username}: {exc.message}") from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(result.errors)} problem(s) in {source.name}; nothing was imported."
            )
        self.stdout.write(self.style.SUCCESS(result.summary()))
