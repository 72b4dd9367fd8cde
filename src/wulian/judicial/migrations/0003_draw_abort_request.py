"""Aborting a draw takes two signatures: the organiser's request (with the reason) and the
witness's confirmation. Draws aborted before this change were aborted by the organiser alone:
his signature becomes the request, and the confirmation stays empty (they show as aborted
without the witness's co-signature)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def legacy_aborts_as_requests(apps, schema_editor):
    Draw = apps.get_model("judicial", "Draw")
    for d in Draw.objects.filter(state="aborted").only(
        "pk", "aborted_at", "aborted_by", "abort_reason", "created_at"
    ):
        d.abort_requested_at = d.aborted_at or d.created_at
        d.abort_requested_by_id = d.aborted_by_id
        d.aborted_at = d.abort_requested_at
        d.aborted_by_id = None
        d.abort_reason = d.abort_reason or "（作废时未记录原因）"
        d.save(
            update_fields=[
                "abort_requested_at",
                "abort_requested_by",
                "aborted_at",
                "aborted_by",
                "abort_reason",
            ]
        )


class Migration(migrations.Migration):

    dependencies = [
        ('judicial', '0002_draw_code'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='draw',
            name='abort_refusal_note',
            field=models.CharField(blank=True, max_length=500, verbose_name='拒绝作废的理由'),
        ),
        migrations.AddField(
            model_name='draw',
            name='abort_refused_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='拒绝作废时间'),
        ),
        migrations.AddField(
            model_name='draw',
            name='abort_refused_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='拒绝作废的见证人'),
        ),
        migrations.AddField(
            model_name='draw',
            name='abort_requested_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='申请作废时间'),
        ),
        migrations.AddField(
            model_name='draw',
            name='abort_requested_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='申请作废人'),
        ),
        migrations.AlterField(
            model_name='draw',
            name='aborted_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='确认作废的见证人'),
        ),
        migrations.RunPython(legacy_aborts_as_requests, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='draw',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'aborted'), _negated=True), models.Q(('abort_requested_at__isnull', False), models.Q(('abort_reason', ''), _negated=True)), _connector='OR'), name='jdraw_aborted_was_requested'),
        ),
    ]
