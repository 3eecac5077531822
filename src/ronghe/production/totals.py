"""Unit-day totals (UnitDay): each unit's whole subtree summed per day, so that charts and
rankings never scan the raw daily rows.

Totals are recomputed from the raw rows, set-wise in SQL, for a set of affected (unit, date)
pairs held in a temporary table: the units' closure (each unit with itself and its ancestors)
comes from the materialised paths, the well-level rows are summed per (unit of the well, date)
for the affected dates only, then rolled up through the closure. A day on which a unit has no
rows left has no UnitDay row: it reads as zero.

The same SQL runs on PostgreSQL and SQLite."""
import datetime as dt

import numpy as np
from django.db import connection

from ronghe.org.models import Unit

CLOSURE = "production_tmp_closure"
AFFECTED = "production_tmp_affected"
SUMS = "production_tmp_sums"
DAILY = "production_dailyproduction"
WELL = "production_well"
UNITDAY = "production_unitday"

# A well counts as producing on a day when it gave oil.
_LEAF = f"""
    SELECT w.unit_id AS unit_id, d."date" AS "date", SUM(d.oil_t) AS oil,
           SUM(COALESCE(d.liquid_t, 0)) AS liquid, SUM(COALESCE(d.gas_m3, 0)) AS gas,
           SUM(CASE WHEN d.oil_t > 0 THEN 1 ELSE 0 END) AS wells
    FROM {DAILY} d JOIN {WELL} w ON w.id = d.well_id
    {{where}}
    GROUP BY w.unit_id, d."date"
"""


def temp_table(cursor, name: str, columns: str) -> None:
    """A fresh temporary table (dropped first: a test's transaction, or a SQLite connection,
    may still hold one from an earlier call)."""
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns})")


def column_date(value) -> dt.date | None:
    """A date column's value as a date: SQLite's cursor gives it as ISO text."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def analyze(cursor, name: str) -> None:
    """PostgreSQL's autovacuum never analyses temporary tables; without statistics the planner
    guesses a thousand rows and picks nested loops over a million."""
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {name}")


def closure_rows():
    """(unit id, ancestor id) for every unit and each of its ancestors, itself included."""
    for unit_id, path in Unit.objects.values_list("id", "path").iterator(chunk_size=5000):
        for ancestor in path.strip("/").split("/"):
            yield unit_id, int(ancestor)


def fill_closure(cursor) -> None:
    temp_table(cursor, CLOSURE, "unit_id bigint NOT NULL, ancestor_id bigint NOT NULL")
    cursor.executemany(f"INSERT INTO {CLOSURE} (unit_id, ancestor_id) VALUES (%s, %s)", list(closure_rows()))
    # Without it SQLite joins the per-unit sums to the closure by scanning one for each row of
    # the other.
    cursor.execute(f"CREATE INDEX {CLOSURE}_unit ON {CLOSURE} (unit_id, ancestor_id)")
    analyze(cursor, CLOSURE)


def start_affected(cursor) -> None:
    temp_table(cursor, AFFECTED, 'unit_id bigint NOT NULL, "date" date NOT NULL')


def drop(cursor, *names) -> None:
    for name in names:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


def recompute_affected(cursor) -> int:
    """Replace the UnitDay rows of the pairs in the affected table by sums of the raw rows; the
    closure table must be filled. Returns the number of UnitDay rows written."""
    cursor.execute(f'CREATE INDEX {AFFECTED}_pair ON {AFFECTED} (unit_id, "date")')
    analyze(cursor, AFFECTED)
    cursor.execute(f"""DELETE FROM {UNITDAY} WHERE EXISTS (
        SELECT 1 FROM {AFFECTED} a WHERE a.unit_id = {UNITDAY}.unit_id AND a."date" = {UNITDAY}."date")""")
    # Only wells under an affected unit can change an affected total.
    where = f"""WHERE d."date" IN (SELECT DISTINCT "date" FROM {AFFECTED})
        AND w.unit_id IN (SELECT c.unit_id FROM {CLOSURE} c
                          WHERE c.ancestor_id IN (SELECT DISTINCT unit_id FROM {AFFECTED}))"""
    cursor.execute(f"""
        INSERT INTO {UNITDAY} (unit_id, "date", oil_t, liquid_t, gas_m3, producing_wells)
        SELECT c.ancestor_id, l."date", SUM(l.oil), SUM(l.liquid), SUM(l.gas), SUM(l.wells)
        FROM ({_LEAF.format(where=where)}) l
        JOIN {CLOSURE} c ON c.unit_id = l.unit_id
        JOIN (SELECT DISTINCT unit_id, "date" FROM {AFFECTED}) a
          ON a.unit_id = c.ancestor_id AND a."date" = l."date"
        GROUP BY c.ancestor_id, l."date"
    """)
    return cursor.rowcount


def refresh_for_stage(cursor, stage: str) -> int:
    """After an import: every (unit, date) whose unit is, or is an ancestor of, the unit of a
    well with a row in the `stage` table on that date."""
    fill_closure(cursor)
    start_affected(cursor)
    # The (unit, date) pairs of the wells' own units first, then their ancestors: joining the
    # million staged rows to the closure first made four million rows to sort out again.
    cursor.execute(f"""INSERT INTO {AFFECTED} (unit_id, "date")
        SELECT DISTINCT c.ancestor_id, l."date"
        FROM (SELECT DISTINCT w.unit_id, s."date" FROM {stage} s JOIN {WELL} w ON w.id = s.well_id) l
        JOIN {CLOSURE} c ON c.unit_id = l.unit_id""")
    written = recompute_affected(cursor)
    drop(cursor, AFFECTED, CLOSURE)
    return written


def add_sums(cursor, units, ordinals, oil, liquid, gas, wells) -> int:
    """Add rows newly written to the totals. The arrays give, per (unit of the wells, day), the
    unit id, the day's ordinal, oil, liquid, gas and wells that gave oil; each is added to the
    unit and to every ancestor. Returns the number of UnitDay rows written."""
    if not len(units):
        return 0
    distinct = np.unique(units)
    paths = dict(Unit.objects.filter(pk__in=distinct.tolist()).values_list("id", "path"))
    lines = [[int(a) for a in paths[u].strip("/").split("/")] for u in distinct.tolist()]
    depth = np.array([len(line) for line in lines], dtype=np.int64)
    flat = np.array([a for line in lines for a in line], dtype=np.int64)
    # Each (unit, day) row repeated once per ancestor of its unit, itself included.
    which = np.searchsorted(distinct, units)
    repeats = depth[which]
    row = np.repeat(np.arange(len(units)), repeats)
    step = np.arange(len(row)) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    ancestor = flat[np.repeat((np.cumsum(depth) - depth)[which], repeats) + step]
    keys, groups = np.unique(ancestor << 32 | ordinals[row], return_inverse=True)

    def total(values):
        return np.bincount(groups, weights=values[row], minlength=len(keys))

    columns = [(keys >> 32).tolist(), [dt.date.fromordinal(o) for o in (keys & 0xFFFFFFFF).tolist()],
               total(oil).tolist(), total(liquid).tolist(), total(gas).tolist(),
               total(wells.astype(np.float64)).round().astype(np.int64).tolist()]
    temp_table(cursor, SUMS, 'unit_id bigint NOT NULL, "date" date NOT NULL, oil double precision NOT NULL, '
                             'liquid double precision NOT NULL, gas double precision NOT NULL, wells bigint NOT NULL')
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f'COPY {SUMS} (unit_id, "date", oil, liquid, gas, wells) FROM STDIN') as copy:
            # repr() writes a float back exactly; one block instead of a call per row.
            copy.write("".join(f"{u}\t{d.isoformat()}\t{o!r}\t{lq!r}\t{g!r}\t{n}\n"
                               for u, d, o, lq, g, n in zip(*columns, strict=True)))
    else:
        cursor.executemany(f'INSERT INTO {SUMS} (unit_id, "date", oil, liquid, gas, wells) '
                           "VALUES (%s, %s, %s, %s, %s, %s)", list(zip(*columns, strict=True)))
    # "WHERE true" keeps SQLite from reading ON CONFLICT as part of the SELECT. In key order
    # the two indexes are written page after page instead of all over.
    cursor.execute(f"""
        INSERT INTO {UNITDAY} (unit_id, "date", oil_t, liquid_t, gas_m3, producing_wells)
        SELECT unit_id, "date", oil, liquid, gas, wells FROM {SUMS} WHERE true ORDER BY unit_id, "date"
        ON CONFLICT (unit_id, "date") DO UPDATE SET oil_t = {UNITDAY}.oil_t + excluded.oil_t,
            liquid_t = {UNITDAY}.liquid_t + excluded.liquid_t, gas_m3 = {UNITDAY}.gas_m3 + excluded.gas_m3,
            producing_wells = {UNITDAY}.producing_wells + excluded.producing_wells""")
    written = cursor.rowcount
    drop(cursor, SUMS)
    return written


def refresh_for_move(well_ids, old_unit, new_unit) -> int:
    """After wells moved from `old_unit` to `new_unit`: the units above one but not both, on
    every day those wells produced. The common ancestors' totals do not change."""
    old_ids, new_ids = set(old_unit.ancestor_ids()) | {old_unit.pk}, set(new_unit.ancestor_ids()) | {new_unit.pk}
    changed = sorted(old_ids ^ new_ids)
    if not changed or not well_ids:
        return 0
    with connection.cursor() as cursor:
        fill_closure(cursor)
        start_affected(cursor)
        units = ", ".join(str(int(u)) for u in changed)
        wells = ", ".join(str(int(w)) for w in well_ids)
        cursor.execute(f"""INSERT INTO {AFFECTED} (unit_id, "date")
            SELECT u.id, d."date" FROM (SELECT DISTINCT "date" FROM {DAILY} WHERE well_id IN ({wells})) d
            CROSS JOIN (SELECT id FROM org_unit WHERE id IN ({units})) u""")
        written = recompute_affected(cursor)
        drop(cursor, AFFECTED, CLOSURE)
    return written


def rebuild_all(since=None) -> int:
    """Every UnitDay row from the raw rows (from `since` on when given): the repair after the
    organisation changed shape (a unit moved) or data was written behind the importer's back."""
    with connection.cursor() as cursor:
        fill_closure(cursor)
        if since is None:
            cursor.execute(f"DELETE FROM {UNITDAY}")
            where, params = "", []
        else:
            cursor.execute(f'DELETE FROM {UNITDAY} WHERE "date" >= %s', [since])
            where, params = 'WHERE d."date" >= %s', [since]
        cursor.execute(f"""
            INSERT INTO {UNITDAY} (unit_id, "date", oil_t, liquid_t, gas_m3, producing_wells)
            SELECT c.ancestor_id, l."date", SUM(l.oil), SUM(l.liquid), SUM(l.gas), SUM(l.wells)
            FROM ({_LEAF.format(where=where)}) l JOIN {CLOSURE} c ON c.unit_id = l.unit_id
            GROUP BY c.ancestor_id, l."date"
        """, params)
        written = cursor.rowcount
        drop(cursor, CLOSURE)
    return written
