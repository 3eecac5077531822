"""DailyProduction partitioned by month on PostgreSQL (production.partitions says why); SQLite is
left as it is.

PostgreSQL cannot partition a table in place: the rows move into a new partitioned table with
a partition for each month they cover (at the reference scale, 22 million rows in about a
minute and a half). The model does not change."""
import datetime as dt

from django.db import migrations

TABLE = "production_dailyproduction"
OLD = f"{TABLE}_unpartitioned"
COLUMNS = 'well_id, "date", hours, liquid_t, oil_t, gas_m3, water_cut'


def _months(first, last):
    month = first.replace(day=1)
    while month <= last:
        following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        yield month, following
        month = following


def _rebuild(schema_editor, partitioned: bool) -> None:
    """The table made again, partitioned by month or not, and its rows moved into it."""
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    run(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
    run(f"ALTER TABLE {OLD} RENAME CONSTRAINT {TABLE}_pkey TO {OLD}_pkey")
    run(f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS)" + (' PARTITION BY RANGE ("date")' if partitioned else ""))
    run(f'ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (well_id, "date")')
    if partitioned:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f'SELECT MIN("date"), MAX("date") FROM {OLD}')
            first, last = cursor.fetchone()
        for month, following in _months(first, last) if first else ():
            run(f"CREATE TABLE {TABLE}_p{month:%Y%m} PARTITION OF {TABLE} "
                f"FOR VALUES FROM ('{month.isoformat()}') TO ('{following.isoformat()}')")
    run(f"INSERT INTO {TABLE} ({COLUMNS}) SELECT {COLUMNS} FROM {OLD}")
    run(f"DROP TABLE {OLD}")  # going back, its partitions go with it


def forward(apps, schema_editor):
    _rebuild(schema_editor, partitioned=True)


def backward(apps, schema_editor):
    _rebuild(schema_editor, partitioned=False)


class Migration(migrations.Migration):

    dependencies = [
        ("production", "0005_daily_composite_key"),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
    ]
