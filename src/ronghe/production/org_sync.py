"""Unit-day totals follow the organisation: when a unit moves under another parent, or merges
into another unit, the totals of the units above one side but not the other are recomputed from
the raw rows, on the days the wells concerned produced, in the transaction of the org change
(org.signals, connected in ProductionConfig.ready). The moved subtree's own totals and those of
the common ancestors do not change, so they are left alone.

A merged unit's own wells go to the unit it merged into (its children and people do, in org):
an ended unit produces nothing."""
from django.db import connection

from ronghe.core import audit
from ronghe.production import totals
from ronghe.production.models import Well


def _line(unit) -> set[int]:
    """The unit and its ancestors; nothing for the top level."""
    return set() if unit is None else {*unit.ancestor_ids(), unit.pk}


def refresh_for_units(well_ids, old_parent, new_parent) -> int:
    """After the wells `well_ids` went (with their units) from under `old_parent` to under
    `new_parent`: recompute the units above one but not both, on every day those wells produced.
    Returns the number of UnitDay rows written."""
    changed = sorted(_line(old_parent) ^ _line(new_parent))
    if not changed or not well_ids:
        return 0
    units = ", ".join(str(int(u)) for u in changed)
    wells = ", ".join(str(int(w)) for w in well_ids)
    with connection.cursor() as cursor:
        totals.fill_closure(cursor)
        totals.start_affected(cursor)
        cursor.execute(f"""INSERT INTO {totals.AFFECTED} (unit_id, "date")
            SELECT u.id, d."date" FROM (SELECT DISTINCT "date" FROM {totals.DAILY} WHERE well_id IN ({wells})) d
            CROSS JOIN (SELECT id FROM org_unit WHERE id IN ({units})) u""")
        written = totals.recompute_affected(cursor)
        totals.drop(cursor, totals.AFFECTED, totals.CLOSURE)
    return written


def _subtree_wells(path) -> list[int]:
    return list(Well.objects.filter(unit__path__startswith=path).values_list("pk", flat=True))


def on_unit_moved(sender, *, unit, old_parent, new_parent, **kwargs):
    refresh_for_units(_subtree_wells(unit.path), old_parent, new_parent)


def on_units_merged(sender, *, actor, unit, into, children, **kwargs):
    own = list(Well.objects.filter(unit=unit).order_by("code"))
    if own:
        Well.objects.filter(pk__in=[w.pk for w in own]).update(unit=into)
        codes = [w.code for w in own]
        audit.record(actor=actor, action="well.move", object_type="production.well",
                     object_repr="、".join(codes), unit=into,
                     before={"unit": unit.code, "wells": codes}, after={"unit": into.code, "wells": codes},
                     message=f"{unit.name} → {into.name}")
    moved = [w.pk for w in own] + [pk for child in children for pk in _subtree_wells(child.path)]
    # The merged unit's line and into's differ in the merged unit itself and the ancestors that
    # are not common; its children's subtrees keep their own totals.
    refresh_for_units(moved, unit, into)
