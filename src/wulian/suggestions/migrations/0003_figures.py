"""The year's figures without a join (figures.py): whether the first reply was on time, on the
suggestion (filled from the replies already sent), and an index covering the figures' columns
per session (index-only on PostgreSQL; a plain index on SQLite)."""

from django.db import migrations, models
from django.db.models import Exists, OuterRef


def backfill(apps, schema_editor):
    Suggestion = apps.get_model("suggestions", "Suggestion")
    Reply = apps.get_model("suggestions", "Reply")
    first = Reply.objects.filter(suggestion=OuterRef("pk"), round=1)
    Suggestion.objects.filter(Exists(first.filter(on_time=True))).update(first_reply_on_time=True)
    Suggestion.objects.filter(Exists(first.filter(on_time=False))).update(first_reply_on_time=False)


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0002_search_index")]

    operations = [
        migrations.AddField(
            model_name="suggestion",
            name="first_reply_on_time",
            field=models.BooleanField(blank=True, null=True, verbose_name="首次答复按期"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="suggestion",
            index=models.Index(
                fields=["session"],
                include=(
                    "id",
                    "lead_unit",
                    "status",
                    "reviewed_at",
                    "assigned_at",
                    "received_at",
                    "first_contact_at",
                    "contact_due_at",
                    "reply_round",
                    "reply_category",
                    "first_reply_on_time",
                    "verdict",
                ),
                name="sugg_figures_idx",
            ),
        ),
    ]
