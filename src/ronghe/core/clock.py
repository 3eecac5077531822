"""The one business clock. Rules never call date.today(): they take `as_of`, and this module
supplies it, so tests and "what did it look like on 30 June" run the same code."""
import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _


def today() -> dt.date:
    if settings.RONGHE_TODAY:
        return dt.date.fromisoformat(settings.RONGHE_TODAY)
    return timezone.localdate()


def now() -> dt.datetime:
    return timezone.now()


class BadDate(ValueError):
    pass


def parse_as_of(value: str | None) -> dt.date | None:
    """Parse an `as_of` query parameter (YYYY-MM-DD); None when absent."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise BadDate(_("“%(value)s” is not a date of the form YYYY-MM-DD.") % {"value": value}) from exc
