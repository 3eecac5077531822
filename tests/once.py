"""Data built once for a group of tests that read it, instead of once a test.

`built_once(django_db_blocker, build)` runs `build()` in a transaction that stays open while
the group runs and is rolled back after it. Each test of the group still asks for `db`, whose
transaction then nests as a savepoint: whatever a test writes is undone before the next one,
so every test starts from the built data exactly as if it had built it itself.

Use it from a class- or module-scoped fixture, and only for tests that need the data: a test
that wants an empty database must not run while the group's transaction is open (keep such
tests outside the class, or in another module). `DemoLoadedOnce` is that fixture for the tests
of a module's demo."""
import datetime as dt
import sys
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.test.utils import override_settings

# As tests/conftest.py's autouse fixture, which is per test and so not in force yet here.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def built_once(django_db_blocker, build, **settings):
    """Yield what `build()` returns; `settings` stay overridden for the whole group."""
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS, **settings):
        with django_db_blocker.unblock():
            group = transaction.atomic()
            group.__enter__()
            try:
                built = build()
            except BaseException:
                group.__exit__(*sys.exc_info())
                raise
        try:
            yield built
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                group.__exit__(None, None, None)


class DemoLoadedOnce:
    """Base of a class whose tests read a demo loaded once for the class: a subclass sets `load`,
    a function of no arguments that loads the demo (and asserts that it did), and `today`, the
    day the demo is loaded on (and the clock's day while the tests run). The tests ask for
    `demo`, whatever `load` returned."""

    load = None
    today: dt.date

    @pytest.fixture(scope="class")
    @classmethod
    def loaded(cls, django_db_setup, django_db_blocker):
        with built_once(django_db_blocker, cls.load, RONGHE_TODAY=cls.today.isoformat()) as built:
            yield built

    @pytest.fixture
    def demo(self, loaded, db):
        return loaded
