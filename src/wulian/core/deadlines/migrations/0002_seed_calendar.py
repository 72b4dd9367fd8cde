"""Seed the holiday calendar with every year the installed `chinesecalendar` package covers,
each marked complete. Later years are added by the system administrator (节假日日历 page) or
with `wulian calendar import --year N` once a newer package covers them."""

from django.db import migrations


def seed_calendar(apps, schema_editor):
    from wulian.core.deadlines.seed import fill_table

    fill_table(apps.get_model("deadlines", "CalendarYear"), apps.get_model("deadlines", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(seed_calendar, migrations.RunPython.noop)]
