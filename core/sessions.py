"""Django's database sessions, written with one statement inside a caller's transaction.

Django's `db.SessionStore.save` wraps every write in `transaction.atomic()`, which inside a
caller's transaction (public.session.committed_with: the declaration and the session that
forgets its draft commit together) is a savepoint: three statements for one UPDATE. An
update needs no savepoint: if the row is gone (the session was deleted meanwhile), the
caller's transaction fails as a whole, as it should. Creating a session keeps Django's
savepoint, which lets it try another key after a collision.

SESSION_ENGINE = "core.sessions".
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import DatabaseError, router, transaction


class SessionStore(db.SessionStore):
    def save(self, must_create: bool = False) -> None:
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        obj = self.create_model_instance(self._get_session())
        using = router.db_for_write(self.model, instance=obj)
        try:
            with transaction.atomic(using=using, savepoint=False):
                obj.save(force_update=True, using=using)
        except DatabaseError:
            raise UpdateError from None
