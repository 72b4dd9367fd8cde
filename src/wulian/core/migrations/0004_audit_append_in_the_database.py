"""The database refuses an audit append that does not extend the chain, and moves the head row
itself (ADR 0015). Rows already in the table are left as they are: `wulian audit verify` names
any that the chain does not cover, and a head row that disagrees with the last event."""

from django.db import migrations

from wulian.core import dbprotect


def guard(apps, schema_editor):
    dbprotect.guard_chain(schema_editor)


def unguard(apps, schema_editor):
    dbprotect.unguard_chain(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_body")]

    operations = [migrations.RunPython(guard, unguard)]
