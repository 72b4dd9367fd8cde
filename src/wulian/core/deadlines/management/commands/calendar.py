"""`wulian calendar`: the holiday calendar from the command line.

    wulian calendar status              # years in the table, complete or not
    wulian calendar import --year 2027  # from the installed chinesecalendar package

Importing records an audit event (actor: the command line). Refused when the installed package
does not cover the year (upgrade it, or enter the year on the 节假日日历 page)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wulian.core import access
from wulian.core.errors import AccessDenied, DomainError


class Command(BaseCommand):
    help = "Show the holiday calendar's years, or import a year from chinesecalendar."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("status", help="list the years in the calendar table")
        imp = sub.add_parser("import", help="import a year from the chinesecalendar package")
        imp.add_argument("--year", type=int, required=True)
        imp.add_argument(
            "--as",
            dest="username",
            default=None,
            help="record the import for this user (the system administrator)",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        from wulian.core.deadlines import seed
        from wulian.core.deadlines.models import CalendarYear

        if action == "status":
            for y in CalendarYear.objects.order_by("year"):
                state = "complete" if y.complete else "INCOMPLETE"
                self.stdout.write(f"{y.year} {state} days={y.days.count()} {y.source}")
            years = seed.package_years()
            self.stdout.write(
                f"chinesecalendar {seed.package_version()} covers {years[0]}–{years[-1]}"
            )
            from wulian.core.deadlines.choices import LIVE_STATES
            from wulian.core.deadlines.models import Deadline

            provisional = Deadline.objects.filter(
                provisional=True, state__in=sorted(LIVE_STATES)
            ).count()
            self.stdout.write(
                f"provisional deadlines (counted on a year not yet complete): {provisional}"
            )
            return
        from wulian.core.deadlines.services import calendar_year_import

        actor = None
        if options.get("username"):
            user = (
                get_user_model()
                .objects.filter(username=options["username"], is_active=True)
                .first()
            )
            if user is None:
                raise CommandError(f"No active user named {options['username']!r}.")
            actor = access.actor_for(user)
        try:
            entry = calendar_year_import(actor=actor, year=options["year"])
        except (AccessDenied, DomainError) as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            self.style.SUCCESS(f"{entry.year}: {entry.days.count()} days imported, complete")
        )
