from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print the demo accounts and their password."

    def handle(self, *args, **options):
        from wulian.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for a in DEMO_ACCOUNTS:
            flag = "  [TOTP: code shown on the verification page in demo mode]" if a.totp else ""
            self.stdout.write(f"  {a.username:<16} {a.description}{flag}")
