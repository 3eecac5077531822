"""What the production API's routers share: how a unit, a unit reference and as_of are read."""
from ronghe.core import clock
from ronghe.core.api_support import parse_date
from ronghe.production import selectors


def node(unit):
    return {"code": unit.code, "name": unit.name} if unit else None


def unit(user, code):
    """The unit named, 404 outside the scope; the user's highest unit when none is named."""
    return selectors.unit_or_404(user, code) if code else selectors.default_unit(user)


def as_of(value):
    return parse_date(value, "as_of") or clock.today()
