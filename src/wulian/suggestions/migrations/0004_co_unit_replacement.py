"""A co-unit's send-back settled by the congress office (`services.co_unit_replace`): when, and
which assignment took its place (none when the co-unit was dropped). Two nullable columns, no
index on the replacement (mostly empty, looked up from the sent-back row only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0003_figures")]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="replacement",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="suggestions.assignment",
                verbose_name="接替的交办",
            ),
        ),
        migrations.AddField(
            model_name="assignment",
            name="settled_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="退回处理时间"),
        ),
        migrations.AddConstraint(
            model_name="assignment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("settled_at__isnull", True), ("status", "sent_back"), _connector="OR"
                ),
                name="sugg_settled_only_sent_back",
            ),
        ),
        migrations.AddConstraint(
            model_name="assignment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("replacement__isnull", True), ("settled_at__isnull", False), _connector="OR"
                ),
                name="sugg_replacement_settled",
            ),
        ),
    ]
