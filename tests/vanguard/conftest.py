import datetime as dt

import pytest


@pytest.fixture(autouse=True)
def _today(settings):
    """The business clock stands still on a day after the first half of 2026."""
    settings.RONGHE_TODAY = "2026-11-25"


TODAY = dt.date(2026, 11, 25)
