"""Live indicator sources read the production module's data for any period, as of any date,
in a fixed number of queries."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ronghe.competitions import services, sources
from ronghe.competitions.rules import Reading
from ronghe.competitions.sources.production import oil_plans
from tests import factories as f
from tests.competitions import factories as cf

D = dt.date


def participants(org, personas, *units, kind="units"):
    competition = cf.competition(personas.superuser, org.hq, kind=kind)
    key = {"groups": "project_group", "carriers": "carrier"}.get(kind, "unit")
    return [services.participant_add(actor=personas.superuser, competition=competition, **{key: u}) for u in units]


def read(code, people, start, end, as_of):
    return sources.get(code).read(people, start, end, as_of)


def test_monthly_plans_count_pro_rata_and_a_month_without_one_takes_its_share_of_the_annual_plan(org):
    cf.plan(org.plant, 2026, 0, 36500)
    cf.plan(org.plant, 2026, 2, 5600)
    # 1–31 January from the annual plan (100 a day), all of February's own plan, half of nothing else
    assert oil_plans([org.plant], D(2026, 1, 1), D(2026, 2, 28))[org.plant.pk] == pytest.approx(3100 + 5600)
    assert oil_plans([org.plant], D(2026, 2, 1), D(2026, 2, 14))[org.plant.pk] == pytest.approx(2800)
    assert org.sibling.pk not in oil_plans([org.sibling], D(2026, 1, 1), D(2026, 1, 31))


def test_output_against_plan_is_measured_to_date_in_a_running_period(org, personas):
    plant, sibling = participants(org, personas, org.plant, org.sibling)
    cf.plan(org.plant, 2026, 3, 3100)  # 100 a day
    cf.plan(org.sibling, 2026, 3, 6200)  # 200 a day
    cf.unit_days(org.plant, D(2026, 3, 1), D(2026, 3, 31), 110)
    cf.unit_days(org.sibling, D(2026, 3, 1), D(2026, 3, 10), 150)
    march = (D(2026, 3, 1), D(2026, 3, 31))
    assert read("production.output_vs_plan", [plant, sibling], *march, D(2026, 3, 10)) == {
        plant.pk: Reading(pytest.approx(110)), sibling.pk: Reading(pytest.approx(75))}
    assert read("production.output_vs_plan", [plant], *march, D(2026, 2, 28)) == {}
    assert read("production.oil_output", [plant], *march, D(2026, 4, 1)) == {
        plant.pk: Reading(pytest.approx(3410), pytest.approx(3100))}


def test_a_unit_without_a_plan_has_no_output_against_plan(org, personas):
    (plant,) = participants(org, personas, org.plant)
    cf.unit_days(org.plant, D(2026, 3, 1), D(2026, 3, 31), 110)
    assert read("production.output_vs_plan", [plant], D(2026, 3, 1), D(2026, 3, 31), D(2026, 4, 1)) == {}


def test_measures_done_count_against_those_planned_in_the_units_subtree(org, personas):
    plant, sibling = participants(org, personas, org.plant, org.sibling)
    w1, w2 = cf.well(org.team), cf.well(org.area2)
    cf.measure(w1, D(2026, 3, 1), done_on=D(2026, 3, 12))
    cf.measure(w1, D(2026, 3, 1))
    cf.measure(w1, D(2026, 2, 1), done_on=D(2026, 3, 2))  # late from February: done in March, planned before
    cf.measure(w2, D(2026, 3, 1), done_on=D(2026, 4, 2))
    found = read("production.measures_done", [plant, sibling], D(2026, 3, 1), D(2026, 3, 31), D(2026, 5, 1))
    assert found == {plant.pk: Reading(2, 2), sibling.pk: Reading(0, 1)}


def test_measures_of_a_project_group_are_its_own(org, personas):
    well = cf.well(org.team)
    g1, g2 = cf.group(org.area), cf.group(org.area)
    p1, p2 = participants(org, personas, g1, g2, kind="groups")
    cf.measure(well, D(2026, 3, 1), done_on=D(2026, 3, 5), group_=g1)
    found = read("production.measures_done", [p1, p2], D(2026, 3, 1), D(2026, 3, 31), D(2026, 5, 1))
    assert found == {p1.pk: Reading(1, 1), p2.pk: Reading(0, None)}


def test_new_well_output_is_the_daily_average_of_this_years_new_wells(org, personas):
    plant, sibling = participants(org, personas, org.plant, org.sibling)
    new, old = cf.well(org.team, D(2026, 2, 10)), cf.well(org.team, D(2019, 5, 1))
    cf.daily(new, D(2026, 3, 1), D(2026, 3, 10), 12)
    cf.daily(old, D(2026, 3, 1), D(2026, 3, 10), 50)
    found = read("production.new_well_output", [plant, sibling], D(2026, 3, 1), D(2026, 3, 31), D(2026, 3, 10))
    assert found == {plant.pk: Reading(pytest.approx(12)), sibling.pk: Reading(0)}


def test_new_well_output_of_a_project_group_counts_its_wells(org, personas):
    new = cf.well(org.team, D(2026, 1, 5))
    group = cf.group(org.area, wells=[new])
    (p,) = participants(org, personas, group, kind="groups")
    cf.daily(new, D(2026, 3, 1), D(2026, 3, 31), 8)
    assert read("production.new_well_output", [p], D(2026, 3, 1), D(2026, 3, 31), D(2026, 4, 30)) == {
        p.pk: Reading(pytest.approx(8))}


@pytest.mark.parametrize("code", ["production.output_vs_plan", "production.oil_output", "production.measures_done",
                                  "production.new_well_output", "production.measure_increment",
                                  "vanguard.problems_solved", "orglife.compliance"])
def test_a_source_costs_the_same_queries_for_two_participants_and_twenty(org, personas, code):
    def queries(units):
        people = participants(org, personas, *units)
        for unit in units:
            cf.plan(unit, 2026, 0, 3650)
            cf.unit_days(unit, D(2026, 3, 1), D(2026, 3, 3), 9)
            cf.measure(cf.well(unit, D(2026, 1, 1)), D(2026, 3, 1), done_on=D(2026, 3, 2))
        with CaptureQueriesContext(connection) as ctx:
            read(code, people, D(2026, 3, 1), D(2026, 3, 31), D(2026, 4, 1))
        return len(ctx.captured_queries)

    few = queries([f.unit(parent=org.plant) for _ in range(2)])
    many = queries([f.unit(parent=org.plant) for _ in range(20)])
    assert few == many


def test_the_registry_lists_sources_by_the_participants_they_measure():
    unit_codes = {s.code for s in sources.for_kind("units")}
    group_codes = {s.code for s in sources.for_kind("groups")}
    assert {"production.output_vs_plan", "production.measures_done", "production.new_well_output"} <= unit_codes
    assert "production.output_vs_plan" not in group_codes and "production.measures_done" in group_codes


def test_incremental_oil_counts_what_measures_added_during_the_period_over_the_baseline(org, personas):
    plant, sibling = participants(org, personas, org.plant, org.sibling)
    well = cf.well(org.team, D(2020, 1, 1))
    cf.daily(well, D(2026, 1, 30), D(2026, 2, 28), 10)  # the 30 days before: a baseline of 10 t a day
    cf.daily(well, D(2026, 3, 1), D(2026, 4, 30), 15)
    cf.measure(well, D(2026, 3, 1), done_on=D(2026, 2, 28))
    march = read("production.measure_increment", [plant, sibling], D(2026, 3, 1), D(2026, 3, 31), D(2026, 6, 1))
    assert march == {plant.pk: Reading(pytest.approx(31 * 5)), sibling.pk: Reading(0)}
    april_to_date = read("production.measure_increment", [plant], D(2026, 4, 1), D(2026, 4, 30), D(2026, 4, 10))
    assert april_to_date == {plant.pk: Reading(pytest.approx(10 * 5))}


def test_problems_solved_are_counted_in_the_units_subtree_by_their_day_solved(org, personas):
    from ronghe.vanguard.models import Problem

    plant, sibling = participants(org, personas, org.plant, org.sibling)
    for unit, solved_on, status in ((org.team, D(2026, 3, 3), "solved"), (org.area, D(2026, 3, 20), "verified"),
                                    (org.area, D(2026, 4, 2), "solved"), (org.area2, None, "tackling")):
        Problem.objects.create(title="抽油机频繁停机", unit=unit, raised_by=org.worker, raised_on=D(2026, 2, 1),
                               category="equipment", status=status, solved_on=solved_on, solution="更换电机")
    found = read("vanguard.problems_solved", [plant, sibling], D(2026, 3, 1), D(2026, 3, 31), D(2026, 5, 1))
    assert found == {plant.pk: Reading(2), sibling.pk: Reading(0)}


def test_orglife_compliance_is_the_share_of_requirements_held_on_time_in_the_period(org, personas):
    from ronghe.orglife.models import Record

    plant, sibling = participants(org, personas, org.plant, org.sibling)
    for party_org, kind, day in ((org.branch, "general_meeting", D(2026, 2, 10)), (org.branch, "lesson", D(2026, 3, 5)),
                                 (org.group, "group_meeting", D(2026, 1, 10)),
                                 (org.group, "group_meeting", D(2026, 2, 10)),
                                 (org.sib_branch, "lesson", D(2026, 1, 20))):
        Record.objects.create(party_org=party_org, kind=kind, held_on=day, topic="学习")
    quarter = read("orglife.compliance", [plant, sibling], D(2026, 1, 1), D(2026, 3, 31), D(2026, 4, 10))
    assert quarter == {plant.pk: Reading(pytest.approx(80)), sibling.pk: Reading(pytest.approx(50))}
    january = read("orglife.compliance", [plant, sibling], D(2026, 1, 1), D(2026, 1, 31), D(2026, 4, 10))
    assert january == {plant.pk: Reading(pytest.approx(100))}


def test_problems_solved_by_a_carrier_are_those_it_tackled(org, personas):
    from ronghe.vanguard.models import Problem

    posts = [cf.carrier(org.team, org.group), cf.carrier(org.area, org.branch)]
    first, second = participants(org, personas, *posts, kind="carriers")
    for carrier, solved_on in ((posts[0], D(2026, 3, 3)), (posts[0], D(2026, 3, 9)), (None, D(2026, 3, 9))):
        Problem.objects.create(title="集输管线结蜡", unit=org.team, carrier=carrier, raised_by=org.worker,
                               raised_on=D(2026, 2, 1), category="process", status="solved", solved_on=solved_on,
                               solution="热洗清蜡")
    found = read("vanguard.problems_solved", [first, second], D(2026, 3, 1), D(2026, 3, 31), D(2026, 4, 1))
    assert found == {first.pk: Reading(2), second.pk: Reading(0)}
