"""Unit-day totals follow the organisation: right after a unit moves under another parent, or
merges into another unit, the dashboards of the old and the new parents (and everything above
them) read the right totals, recomputed in the org change's transaction for the units above one
side but not the other only."""
import datetime as dt

import pytest
from django.db import transaction

from ronghe.core.models import AuditEntry
from ronghe.org import services as org_services
from ronghe.org.models import Unit
from ronghe.production import selectors, totals
from ronghe.production.models import UnitDay, Well
from tests import factories as f
from tests.production import factories as pf

D = dt.date
START = D(2026, 1, 1)


@pytest.fixture
def field(org, settings):
    """A well on the team, one on the area above it, one on the sibling plant's area; totals built."""
    settings.RONGHE_TODAY = "2026-02-01"
    wells = {"team": pf.well(org.team, "T-1"), "area": pf.well(org.area, "A-1"), "area2": pf.well(org.area2, "B-1")}
    pf.daily(wells["team"], START, [10.0, 11.0, None, 12.0])
    pf.daily(wells["area"], START, [5.0, 5.0, 5.0, 5.0])
    pf.daily(wells["area2"], START + dt.timedelta(days=1), [20.0, 21.0, 22.0])
    pf.rebuild_unit_days()
    return wells


def oil(unit) -> dict:
    """The unit's daily oil as its dashboard reads it."""
    unit = Unit.objects.get(pk=unit.pk)
    return {r["period"]: r["oil_t"] for r in selectors.production(unit, START, START + dt.timedelta(days=3), "day")}


def all_totals() -> dict:
    return {(u, d): (o, n) for u, d, o, n in UnitDay.objects.values_list("unit_id", "date", "oil_t",
                                                                         "producing_wells")}


def assert_as_rebuilt():
    """What the change left equals a rebuild of every total from the raw rows."""
    left = all_totals()
    with transaction.atomic():
        totals.rebuild_all()
        rebuilt = all_totals()
        transaction.set_rollback(True)
    assert left == rebuilt


def test_after_a_move_the_old_and_new_parents_read_the_right_totals(org, field):
    untouched = set(UnitDay.objects.filter(unit__in=[org.hq, org.team]).values_list("pk", flat=True))
    org_services.node_move(actor=f.system_user(), node=org.team, new_parent=org.area2)
    assert oil(org.area) == {START: 5.0, D(2026, 1, 2): 5.0, D(2026, 1, 3): 5.0, D(2026, 1, 4): 5.0}
    assert oil(org.plant) == oil(org.area)
    assert oil(org.area2) == {START: 10.0, D(2026, 1, 2): 31.0, D(2026, 1, 3): 21.0, D(2026, 1, 4): 34.0}
    assert oil(org.sibling) == oil(org.area2)
    assert oil(org.hq)[D(2026, 1, 4)] == 39.0
    # the common ancestor and the moved subtree keep their rows: only the lines that differ are rewritten
    assert untouched <= set(UnitDay.objects.values_list("pk", flat=True))
    assert_as_rebuilt()


def test_after_a_merge_the_merged_units_wells_and_children_count_for_the_unit_it_joined(org, field):
    org_services.node_merge(actor=f.system_user(), node=org.area, into=org.area2)
    assert Well.objects.get(code="A-1").unit == org.area2 and Unit.objects.get(pk=org.team.pk).parent == org.area2
    assert oil(org.area) == {} and oil(org.plant) == {}
    assert oil(org.area2) == {START: 15.0, D(2026, 1, 2): 36.0, D(2026, 1, 3): 26.0, D(2026, 1, 4): 39.0}
    assert oil(org.sibling) == oil(org.area2) == oil(org.hq)
    entry = AuditEntry.objects.get(action="well.move")
    assert entry.after == {"unit": org.area2.code, "wells": ["A-1"]} and entry.unit_id == org.area2.pk
    assert_as_rebuilt()


def test_a_move_to_the_top_level_and_back(org, field):
    org_services.node_move(actor=f.system_user(), node=org.sibling, new_parent=None)
    assert oil(org.hq) == {START: 15.0, D(2026, 1, 2): 16.0, D(2026, 1, 3): 5.0, D(2026, 1, 4): 17.0}
    assert_as_rebuilt()
    org_services.node_move(actor=f.system_user(), node=Unit.objects.get(pk=org.sibling.pk), new_parent=org.hq)
    assert oil(org.hq)[D(2026, 1, 4)] == 39.0
    assert_as_rebuilt()
