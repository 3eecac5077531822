import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ronghe.core.errors import OutOfScope
from ronghe.core.models import AuditEntry
from ronghe.org import selectors, services
from ronghe.org.models import OrgChange, PartyOrg, Person, Unit
from tests import factories as f

D = dt.date


def test_it_keeps_materialized_paths_of_a_new_subtree(org):
    assert org.team.path == f"{org.hq.pk}/{org.plant.pk}/{org.area.pk}/{org.team.pk}/"
    assert org.team.depth == 3
    assert set(Unit.objects.filter(path__startswith=org.plant.path)) == {org.plant, org.area, org.team}


def test_moving_a_unit_rewrites_the_paths_of_its_whole_subtree(org, personas):
    services.node_move(actor=personas.superuser, node=org.area, new_parent=org.sibling, effective_date=D(2024, 3, 1))
    org.team.refresh_from_db()
    assert org.team.path == f"{org.hq.pk}/{org.sibling.pk}/{org.area.pk}/{org.team.pk}/"
    assert org.team.depth == 3
    change = OrgChange.objects.filter(unit=org.area).latest("id")
    assert change.kind == "move" and change.before["parent"] == org.plant.pk and change.state["parent"] == org.sibling.pk


def test_it_rejects_moving_a_unit_under_its_own_subtree(org, personas):
    with pytest.raises(ValidationError):
        services.node_move(actor=personas.superuser, node=org.plant, new_parent=org.team)


def test_a_plant_admin_cannot_move_a_unit_into_a_sibling_plant(org, personas):
    with pytest.raises(ValidationError):
        services.node_move(actor=personas.plant_admin, node=org.area, new_parent=org.sibling)
    org.area.refresh_from_db()
    assert org.area.parent == org.plant


def test_a_plant_admin_cannot_rename_a_unit_of_a_sibling_plant(org, personas):
    with pytest.raises(OutOfScope):
        services.node_rename(actor=personas.plant_admin, node=org.sibling, name="改名")


def test_renaming_records_a_dated_change_and_an_audit_entry(org, personas):
    services.node_rename(actor=personas.plant_admin, node=org.area, name="第一作业区", effective_date=D(2025, 6, 1))
    change = OrgChange.objects.filter(unit=org.area).latest("id")
    assert change.kind == "rename" and change.effective_date == D(2025, 6, 1)
    entry = AuditEntry.objects.filter(object_type="org.unit", object_id=str(org.area.pk)).first()
    assert entry.actor == personas.plant_admin
    assert entry.before["name"] == "作业一区" and entry.after["name"] == "第一作业区"


def test_the_tree_can_be_shown_as_of_any_date(org, personas):
    services.node_rename(actor=personas.superuser, node=org.area, name="第一作业区", effective_date=D(2025, 6, 1))
    services.node_move(actor=personas.superuser, node=org.area, new_parent=org.sibling, effective_date=D(2025, 7, 1))
    before = selectors.states_as_of(Unit, D(2025, 5, 31))
    assert before[org.area.pk]["name"] == "作业一区" and before[org.area.pk]["parent"] == org.plant.pk
    mid = selectors.states_as_of(Unit, D(2025, 6, 15))
    assert mid[org.area.pk]["name"] == "第一作业区" and mid[org.area.pk]["parent"] == org.plant.pk
    after = selectors.states_as_of(Unit, D(2025, 7, 1))
    assert after[org.area.pk]["parent"] == org.sibling.pk
    assert org.hq.pk not in selectors.states_as_of(Unit, D(2019, 12, 31))


def test_it_refuses_a_change_dated_before_the_last_one(org, personas):
    services.node_rename(actor=personas.superuser, node=org.area, name="新名", effective_date=D(2025, 6, 1))
    with pytest.raises(ValidationError):
        services.node_rename(actor=personas.superuser, node=org.area, name="旧名", effective_date=D(2025, 5, 1))


def test_abolishing_a_unit_with_people_is_refused(org, personas):
    with pytest.raises(ValidationError):
        services.node_abolish(actor=personas.superuser, node=org.team)


def test_an_abolished_unit_is_kept_and_gone_from_the_tree_after_its_date(org, personas):
    empty = f.unit("临时组", parent=org.area)
    services.node_abolish(actor=personas.superuser, node=empty, effective_date=D(2025, 1, 1))
    assert Unit.objects.filter(pk=empty.pk, abolished_on=D(2025, 1, 1)).exists()
    assert selectors.states_as_of(Unit, D(2024, 12, 31))[empty.pk]["ended"] is False
    assert selectors.states_as_of(Unit, D(2025, 1, 1))[empty.pk]["ended"] is True


def test_merging_moves_children_people_and_party_orgs_to_the_target(org, personas):
    services.node_merge(actor=personas.superuser, node=org.area, into=org.area2, effective_date=D(2025, 9, 1))
    org.team.refresh_from_db()
    org.branch.refresh_from_db()
    org.area.refresh_from_db()
    assert org.team.parent == org.area2 and org.team.path.startswith(org.area2.path)
    assert org.branch.unit == org.area2
    assert org.area.abolished_on == D(2025, 9, 1)
    merge = OrgChange.objects.get(unit=org.area, kind="merge")
    assert merge.merged_into_unit == org.area2


def test_a_party_group_cannot_have_children(org, personas):
    with pytest.raises(ValidationError):
        f.party_org("小组下级", parent=org.group, unit_=org.team)


def test_a_party_member_needs_a_party_org(org):
    with pytest.raises(ValidationError):
        f.person(org.team, political_status=Person.PoliticalStatus.MEMBER)


def test_a_date_of_birth_in_the_future_is_refused(org):
    with pytest.raises(ValidationError):
        f.person(org.team, birth_date=dt.date(2999, 1, 1))


def test_subtree_counts_cover_units_people_and_members(org):
    f.person(org.area)  # a non-member
    counts = selectors.subtree_counts([org.plant, org.sibling])
    assert counts[org.plant.pk] == {"nodes": 2, "people": 2, "party_members": 1, "probationary": 0}
    assert counts[org.sibling.pk]["people"] == 1
    po_counts = selectors.subtree_counts([org.root_po])
    assert po_counts[org.root_po.pk]["party_members"] == 2


def test_every_service_write_leaves_an_audit_entry(org, personas):
    before = AuditEntry.objects.count()
    services.node_edit(actor=personas.superuser, node=org.area, staffing=12)
    services.person_update(actor=personas.superuser, person=org.worker, mobile="13700000000")
    po = f.party_org("新支部", parent=org.plant_po, unit_=org.area)
    services.node_abolish(actor=personas.superuser, node=po)
    assert AuditEntry.objects.count() == before + 4


def test_a_plant_admin_cannot_put_a_worker_into_a_sibling_plants_branch(org, personas):
    with pytest.raises(ValidationError):
        services.person_update(actor=personas.plant_admin, person=org.worker, party_org=org.sib_branch)
    org.worker.membership.refresh_from_db()
    assert org.worker.membership.party_org == org.branch


def test_a_plant_admin_sees_the_changes_of_party_orgs_on_the_plant(org, personas):
    services.node_rename(actor=personas.superuser, node=org.branch, name="一区第一党支部", effective_date=D(2025, 6, 1))
    changes = selectors.changes_between(PartyOrg, personas.plant_admin, D(2025, 1, 1), D(2025, 12, 31))
    assert [c.party_org for c in changes] == [org.branch]
    assert not selectors.changes_between(PartyOrg, personas.secretary, D(2025, 1, 1), D(2025, 12, 31)).exists()


def test_the_as_of_forest_nests_nodes_under_their_parents_of_that_date(org, personas):
    from ronghe.org import trees

    services.node_move(actor=personas.superuser, node=org.area, new_parent=org.sibling, effective_date=D(2025, 7, 1))
    forest = trees.build_forest(selectors.states_as_of(Unit, D(2025, 6, 30)))
    assert [n["code"] for n in forest] == ["HQ"]
    plant = next(n for n in forest[0]["children"] if n["code"] == "CY1")
    assert [n["code"] for n in plant["children"]] == ["CY1-A1"]


def test_words_the_pages_use_as_paths_cannot_be_codes(org, personas):
    with pytest.raises(ValidationError):
        services.unit_create(actor=personas.superuser, code="new", name="新单位", parent=org.hq)
