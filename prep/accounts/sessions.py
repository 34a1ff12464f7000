"""Database sessions, read with one plain query (prep/db.py says why)."""

from django.contrib.sessions.backends import db as db_sessions
from django.utils import timezone

from prep import db


class SessionStore(db_sessions.SessionStore):
    """Django's database session store; only the read that every request makes is rewritten."""

    def load(self) -> dict:
        row = db.fetch_one(
            "SELECT session_data FROM django_session WHERE session_key = %s AND expire_date > %s",
            [self.session_key, db.to_db(timezone.now())],
        )
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])
