"""The registry of live indicator sources: a code names a function that reads another module's
data for a competition's participants over a scoring period.

    function(participants, period_start, period_end, as_of) -> {participant id: value}

`participants` are Participant rows with `unit`, `project_group` and `carrier` loaded; a value is a number
or a `rules.Reading` (a number and the participant's plan, for a ratio to plan). Data after
`as_of` is not read, so a period still running is measured to date. A source must cost a fixed
number of queries whatever the number of participants.

Sources register themselves with `@register(...)` in a module that this package imports: its
own modules for production, the vanguard and organisation life, and any module named in an
AppConfig's ``indicator_sources`` list, so another app plugs its sources in without editing this
package."""
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.utils.functional import Promise

from ronghe.competitions import rules
from ronghe.core.modules import contributions

BUILT_IN = ("ronghe.competitions.sources.production", "ronghe.competitions.sources.vanguard",
            "ronghe.competitions.sources.orglife")
UNITS = "units"
GROUPS = "groups"
CARRIERS = "carriers"


@dataclass(frozen=True)
class Source:
    code: str
    label: Promise
    unit_label: str
    kinds: frozenset  # Competition.Kind values it can measure
    function: Callable
    help: Promise
    normalisation: str = rules.Normalisation.RANK.value  # the one it suits best, offered first

    def read(self, participants, period_start: dt.date, period_end: dt.date, as_of: dt.date) -> dict:
        """{participant id: Reading} of the participants this source can measure."""
        out = {}
        for pk, value in self.function(participants, period_start, period_end, as_of).items():
            out[pk] = value if isinstance(value, rules.Reading) else rules.Reading(float(value))
        return out


_registry: dict[str, Source] = {}
_loaded = False


def register(code: str, *, label, unit_label: str, kinds, help, normalisation=rules.Normalisation.RANK.value):
    """Decorator: register `function` as the live source `code` ("<module>.<what>")."""

    def decorate(function):
        _registry[code] = Source(code, label, unit_label, frozenset(kinds), function, help, normalisation)
        return function

    return decorate


def _load():
    global _loaded
    if _loaded:
        return
    for module in (*BUILT_IN, *contributions("indicator_sources")):
        import_module(module)
    _loaded = True


def get(code: str) -> Source | None:
    _load()
    return _registry.get(code)


def all_sources() -> list[Source]:
    _load()
    return sorted(_registry.values(), key=lambda s: s.code)


def for_kind(kind: str) -> list[Source]:
    return [s for s in all_sources() if kind in s.kinds]


# --- helpers sources share ----------------------------------------------------------------------

def elapsed(period_start: dt.date, period_end: dt.date, as_of: dt.date) -> dt.date | None:
    """The last day of the period already past on `as_of`; None when it has not begun."""
    return rules.Period(period_start, period_end).elapsed_end(as_of)


def by_subtree(participants, rows):
    """Spread (unit path, amount) rows over the participants whose unit's subtree holds them:
    {participant id: total}. Participants with no row are absent."""
    totals: dict[int, float] = {}
    for path, amount in rows:
        for p in participants:
            if path.startswith(p.unit.path):
                totals[p.pk] = totals.get(p.pk, 0.0) + (amount or 0.0)
    return totals
