"""Project groups and measures are written through services: validated, audited, in scope."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ronghe.core.errors import OutOfScope
from ronghe.core.models import AuditEntry
from ronghe.org import services as org_services
from ronghe.production import services_projects as services
from ronghe.production.models import Measure, ProjectGroup
from tests import factories as f
from tests.production import factories as pf

D = dt.date


@pytest.fixture
def plant(org, personas, settings):
    settings.RONGHE_TODAY = "2026-06-30"
    leader = f.person(org.plant, name="邹君")
    org_services.position_assign(actor=f.system_user(), person=leader, kind="secretary", party_org=org.plant_po)
    well = pf.well(org.area, "CY1-001", producing_since=D(2020, 1, 1))
    return leader, well


def test_a_group_is_led_by_a_member_of_the_units_leadership(org, personas, plant):
    leader, well = plant
    group = services.project_group_create(actor=personas.plant_admin, unit=org.plant, name="稠油上产组",
                                          leader=leader, year=2026, members=[org.worker], wells=[well],
                                          target_measures=40, target_increment_t=5000)
    assert list(group.wells.all()) == [well]
    entry = AuditEntry.objects.get(action="project_group.create")
    assert entry.after["members"] == [org.worker.employee_no] and entry.after["wells"] == ["CY1-001"]
    with pytest.raises(ValidationError) as err:
        services.project_group_create(actor=personas.plant_admin, unit=org.plant, name="二组", leader=org.worker,
                                      year=2026)
    assert "leader" in err.value.message_dict


def test_a_group_cannot_be_made_or_moved_outside_the_actors_scope(org, personas, plant):
    leader, _well = plant
    with pytest.raises(ValidationError):
        services.project_group_create(actor=personas.plant_admin, unit=org.sibling, name="外组", leader=leader,
                                      year=2026)
    group = services.project_group_create(actor=personas.superuser, unit=org.plant, name="一组", leader=leader,
                                          year=2026)
    with pytest.raises(ValidationError):
        services.project_group_update(actor=personas.plant_admin, group=group, unit=org.sibling)
    with pytest.raises(OutOfScope):
        services.project_group_update(actor=personas.secretary, group=group, name="改名")
    assert ProjectGroup.objects.get(pk=group.pk).name == "一组"


def test_an_editor_changes_the_members_they_see_and_keeps_the_others(org, personas, plant):
    leader, _well = plant
    outsider = f.person(org.sibling, name="外单位专家")
    group = services.project_group_create(actor=personas.superuser, unit=org.plant, name="一组", leader=leader,
                                          year=2026, members=[org.worker, outsider])
    newcomer = f.person(org.plant, name="新成员")
    services.project_group_update(actor=personas.plant_admin, group=group, members=[newcomer])
    assert set(group.members.all()) == {newcomer, outsider}
    entry = AuditEntry.objects.filter(action="project_group.update").latest("pk")
    assert entry.after["members"] == sorted([newcomer.employee_no, outsider.employee_no])


def test_a_groups_wells_are_produced_by_its_unit(org, personas, plant):
    leader, _well = plant
    stranger = pf.well(org.area2, "CY2-001")
    with pytest.raises(ValidationError) as err:
        services.project_group_create(actor=personas.superuser, unit=org.plant, name="一组", leader=leader,
                                      year=2026, wells=[stranger])
    assert "CY2-001" in str(err.value)


def test_a_group_update_is_audited_with_before_and_after(org, personas, plant):
    leader, well = plant
    group = services.project_group_create(actor=personas.plant_admin, unit=org.plant, name="一组", leader=leader,
                                          year=2026)
    services.project_group_update(actor=personas.plant_admin, group=group, target_measures=12, wells=[well])
    entry = AuditEntry.objects.get(action="project_group.update")
    assert entry.before["target_measures"] is None and entry.after["target_measures"] == 12
    assert entry.after["wells"] == ["CY1-001"]


def test_a_group_with_measures_is_not_deleted(org, personas, plant):
    leader, well = plant
    group = services.project_group_create(actor=personas.plant_admin, unit=org.plant, name="一组", leader=leader,
                                          year=2026)
    services.measure_create(actor=personas.plant_admin, well=well, kind="fracturing", planned_month=D(2026, 3, 1),
                            group=group)
    with pytest.raises(ValidationError):
        services.project_group_delete(actor=personas.plant_admin, group=group)
    empty = services.project_group_create(actor=personas.plant_admin, unit=org.plant, name="二组", leader=leader,
                                          year=2026)
    services.project_group_delete(actor=personas.plant_admin, group=empty)
    assert AuditEntry.objects.filter(action="project_group.delete").count() == 1


def test_a_measure_is_planned_for_a_month_and_done_on_a_past_day(org, personas, plant):
    _leader, well = plant
    measure = services.measure_create(actor=personas.plant_admin, well=well, kind="acidizing",
                                      planned_month=D(2026, 3, 17), planned_increment_t=300, cost=45)
    assert measure.planned_month == D(2026, 3, 1)
    services.measure_update(actor=personas.plant_admin, measure=measure, done_on=D(2026, 3, 20))
    with pytest.raises(ValidationError) as err:
        services.measure_update(actor=personas.plant_admin, measure=measure, done_on=D(2026, 7, 1))
    assert "done_on" in err.value.message_dict
    with pytest.raises(ValidationError):
        services.measure_update(actor=personas.plant_admin, measure=measure, done_on=D(2019, 7, 1))
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="measure.").order_by("id")] == [
        "measure.create", "measure.update"]


def test_a_measure_outside_the_scope_is_refused(org, personas, plant):
    leader, _well = plant
    stranger = pf.well(org.area2, "CY2-001")
    with pytest.raises(ValidationError):
        services.measure_create(actor=personas.plant_admin, well=stranger, kind="fracturing",
                                planned_month=D(2026, 3, 1))
    measure = services.measure_create(actor=personas.superuser, well=stranger, kind="fracturing",
                                      planned_month=D(2026, 3, 1))
    with pytest.raises(OutOfScope):
        services.measure_delete(actor=personas.plant_admin, measure=measure)
    group = services.project_group_create(actor=personas.superuser, unit=org.plant, name="一组", leader=leader,
                                          year=2026)
    with pytest.raises(ValidationError) as err:
        services.measure_update(actor=personas.superuser, measure=measure, group=group)
    assert "well" in err.value.message_dict
    assert Measure.objects.get(pk=measure.pk).group_id is None


def test_deleting_a_measure_is_audited(org, personas, plant):
    _leader, well = plant
    measure = services.measure_create(actor=personas.plant_admin, well=well, kind="other", planned_month=D(2026, 3, 1))
    services.measure_delete(actor=personas.plant_admin, measure=measure)
    assert not Measure.objects.exists()
    assert AuditEntry.objects.get(action="measure.delete").before["kind"] == "other"
