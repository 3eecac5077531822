"""Production data at the reference scale: 20,000 wells on 1,000 teams of 20 plants, and three
years of daily production (about 22 million rows) with their unit-day totals.

    from bench.production_data import fill
    fill()                       # the reference scale, ending today
    fill(wells=2000, days=365)   # smaller

The rows come from the demo's generator (ronghe.production.demo.curve): the company's output
follows its ten hundred-ton steps, scaled to the field. They are written straight into the
daily table (COPY on PostgreSQL, executemany on SQLite), then UnitDay is rebuilt from them in
SQL, as `rebuild_unit_days` would. Also the source of the import benchmark's files."""
import datetime as dt
import tempfile

from bench.bench_import import AREAS, PLANTS, TEAMS, header, unit_rows, xlsx

WELLS = 20_000
DAYS = 3 * 365
SEED = 2026


def team_codes():
    return [f"CY{p:02d}-A{a:02d}-T{t}" for p in range(1, PLANTS + 1) for a in range(1, AREAS + 1)
            for t in range(1, TEAMS + 1)]


def well_code(i: int) -> str:
    return f"W{i:06d}"


def ensure_units():
    """The benchmark's organisation (company, 20 plants, 200 areas, 1,000 teams), through the
    unit importer, unless it is there."""
    from ronghe.core.tabular import importer_for
    from ronghe.org.models import Unit

    if not Unit.objects.filter(code="HQ").exists():
        result = importer_for("units")(actor=None).run_file(xlsx(header("units"), unit_rows()), "units.xlsx")
        if not result.ok:
            raise SystemExit("\n".join(result.as_text_lines()[:20]))


def ensure_wells(wells=WELLS, since=dt.date(2000, 1, 1)) -> dict[str, int]:
    """`wells` wells spread over the teams; returns {code: id}."""
    from ronghe.org.models import Unit
    from ronghe.production.models import Well

    ensure_units()
    teams = dict(Unit.objects.filter(code__in=team_codes()).values_list("code", "pk"))
    codes = team_codes()
    existing = set(Well.objects.values_list("code", flat=True))
    Well.objects.bulk_create([Well(code=well_code(i), unit_id=teams[codes[i % len(codes)]], producing_since=since)
                              for i in range(wells) if well_code(i) not in existing], batch_size=5000)
    return dict(Well.objects.filter(code__startswith="W").values_list("code", "pk"))


def specs(ids: dict[str, int], first: dt.date):
    from ronghe.production.demo.curve import WellSpec

    return [WellSpec(pk, 0.5 + (pk * 7919 % 1000) / 1000, first, None, 60 + pk % 30, 20 + pk % 70)
            for pk in sorted(ids.values())]


def total_curve(wells: int):
    """The company's output for a field of `wells` wells: the demo's ten steps, scaled."""
    from ronghe.production.demo import curve

    base = curve.base_level(wells)
    return lambda day: curve.target(day, base)


def rows(wells: int, first: dt.date, last: dt.date, ids: dict[str, int]):
    """COPY text lines of every well's days in [first, last]."""
    from ronghe.production.demo import curve

    return curve.daily_lines(specs(ids, first), first, last, total_curve(wells), SEED)


def fill(wells=WELLS, days=DAYS, end: dt.date | None = None) -> dict:
    """Fill the database with `wells` wells and `days` days of production ending `end`
    (default today), and their unit-day totals. Returns the counts."""
    from django.db import connection, transaction

    from ronghe.core import clock
    from ronghe.production import totals

    end = end or clock.today()
    first = end - dt.timedelta(days=days - 1)
    ids = ensure_wells(wells)
    columns = '"well_id", "date", "hours", "liquid_t", "oil_t", "gas_m3", "water_cut"'
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY production_dailyproduction ({columns}) FROM STDIN") as copy:
                block = []
                for text in rows(wells, first, end, ids):
                    block.append(text)
                    if len(block) >= 20_000:
                        copy.write("".join(block))
                        written += len(block)
                        block = []
                copy.write("".join(block))
                written += len(block)
        else:
            sql = f"INSERT INTO production_dailyproduction ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s)"
            batch = []
            for text in rows(wells, first, end, ids):
                batch.append([None if v == "\\N" else v for v in text.rstrip("\n").split("\t")])
                if len(batch) >= 20_000:
                    cursor.executemany(sql, batch)
                    written += len(batch)
                    batch = []
            cursor.executemany(sql, batch)
            written += len(batch)
        unit_days = totals.rebuild_all()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE production_dailyproduction")
            cursor.execute("ANALYZE production_unitday")
    return {"wells": len(ids), "daily_rows": written, "unit_days": unit_days, "first": first, "last": end}


def import_file(wells: int, first: dt.date, last: dt.date, ids: dict[str, int]):
    """A daily production csv (the import's own headers) of every well's days in [first, last],
    in a temporary file; returns the open file and its number of rows."""
    codes = {pk: code for code, pk in ids.items()}
    out = tempfile.NamedTemporaryFile("w+", encoding="utf-8", suffix=".csv", newline="")  # noqa: SIM115
    out.write("井号*,日期*,生产时间(h),日产液(t),日产油(t)*,日产气(m³),含水(%)\n")
    count = 0
    for text in rows(wells, first, last, ids):
        pk, rest = text.rstrip("\n").split("\t", 1)
        out.write(codes[int(pk)] + "," + rest.replace("\\N", "").replace("\t", ",") + "\n")
        count += 1
    out.flush()
    out.seek(0)
    return out, count
