"""The statistics of carriers and problems for one period and one scope, as pages and the API
show them: the user's scope, narrowed to a unit's and/or a Party organisation's subtree.

Carriers are counted as they stand at the end of the period (rules.carrier_summary); problems by
what happened within it (rules.problem_summary). Presets name the periods people ask for: this
year, its halves and quarters — “problems solved in the first half of the year” is the `h1`
preset with the ledger filtered to solved ones."""
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ronghe.org.models import Unit
from ronghe.vanguard import rules, selectors
from ronghe.vanguard.models import Carrier

PRESETS = {
    "year": _("This year"), "h1": _("First half"), "h2": _("Second half"),
    "q1": _("Q1"), "q2": _("Q2"), "q3": _("Q3"), "q4": _("Q4"),
}
GROUP_LIMIT = 20


def preset_period(name: str, year: int) -> rules.Period | None:
    if name == "year":
        return rules.year(year)
    if name in ("h1", "h2"):
        return rules.half(year, int(name[1]))
    if name in ("q1", "q2", "q3", "q4"):
        return rules.quarter(year, int(name[1]))
    return None


def default_period(today: dt.date) -> rules.Period:
    """From the first of the year to today."""
    return rules.Period(dt.date(today.year, 1, 1), today)


@dataclass
class Stats:
    period: rules.Period
    carriers: rules.CarrierSummary
    carriers_monthly: list[dict]
    problems: rules.ProblemSummary
    carrier_names: dict[int, str]
    unit_names: dict[int, str]


def compute(user, period: rules.Period, *, unit=None, party_org=None) -> Stats:
    """Six queries whatever the number of carriers and problems."""
    carrier_qs = selectors.filter_carriers(selectors.carriers(user), unit=unit, party_org=party_org)
    carrier_rows = selectors.carrier_facts(carrier_qs)
    member_ids = selectors.party_member_ids(user, unit=unit, party_org=party_org)
    problem_qs = selectors.problems(user)
    problem_qs = selectors.in_subtree(problem_qs, "unit", unit)
    problem_qs = selectors.in_subtree(problem_qs, "carrier__party_org", party_org)
    problem_rows = selectors.problem_facts(problem_qs)
    problems = rules.problem_summary(problem_rows, period)
    carrier_ids = [k for k in problems.by_carrier if k is not None]
    names = dict(Carrier.objects.filter(pk__in=carrier_ids).values_list("pk", "name")) if carrier_ids else {}
    unit_names = dict(Unit.objects.filter(pk__in=list(problems.by_unit)).values_list("pk", "name"))
    return Stats(period=period, carriers=rules.carrier_summary(carrier_rows, period, member_ids),
                 carriers_monthly=rules.standing_by_month(carrier_rows, period, Carrier.Kind.values),
                 problems=problems, carrier_names=names, unit_names=unit_names)


def ranked(groups: dict, names: dict, limit: int = GROUP_LIMIT, key="solved") -> list[tuple]:
    """(key, name, figures) of the groups with the most `key` first, at most `limit`."""
    rows = [(k, names.get(k, ""), figures) for k, figures in groups.items()]
    rows.sort(key=lambda row: (-getattr(row[2], key), -row[2].raised, str(row[1])))
    return rows[:limit]
