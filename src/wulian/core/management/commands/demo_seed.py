from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from wulian.core.models import Organisation


class Command(BaseCommand):
    help = "Load the demo data set (organisations, people, one account per role)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds organisations.",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        from wulian.core import demo

        if Organisation.objects.exists():
            if if_empty:
                self.stdout.write("Database already has data; demo data not loaded.")
                return
            raise CommandError(
                "The database is not empty; demo data is only loaded into an empty one."
            )
        counts = demo.seed()
        for config in apps.get_app_configs():  # a link app adds its own demo data
            extra = getattr(config, "demo_seed", None)
            if extra is not None:
                counts.update(extra())
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {counts}"))
