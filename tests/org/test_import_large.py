"""A people file of a thousand rows through the real importer: every row written right, and
the database reached in batches, never once a row — which is what keeps the issue's
20,000-row file to seconds. How many seconds is measured by `make bench` (bench/bench_import.py,
the reference scale on SQLite and PostgreSQL), not here."""
from bench import bench_import
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ronghe.org.importers import PartyOrgImporter, PersonImporter, UnitImporter
from ronghe.org.models import PartyMembership, Person, Position
from tests.data.import_support import PARTY_HEADER, PEOPLE_HEADER, UNIT_HEADER

PLANTS = 2  # 100 teams and their Party groups: the reference organisation's shape, a tenth of it
ROWS = 1_000
# SQLite takes at most 999 parameters a statement, so a bulk insert of people goes in batches of
# about 80 rows; a query a row (or a few) would be a thousand or more.
MAX_QUERIES = ROWS // 20


def as_dicts(header, rows):
    return [dict(zip(header, row, strict=True)) for row in rows]


def import_people(rows):
    content = bench_import.xlsx(PEOPLE_HEADER, rows)
    with CaptureQueriesContext(connection) as queries:
        result = PersonImporter().run_file(content, "people.xlsx")
    assert result.ok, result.as_text_lines()[:5]
    return result, len(queries)


def test_a_file_of_a_thousand_people_imports_in_batches_and_again_unchanged(db):
    assert UnitImporter().run_rows(as_dicts(UNIT_HEADER, bench_import.unit_rows(PLANTS))).ok
    assert PartyOrgImporter().run_rows(as_dicts(PARTY_HEADER, bench_import.party_rows(PLANTS))).ok
    rows = list(bench_import.people_rows(ROWS, plants=PLANTS))

    result, queries = import_people(rows)
    assert result.counts == {"created": ROWS, "updated": 0, "unchanged": 0, "total": ROWS}
    assert queries <= MAX_QUERIES, f"{queries} queries for {ROWS} rows"
    members = [row for row in rows if row[10]]
    assert Person.objects.count() == ROWS and PartyMembership.objects.count() == len(members) == ROWS * 3 // 5
    assert Position.objects.filter(kind="secretary").count() == sum(1 for row in rows if row[-1] == "书记") == 3
    sample = Person.objects.select_related("unit").get(employee_no="E000735")
    assert (sample.name, sample.unit.code, sample.mobile) == ("员工735", rows[735][4], "13900000735")
    assert sample.membership.party_org.code == rows[735][10]

    again, queries = import_people(rows)
    assert again.counts["unchanged"] == ROWS and queries <= MAX_QUERIES

    moved, queries = import_people(list(bench_import.people_rows(ROWS, mobile_prefix="137", plants=PLANTS)))
    assert moved.counts["updated"] == ROWS and queries <= MAX_QUERIES, f"{queries} queries for {ROWS} updates"
    assert Person.objects.get(employee_no="E000735").mobile == "13700000735"
