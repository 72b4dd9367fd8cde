"""`wulian keys generate [--rotate] | reencrypt` — the SM4 key file of confidential fields.

The key file (WULIAN_FIELD_KEY_FILE, default var/keys/field-sm4.key) lives outside the
database. Without it, encrypted columns (clue content, evidence, the official's details) cannot
be read: keep a copy in the site's key escrow, never in a database backup.

- `generate`: create the file with one key (mode 0600); nothing happens if it exists.
- `generate --rotate`: put a new key in front; it encrypts from now on, the older keys still
  decrypt. Restart the web processes and the worker, then run `reencrypt`.
- `reencrypt`: rewrite every encrypted value that is not under the current key.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction


class Command(BaseCommand):
    help = "Create or rotate the SM4 key file of encrypted fields, or re-encrypt under the new key."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        g = sub.add_parser("generate", help="create the key file (or add a key with --rotate)")
        g.add_argument(
            "--rotate", action="store_true", help="add a new current key in front of the others"
        )
        r = sub.add_parser("reencrypt", help="rewrite values not under the current key")
        r.add_argument("--batch", type=int, default=500)

    def handle(self, *args, verb: str, **options) -> None:
        getattr(self, f"_{verb}")(**options)

    def _generate(self, rotate: bool = False, **_: object) -> None:
        from wulian.core import crypto

        path, kid, added = crypto.write_field_key_file(settings.FIELD_KEY_FILE, rotate=rotate)
        crypto.reset_field_keyring()
        if added:
            self.stdout.write(f"Field key {kid} written to {path} (0600). Keep a copy in escrow.")
        else:
            self.stdout.write(f"Field key file {path} exists; current key {kid}.")

    def _reencrypt(self, batch: int = 500, **_: object) -> None:
        from wulian.core import audit, crypto
        from wulian.core.fields import encrypted_fields

        crypto.reset_field_keyring()
        current = crypto.field_keyring().current
        counts: dict[str, int] = {}
        quote = connection.ops.quote_name
        for model in apps.get_models():
            fields = encrypted_fields(model)
            if not fields:
                continue
            table, pk = model._meta.db_table, model._meta.pk.column
            columns = ", ".join(quote(f.column) for f in fields)
            last = None
            changed = 0
            while True:
                with connection.cursor() as cursor:
                    where = f"WHERE {quote(pk)} > %s " if last is not None else ""
                    cursor.execute(
                        f"SELECT {quote(pk)}, {columns} FROM {quote(table)} {where}"  # noqa: S608
                        f"ORDER BY {quote(pk)} LIMIT %s",
                        [last, batch] if last is not None else [batch],
                    )
                    rows = cursor.fetchall()
                if not rows:
                    break
                for row in rows:
                    last = row[0]
                    updates = {}
                    for field, token in zip(fields, row[1:], strict=True):
                        if token and crypto.token_key_id(token) != current:
                            updates[field.attname] = crypto.sm4_decrypt(token, aad=field.aad)
                    if updates:
                        with transaction.atomic():
                            model._default_manager.filter(pk=row[0]).update(**updates)
                        changed += 1
            if changed:
                counts[model._meta.label_lower] = changed
        audit.record(action="core.field_keys.reencrypted", after={"key": current, "rows": counts})
        total = sum(counts.values())
        self.stdout.write(f"{total} rows re-encrypted under key {current}: {counts or '—'}")
