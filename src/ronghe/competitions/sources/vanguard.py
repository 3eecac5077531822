"""Live indicators read from the vanguard module (党员先锋): production problems (生产难题) solved."""
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ronghe.competitions.sources import UNITS, by_subtree, elapsed, register
from ronghe.vanguard.models import Problem

SOLVED = (Problem.Status.SOLVED, Problem.Status.VERIFIED)


@register("vanguard.problems_solved", label=_("Production problems solved (解决生产难题)"), unit_label="项",
          kinds=[UNITS],
          help=_("Production problems of the unit's subtree solved (solved or verified) in the period to date, "
                 "by their date solved."))
def problems_solved(participants, period_start, period_end, as_of):
    end = elapsed(period_start, period_end, as_of)
    if end is None:
        return {}
    rows = (Problem.objects.filter(status__in=SOLVED, solved_on__gte=period_start, solved_on__lte=end)
            .values("unit__path").annotate(n=Count("id")).values_list("unit__path", "n"))
    totals = by_subtree(participants, rows)
    return {p.pk: totals.get(p.pk, 0.0) for p in participants}
