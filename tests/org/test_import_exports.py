"""Exports carry the importers' headers and import back unchanged; personal data is masked
for users who may not see it."""
import datetime as dt

from ronghe.org import exporters, selectors
from ronghe.org.importers import PartyOrgImporter, PersonImporter, UnitImporter
from ronghe.org.models import PartyOrg, Person, Unit
from tests.data import files
from tests.data.import_support import (  # noqa: F401
    PARTY_HEADER,
    PEOPLE_HEADER,
    UNIT_HEADER,
    counts,
    import_env,
    nothing_written,
)


def reimport(importer_class, content, actor):
    before = counts()
    result = importer_class(actor=actor).run_file(content, "export.xlsx")
    assert result.ok, result.as_text_lines()
    after = counts()
    assert {k: v for k, v in after.items() if k != "AuditEntry"} == {k: v for k, v in before.items() if k != "AuditEntry"}
    return result


def test_units_round_trip_unchanged(org, personas):
    Unit.objects.filter(pk=org.plant.pk).update(staffing=40, sort_order=2, established_on=dt.date(1970, 1, 1))
    content = exporters.units_xlsx(Unit.objects.all(), personas.superuser)
    rows, _ = files.read_xlsx(content)
    assert rows[0] == UNIT_HEADER and len(rows) == 1 + Unit.objects.count()
    result = reimport(UnitImporter, content, personas.superuser)
    assert result.counts["unchanged"] == result.counts["total"] == Unit.objects.count()


def test_party_orgs_round_trip_unchanged(org, personas):
    content = exporters.party_orgs_xlsx(PartyOrg.objects.all(), personas.superuser)
    rows, _ = files.read_xlsx(content)
    assert rows[0] == PARTY_HEADER
    result = reimport(PartyOrgImporter, content, personas.superuser)
    assert result.counts["unchanged"] == result.counts["total"] == PartyOrg.objects.count()


def test_people_round_trip_unchanged(org, personas):
    content = exporters.people_xlsx(Person.objects.all(), personas.superuser)
    rows, _ = files.read_xlsx(content)
    assert rows[0] == PEOPLE_HEADER
    worker = next(r for r in rows if r[0] == org.worker.employee_no)
    assert worker[7] == "13800001111" and worker[3] == dt.datetime(1980, 5, 4)
    assert worker[9] == "中共党员" and worker[10] == "P-CY1-B1"
    result = reimport(PersonImporter, content, personas.superuser)
    assert result.counts["unchanged"] == result.counts["total"] == 2


def test_a_plant_admins_export_holds_only_the_plant_and_re_imports_unchanged(org, personas):
    content = exporters.units_xlsx(selectors.units(personas.plant_admin), personas.plant_admin)
    rows, _ = files.read_xlsx(content)
    assert sorted(r[0] for r in rows[1:]) == ["CY1", "CY1-A1", "CY1-A1-T1"]
    reimport(UnitImporter, content, personas.plant_admin)
    people = exporters.people_xlsx(Person.objects.all(), personas.plant_admin)
    assert [r[0] for r in files.read_xlsx(people)[0][1:]] == [org.worker.employee_no]
    reimport(PersonImporter, people, personas.plant_admin)


def test_personal_data_is_masked_without_view_personal_and_the_masks_re_import(org, personas):
    content = exporters.people_xlsx(Person.objects.all(), personas.viewer)
    rows, _ = files.read_xlsx(content)
    worker = next(r for r in rows if r[0] == org.worker.employee_no)
    assert worker[7] == "138****1111" and worker[3] == "1980-**-**"
    reimport(PersonImporter, content, personas.superuser)
    org.worker.refresh_from_db()
    assert org.worker.mobile == "13800001111" and org.worker.birth_date == dt.date(1980, 5, 4)


def test_the_personal_flag_follows_view_personal_scope(org, personas):
    flags = dict(exporters.with_personal_flag(Person.objects.all(), personas.secretary)
                 .values_list("employee_no", "personal_visible"))
    assert flags == {org.worker.employee_no: False, org.sib_worker.employee_no: True}
