"""`wulian dbrole grant ROLE` — PostgreSQL: the web application's role may read and write every
table except UPDATE/DELETE/TRUNCATE on the audit chain. Run as the owner after `migrate`."""

from __future__ import annotations

import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Grant the application's PostgreSQL role its rights; audit rows stay append-only."

    def add_arguments(self, parser):
        parser.add_argument("verb", choices=["grant"])
        parser.add_argument("role")

    def handle(self, *args, verb: str, role: str, **options):
        from wulian.core import dbprotect

        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", role):
            raise CommandError("ROLE must be a plain PostgreSQL role name")
        if connection.vendor != "postgresql":
            raise CommandError("database roles apply to PostgreSQL only")
        dbprotect.grant_app_role(connection, role)
        self.stdout.write(f"{role}: all tables read/write; core_auditevent SELECT/INSERT only")
