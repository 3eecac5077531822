"""DailyProduction's monthly partitions on PostgreSQL (SQLite keeps one table).

At the reference scale the table holds 22 million rows and its key index as many entries; a
month's import written into it touches index pages all over that index. Partitioned by month,
the same rows go into one or two small partitions whose index stays in memory: an import of a
million rows into the reference table runs about a fifth faster (docs/production.md).

There is no default partition: a row of a month with no partition is refused (no partition of
the table is found for it), so every writer makes the months it writes first (`ensure`). A
partition is made and then attached, which locks the parent only against other changes of its
partitions, never against reading or writing rows, even held for a whole import; made as a
partition directly, it would lock every reader out until the import commits."""
import datetime as dt
from collections.abc import Iterable

from django.db import connection

from ronghe.production import totals

PARENT = totals.DAILY


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the months from `first`'s to `last`'s, both included."""
    month, end, found = month_of(first), month_of(last), []
    while month <= end:
        found.append(month)
        month = next_month(month)
    return found


def name(month: dt.date) -> str:
    return f"{PARENT}_p{month:%Y%m}"


def existing(cursor) -> list[dt.date]:
    """The months that have a partition, in order."""
    cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                   "WHERE i.inhparent = %s::regclass", [PARENT])
    prefix = len(name(dt.date(2000, 1, 1))) - 6
    return sorted(dt.date(int(n[prefix:prefix + 4]), int(n[prefix + 4:prefix + 6]), 1) for (n,) in cursor.fetchall())


def ensure(cursor, days: Iterable[dt.date], have: Iterable[dt.date] | None = None) -> list[dt.date]:
    """Partitions for the months of `days`, made where missing (`have`: the months that have
    one, when the caller has read them); returns the months made."""
    if connection.vendor != "postgresql":
        return []
    wanted = sorted({month_of(day) for day in days})
    if not wanted:
        return []
    have = set(existing(cursor) if have is None else have)
    made = [month for month in wanted if month not in have]
    for month in made:
        table = name(month)
        cursor.execute(f"CREATE TABLE {table} (LIKE {PARENT} INCLUDING DEFAULTS)")
        cursor.execute(f"ALTER TABLE {PARENT} ATTACH PARTITION {table} "
                       f"FOR VALUES FROM ('{month.isoformat()}') TO ('{next_month(month).isoformat()}')")
    return made


def ensure_through(cursor, today: dt.date, since: dt.date | None = None) -> list[dt.date]:
    """Partitions for every month from the newest one's, or `since`'s when older, to `today`'s
    (from this month's alone when there is neither), so that the next days' rows — what most
    imports bring — find theirs."""
    if connection.vendor != "postgresql":
        return []
    have = existing(cursor)
    start = min([month_of(today), *have[-1:], *([month_of(since)] if since else [])])
    return ensure(cursor, months_between(start, today), have)
