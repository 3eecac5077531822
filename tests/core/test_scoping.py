from ronghe.core.models import AuditEntry
from ronghe.org.models import PartyOrg, Person, Unit


def test_a_plant_admin_sees_only_the_plant_subtree(org, personas):
    assert set(Unit.objects.restrict(personas.plant_admin)) == {org.plant, org.area, org.team}
    assert set(Person.objects.restrict(personas.plant_admin)) == {org.worker}
    assert set(PartyOrg.objects.restrict(personas.plant_admin)) == {org.plant_po, org.branch, org.group}


def test_a_branch_secretary_sees_the_branch_and_its_members_only(org, personas):
    assert set(PartyOrg.objects.restrict(personas.secretary)) == {org.sib_branch}
    assert set(Person.objects.restrict(personas.secretary)) == {org.sib_worker}
    assert not Unit.objects.restrict(personas.secretary).exists()


def test_a_company_viewer_sees_everything_but_changes_nothing(org, personas):
    assert Unit.objects.restrict(personas.viewer).count() == Unit.objects.count()
    assert not Unit.objects.restrict(personas.viewer, "change").exists()


def test_an_outsider_sees_nothing(org, personas):
    assert not Unit.objects.restrict(personas.outsider).exists()
    assert not AuditEntry.objects.restrict(personas.outsider).exists()


def test_audit_entries_are_scoped_like_their_objects(org, personas):
    seen = AuditEntry.objects.restrict(personas.plant_admin)
    assert seen.exists()
    assert not seen.filter(unit=org.sibling).exists()
