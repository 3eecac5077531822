"""A 20,000-row people file, as in the issue: imported through the real importer on the test
database (make bench measures the same on SQLite and PostgreSQL)."""
import time

from bench import bench_import

from ronghe.org.importers import PartyOrgImporter, PersonImporter, UnitImporter
from ronghe.org.models import PartyMembership, Person, Position
from tests.data.import_support import PARTY_HEADER, PEOPLE_HEADER, UNIT_HEADER


def as_dicts(header, rows):
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_a_20000_row_people_xlsx_imports_in_seconds(db):
    assert UnitImporter().run_rows(as_dicts(UNIT_HEADER, bench_import.unit_rows())).ok
    assert PartyOrgImporter().run_rows(as_dicts(PARTY_HEADER, bench_import.party_rows())).ok
    content = bench_import.xlsx(PEOPLE_HEADER, bench_import.people_rows(20_000))
    started = time.perf_counter()
    result = PersonImporter().run_file(content, "people.xlsx")
    seconds = time.perf_counter() - started
    assert result.ok, result.as_text_lines()[:5]
    assert result.counts == {"created": 20_000, "updated": 0, "unchanged": 0, "total": 20_000}
    assert Person.objects.count() == 20_000 and PartyMembership.objects.count() == 12_000
    assert Position.objects.filter(kind="secretary").count() == 50
    # Far below "minutes" even on a loaded CI machine; make bench reports the real rate.
    assert seconds < 60
    again = PersonImporter().run_file(content, "people.xlsx")
    assert again.counts["unchanged"] == 20_000
