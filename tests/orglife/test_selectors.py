"""Compliance read from the database: the matrix rows by subtree, the missing requirements, the
rates and attendance, each within the reader's scope."""
import datetime as dt

import pytest

from ronghe.orglife import rules, selectors, services
from ronghe.orglife.rules import Status

D = dt.date


@pytest.fixture
def held(life):
    """一区党支部 held its 支委会 in every month to October and made up September's in October;
    its general meeting and lesson in Q1–Q3 but not its Q3 lesson; 第一党小组 met only in January.
    二厂党支部 (three members: no committee) held nothing."""
    admin = life.personas.superuser
    branch, group = life.org.branch, life.org.group

    def record(org, kind, day, **extra):
        return services.record_create(actor=admin, party_org=org, kind=kind, held_on=day, topic=f"{kind} {day}",
                                      attendance=[(life.members[0], "present"), (life.members[1], "absent")]
                                      if org == branch else [], **extra)

    for month in range(1, 11):
        if month != 9:
            record(branch, "committee", D(2026, month, 10))
    record(branch, "committee", D(2026, 10, 20), makeup_for=D(2026, 9, 1))
    for quarter_month in (2, 5, 8):
        record(branch, "general_meeting", D(2026, quarter_month, 15))
        if quarter_month != 8:
            record(branch, "lesson", D(2026, quarter_month, 16), lecturer=life.secretary)
    record(group, "group_meeting", D(2026, 1, 20))
    return life


def statuses(cells, org, kind):
    return {c.period.key: c.status for c in cells if c.org_id == org.pk and c.meeting_kind == kind}


def test_the_cells_follow_the_records_and_the_members(held):
    org = held.org
    cells = selectors.cells_for(selectors.orgs_in(None, None, 2026), 2026, D(2026, 11, 25))
    committee = statuses(cells, org.branch, "committee")
    assert committee["2026-08"] == Status.HELD and committee["2026-09"] == Status.LATE
    assert committee["2026-11"] == Status.PENDING and committee["2026-12"] == Status.FUTURE
    assert statuses(cells, org.branch, "lesson")["2026-Q3"] == Status.MISSING
    assert statuses(cells, org.branch, "general_meeting")["2026-Q4"] == Status.PENDING
    assert statuses(cells, org.group, "group_meeting")["2026-02"] == Status.MISSING
    assert set(statuses(cells, org.sib_branch, "committee").values()) == {Status.EXEMPT}
    assert statuses(cells, org.sib_branch, "lesson")["2026-Q1"] == Status.MISSING
    assert not [c for c in cells if c.org_id in (org.root_po.pk, org.plant_po.pk)]  # committees owe nothing by default


def test_the_matrix_starts_at_the_top_of_the_readers_scope_and_rolls_up_each_subtree(held):
    personas = held.personas
    top = selectors.matrix(personas.viewer, year=2026, as_of=D(2026, 11, 25))
    assert [r.org.code for r in top] == ["P-ROOT"]
    root = top[0]
    assert root.has_children and root.members == 13
    missing_in_february = root.subtree["2026-02"].counts[Status.MISSING]
    assert missing_in_february == 1  # the group's meeting; the sibling branch is exempt from its committee
    plant = selectors.matrix(personas.plant_admin, year=2026, as_of=D(2026, 11, 25))
    assert [r.org.code for r in plant] == ["P-CY1"]
    rows = selectors.matrix(personas.plant_admin, year=2026, as_of=D(2026, 11, 25), parent=held.org.plant_po)
    assert [r.org.code for r in rows] == ["P-CY1-B1"]
    branch = rows[0]
    assert [c.status for c in branch.own["2026-09"]] == [Status.LATE]
    assert sorted(c.meeting_kind for c in branch.own["2026-Q3"]) == ["general_meeting", "lesson"]
    assert branch.subtree["2026-02"].counts[Status.MISSING] == 1  # its group's
    secretary = selectors.matrix(personas.secretary, year=2026, as_of=D(2026, 11, 25))
    assert [r.org.code for r in secretary] == ["P-CY2-B1"] and not secretary[0].has_children


def test_the_gaps_are_the_missing_requirements_within_scope(held):
    gaps = selectors.gaps(held.personas.plant_admin, year=2026, as_of=D(2026, 11, 25))
    found = {(g.org.code, g.cell.meeting_kind, g.cell.period.key) for g in gaps}
    assert ("P-CY1-B1", "lesson", "2026-Q3") in found
    assert ("P-CY1-B1-G1", "group_meeting", "2026-10") in found
    assert not any(code == "P-CY2-B1" for code, _k, _p in found)
    assert ("P-CY1-B1", "committee", "2026-09") not in found
    late = selectors.gaps(held.personas.plant_admin, year=2026, as_of=D(2026, 11, 25), statuses=(Status.LATE,))
    assert [(g.org.code, g.cell.period.key) for g in late] == [("P-CY1-B1", "2026-09")]


def test_as_of_an_earlier_date_the_make_up_is_not_known_yet(held):
    gaps = selectors.gaps(held.personas.plant_admin, year=2026, as_of=D(2026, 10, 15))
    assert ("P-CY1-B1", "committee", "2026-09") in {(g.org.code, g.cell.meeting_kind, g.cell.period.key) for g in gaps}


def test_summary_and_attendance(held):
    found = selectors.summary(held.personas.plant_admin, year=2026, as_of=D(2026, 11, 25))
    total = found["total"]
    assert total.counts[Status.LATE] == 1 and total.due == total.counts[Status.HELD] + 1 + total.counts[
        Status.MISSING]
    assert isinstance(found["by_kind"]["committee"], rules.Rates)
    totals = selectors.attendance_totals(held.personas.plant_admin, year=2026, as_of=D(2026, 11, 25))
    assert (totals["present"], totals["absent"]) == (15, 15)
    people = {r["person__employee_no"]: r for r in selectors.member_attendance(
        held.personas.plant_admin, year=2026, as_of=D(2026, 11, 25))}
    assert people[held.members[0].employee_no]["present"] == 15
    assert selectors.attendance_totals(held.personas.secretary, year=2026, as_of=D(2026, 11, 25))["total"] == 0


def test_member_counts_include_the_subtree(held):
    counts = selectors.member_counts([held.org.branch, held.org.group, held.org.sib_branch])
    assert counts == {held.org.branch.pk: 10, held.org.group.pk: 1, held.org.sib_branch.pk: 3}
