"""Live indicators read from the vanguard module (党员先锋): production problems (生产难题) solved."""
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ronghe.competitions.sources import CARRIERS, UNITS, by_subtree, elapsed, register
from ronghe.vanguard.models import Problem

SOLVED = (Problem.Status.SOLVED, Problem.Status.VERIFIED)


@register("vanguard.problems_solved", label=_("Production problems solved (解决生产难题)"), unit_label="项",
          kinds=[UNITS, CARRIERS],
          help=_("Production problems solved (solved or verified) in the period to date, by their date solved: "
                 "of the unit's subtree, or those the carrier tackled."))
def problems_solved(participants, period_start, period_end, as_of):
    end = elapsed(period_start, period_end, as_of)
    if end is None:
        return {}
    solved = Problem.objects.filter(status__in=SOLVED, solved_on__gte=period_start, solved_on__lte=end)
    carriers = {p.carrier_id: p.pk for p in participants if p.carrier_id}
    if carriers:
        rows = (solved.filter(carrier_id__in=carriers).values("carrier_id").annotate(n=Count("id"))
                .values_list("carrier_id", "n"))
        totals = {carriers[carrier_id]: float(n) for carrier_id, n in rows}
    else:
        rows = solved.values("unit__path").annotate(n=Count("id")).values_list("unit__path", "n")
        totals = by_subtree(participants, rows)
    return {p.pk: totals.get(p.pk, 0.0) for p in participants}
