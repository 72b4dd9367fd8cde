"""`wulian bootstrap_cdi_officer`: the first CDI leader or clue officer of an installation.

    wulian bootstrap_cdi_officer --username liu --org-code JW-AJ --role clue_officer

A CDI-side seat takes two people (docs/adr/0014): the security administrator proposes, a CDI
leader or clue officer confirms. On a fresh installation there is nobody to confirm, so the
first one is set from the server's console; the command refuses once one exists.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wulian.core import services
from wulian.core.errors import DomainError


class Command(BaseCommand):
    help = "Set the first CDI leader or clue officer (refused once one exists)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--org-code", required=True)
        parser.add_argument("--role", required=True, choices=["leader", "clue_officer"])

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            membership = services.cdi_confirmer_bootstrap(
                username=options["username"].strip(),
                org_code=options["org_code"].strip(),
                role=options["role"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"{membership.person.name}: {membership.get_role_display()}")
