"""Django's database sessions, with the read every request makes written out (ADR 0018, sixth
round): the ORM's building of `Session.objects.get(session_key=…, expire_date__gt=now)` cost
~0.3 ms of CPU a page, the statement a few hundredths. The same row, the same rule (an
expired session is no session), the same table; writing, creating and deleting are Django's.
`SESSION_ENGINE = "wulian.accounts.sessions"`."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

_SQL: dict[str, str] = {}
_READ = "SELECT {data} FROM {table} WHERE {key} = %s AND {expires} > %s"


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        model = self.model
        alias = router.db_for_read(model)
        connection = connections[alias]
        sql = _SQL.get(connection.vendor)
        if sql is None:
            q = connection.ops.quote_name
            meta = model._meta

            def col(name: str) -> str:
                return q(meta.get_field(name).column)

            sql = _SQL[connection.vendor] = _READ.format(
                table=q(meta.db_table),
                data=col("session_data"),
                key=col("session_key"),
                expires=col("expire_date"),
            )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])


__all__ = ["SessionStore"]
