"""Live indicators read from organisation life (三会一课): the compliance of the Party
organisations attached to the participant's units, judged by the orglife engine."""
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ronghe.competitions import rules as competition_rules
from ronghe.competitions.sources import UNITS, elapsed, register
from ronghe.org.models import PartyOrg
from ronghe.orglife import rules as orglife_rules
from ronghe.orglife import selectors as orglife_selectors


@register("orglife.compliance", label=_("三会一课 compliance (三会一课按期开展率)"), unit_label="%", kinds=[UNITS],
          normalisation=competition_rules.Normalisation.RATIO.value,
          help=_("Of the 三会一课 requirements owed in the period by the Party organisations attached to the "
                 "unit's subtree, the share held on time (the orglife engine's compliance rate), as a percentage. "
                 "Score it as a ratio to a target of 100."))
def compliance(participants, period_start, period_end, as_of):
    if elapsed(period_start, period_end, as_of) is None:
        return {}
    q = Q(pk__in=[])
    for p in participants:
        q |= Q(unit__path__startswith=p.unit.path)
    orgs = list(PartyOrg.objects.filter(q).filter(Q(abolished_on__isnull=True) | Q(abolished_on__gt=period_start))
                .select_related("unit"))
    # Judged on `as_of` itself: a requirement is owed only once its period has ended, so the
    # period's last day must lie before the day it is judged on.
    cells = orglife_selectors.cells_for(orgs, period_start.year, as_of)
    unit_path = {o.pk: o.unit.path for o in orgs}
    by_participant = {p.pk: orglife_rules.Rates() for p in participants}
    for cell in cells:
        if cell.period.start < period_start or cell.period.end > period_end:
            continue
        for p in participants:
            if unit_path[cell.org_id].startswith(p.unit.path):
                by_participant[p.pk].add(cell.status)
    return {pk: rates.compliance_rate * 100 for pk, rates in by_participant.items()
            if rates.compliance_rate is not None}
