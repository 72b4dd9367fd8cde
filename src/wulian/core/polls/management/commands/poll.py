"""`wulian poll verify POLL` — recount a sealed poll from its published ballots and paper
tallies, and check the set against the seal the audit chain recorded. Exit 0 when all agree."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Recount a sealed poll from its published ballots and check its seal."

    def add_arguments(self, parser):
        parser.add_argument("verb", choices=["verify"])
        parser.add_argument("poll", type=int, help="the poll's number")

    def handle(self, *args, verb: str, poll: int, **options):
        from wulian.core.polls import results
        from wulian.core.polls.models import Poll

        found = Poll.objects.filter(pk=poll).first()
        if found is None:
            raise CommandError(f"no poll {poll}")
        started = time.perf_counter()
        problems = results.verify(found)
        took = time.perf_counter() - started
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"poll {poll}: verification failed")
        total = found.result["ballots"]["total"]
        self.stdout.write(
            f"poll {poll}: {total} ballots recounted, result and seal {found.seal[:16]}… "
            f"agree with the audit chain ({took:.2f} s)"
        )
