"""The year's figures' index with every counted column as a key column (SQLite ignores an
index's INCLUDE columns; ADR 0018, fourth round)."""

from django.conf import settings
from django.db import migrations, models


def analyze(apps, schema_editor):
    """On a SQLite database whose other indexes have statistics (it has been ANALYZEd), give
    the new index its own: without them SQLite's planner takes an unanalysed index for very
    selective, and drove the ledger's first page from it (a sort of every row: ~1 s at
    100,000) instead of walking the primary key."""
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if cursor.fetchone() is not None:
            cursor.execute('ANALYZE "sugg_figures_idx"')


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_background_imports"),
        ("suggestions", "0010_co_unit_opinion_time_limit"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="suggestion",
            name="sugg_figures_idx",
        ),
        migrations.AddIndex(
            model_name="suggestion",
            index=models.Index(
                fields=[
                    "session",
                    "lead_unit",
                    "status",
                    "reviewed_at",
                    "assigned_at",
                    "received_at",
                    "first_contact_at",
                    "contact_due_at",
                    "reply_round",
                    "reply_due_at",
                    "reply_category",
                    "first_reply_on_time",
                    "verdict",
                    "category",
                    "id",
                ],
                name="sugg_figures_idx",
            ),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop, elidable=True),
    ]
