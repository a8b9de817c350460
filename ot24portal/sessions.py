"""The session engine (SESSION_ENGINE): Django's database sessions, read with one fixed SQL statement.

Every page reads its session; Django's engine builds that SELECT through the ORM each time, and compiling
it cost several times more than running it (bench: load, the floor page). This store runs the same
statement, written once: same table, same rows, same expiry rule, so a session still ends everywhere at
once when it is deleted (log-out) or no longer matches its user's password (password change), whichever
worker process serves the next request. Writes (log-in, the idle refresh, log-out) stay Django's."""
from __future__ import annotations

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    _statements: dict[str, str] = {}  # per database alias

    def _select(self, connection) -> str:
        statement = self._statements.get(connection.alias)
        if statement is None:
            meta, quote = self.model._meta, connection.ops.quote_name
            column = {f.name: quote(f.column) for f in meta.concrete_fields}
            statement = self._statements[connection.alias] = (
                f"SELECT {column['session_data']} FROM {quote(meta.db_table)} "
                f"WHERE {column['session_key']} = %s AND {column['expire_date']} > %s")
        return statement

    def load(self):
        connection = connections[router.db_for_read(self.model)]
        with connection.cursor() as cursor:
            cursor.execute(self._select(connection), [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django's: a missing or expired session is a new, empty one
            return {}
        return self.decode(row[0])
