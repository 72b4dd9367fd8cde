from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("judicial", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="draw", old_name="draw_id", new_name="code"),
    ]
