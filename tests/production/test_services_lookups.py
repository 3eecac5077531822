"""services_projects' lookups, shared by the forms and the API: each resolves what was sent within
the actor's scope and refuses anything else on the field that named it."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ronghe.org import services as org_services
from ronghe.production import services_projects as sp
from ronghe.production.models import ProjectGroup
from tests import factories as f
from tests.api.support import ApiClient, token_for
from tests.production import factories as pf


def _refused(lookup, *args):
    with pytest.raises(ValidationError) as caught:
        lookup(*args)
    (field, messages), = caught.value.message_dict.items()
    return field, messages[0]


def test_a_unit_is_a_current_one_the_actor_may_change(org, personas):
    assert sp.unit_by_code(personas.plant_admin, " CY1-A1 ") == org.area
    assert _refused(sp.unit_by_code, personas.plant_admin, "CY2")[0] == "unit"
    assert _refused(sp.unit_by_code, personas.viewer, "CY1")[0] == "unit"  # seen, not changed
    assert _refused(sp.unit_by_code, personas.plant_admin, "", "lead_unit")[0] == "lead_unit"
    old = f.unit("旧班组", parent=org.area, code="CY1-OLD", kind="team")
    org_services.node_abolish(actor=f.system_user(), node=old, effective_date=dt.date(2026, 1, 1))
    assert "CY1-OLD" in _refused(sp.unit_by_code, personas.superuser, "CY1-OLD")[1]


def test_a_person_and_a_well_are_one_of_the_scope_and_a_blank_is_required(org, personas):
    admin = personas.plant_admin
    assert sp.person_by_number(admin, f" {org.worker.employee_no} ") == org.worker
    assert _refused(sp.person_by_number, admin, org.sib_worker.employee_no)[0] == "leader"
    assert _refused(sp.person_by_number, admin, "  ")[0] == "leader"
    well = pf.well(org.team, "CY1-001")
    pf.well(org.area2, "CY2-001")
    assert sp.well_by_code(admin, "CY1-001") == well
    assert "CY2-001" in _refused(sp.well_by_code, admin, "CY2-001")[1]
    assert _refused(sp.well_by_code, admin, None)[0] == "well"


def test_a_group_is_one_the_actor_may_see_and_none_is_none(org, personas):
    leader = f.person(org.plant)
    group = ProjectGroup.objects.create(name="一厂组", unit=org.plant, leader=leader, year=2026)
    sibling = ProjectGroup.objects.create(name="二厂组", unit=org.sibling, leader=leader, year=2026)
    assert sp.group_by_id(personas.plant_admin, str(group.pk)) == group
    assert sp.group_by_id(personas.plant_admin, None) is None and sp.group_by_id(personas.plant_admin, "") is None
    for sent in (sibling.pk, "abc", 10**9):
        assert _refused(sp.group_by_id, personas.plant_admin, sent)[0] == "group"


def test_the_api_refuses_a_blank_leader_or_well_on_its_field(org, personas):
    api = ApiClient(token_for(personas.plant_admin))
    answer = api.post("production/groups", {"name": "组", "unit": "CY1", "leader": "  ", "year": 2026})
    assert answer.status_code == 422 and "leader" in answer.json()["details"]
    answer = api.post("production/measures", {"well": " ", "kind": "acidizing", "planned_month": "2026-02-01"})
    assert answer.status_code == 422 and "well" in answer.json()["details"]
