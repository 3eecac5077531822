"""The pure rules of carriers and the problem ledger: tables of cases from the mechanism, and
properties that hold for any data (Hypothesis)."""
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ronghe.vanguard import rules
from ronghe.vanguard.rules import CLOSED, OPEN, SOLVED, STATUSES, TACKLING, VERIFIED, Period

D = dt.date


# --- the status flow -----------------------------------------------------------------------------

@pytest.mark.parametrize(("status", "steps"), [
    (OPEN, ["start", "solve", "close"]),
    (TACKLING, ["solve", "close"]),
    (SOLVED, ["verify", "reject"]),
    (VERIFIED, []),
    (CLOSED, ["reopen"]),
])
def test_each_status_offers_the_steps_of_the_mechanism(status, steps):
    assert rules.steps_from(status) == steps


@pytest.mark.parametrize(("step", "status", "target"), [
    ("start", OPEN, TACKLING), ("solve", TACKLING, SOLVED), ("solve", OPEN, SOLVED), ("verify", SOLVED, VERIFIED),
    ("reject", SOLVED, TACKLING), ("close", TACKLING, CLOSED), ("reopen", CLOSED, OPEN),
    ("verify", TACKLING, None), ("close", SOLVED, None), ("start", VERIFIED, None), ("solve", CLOSED, None),
])
def test_a_step_leads_where_the_mechanism_says_or_nowhere(step, status, target):
    assert rules.target_of(step, status) == target


def test_a_verified_problem_is_final_and_every_other_status_can_still_reach_verification():
    assert rules.reachable(VERIFIED) == {VERIFIED}
    for status in (OPEN, TACKLING, SOLVED, CLOSED):
        assert VERIFIED in rules.reachable(status)


# --- dates each status needs ---------------------------------------------------------------------

@pytest.mark.parametrize(("dates", "fields"), [
    (rules.ProblemDates(OPEN, D(2026, 1, 5)), set()),
    (rules.ProblemDates(TACKLING, D(2026, 1, 5)), {"started_on"}),
    (rules.ProblemDates(SOLVED, D(2026, 1, 5), D(2026, 1, 6)), {"solved_on"}),
    (rules.ProblemDates(SOLVED, D(2026, 1, 5), D(2026, 1, 6), D(2026, 2, 1)), set()),
    (rules.ProblemDates(SOLVED, D(2026, 1, 5), None, D(2026, 1, 4)), {"solved_on"}),
    (rules.ProblemDates(VERIFIED, D(2026, 1, 5), None, D(2026, 2, 1)), {"verified_on"}),
    (rules.ProblemDates(VERIFIED, D(2026, 1, 5), None, D(2026, 2, 1), D(2026, 1, 31)), {"verified_on"}),
    (rules.ProblemDates(OPEN, D(2026, 1, 5), solved_on=D(2026, 2, 1)), {"solved_on"}),
    (rules.ProblemDates(CLOSED, D(2026, 1, 5)), {"closed_on"}),
    (rules.ProblemDates(CLOSED, D(2026, 1, 5), D(2026, 1, 9), closed_on=D(2026, 1, 8)), {"closed_on"}),
    (rules.ProblemDates(TACKLING, D(2026, 1, 5), D(2026, 1, 4)), {"started_on"}),
])
def test_a_status_needs_its_dates_in_order(dates, fields):
    assert set(rules.problem_date_errors(dates)) == fields


# --- periods -------------------------------------------------------------------------------------

def test_the_halves_and_quarters_of_a_year():
    assert rules.half(2026, 1) == Period(D(2026, 1, 1), D(2026, 6, 30))
    assert rules.half(2026, 2) == Period(D(2026, 7, 1), D(2026, 12, 31))
    assert rules.quarter(2026, 1) == Period(D(2026, 1, 1), D(2026, 3, 31))
    assert rules.quarter(2026, 4) == Period(D(2026, 10, 1), D(2026, 12, 31))
    assert rules.month_starts(Period(D(2026, 1, 15), D(2026, 3, 2))) == [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)]


# --- problem figures -----------------------------------------------------------------------------

def fact(pk, status, raised, solved=None, verified=None, closed=None, category="technical", carrier=None, unit=1,
         oil=0, gas=0, cost=0):
    return rules.ProblemFacts(pk, status, category, carrier, unit, raised, solved, verified, closed, Decimal(oil),
                              Decimal(gas), Decimal(cost))


H1 = rules.half(2026, 1)


def test_problems_solved_in_the_first_half_count_with_their_benefit():
    rows = [
        fact(1, SOLVED, D(2025, 11, 3), D(2026, 2, 1), oil=12.5, gas=800, cost=30000),
        fact(2, VERIFIED, D(2026, 1, 5), D(2026, 6, 30), D(2026, 7, 3), oil=3, cost=1000, category="equipment",
             carrier=7),
        fact(3, VERIFIED, D(2026, 2, 5), D(2026, 7, 1), D(2026, 7, 10), oil=100),  # solved in the second half
        fact(4, TACKLING, D(2026, 3, 1)),
        fact(5, CLOSED, D(2026, 1, 2), closed=D(2026, 4, 1)),
        fact(6, OPEN, D(2026, 8, 1)),
    ]
    summary = rules.problem_summary(rows, H1)
    assert (summary.total.raised, summary.total.solved, summary.total.verified, summary.total.closed) == (4, 2, 0, 1)
    assert summary.total.oil_t == Decimal("15.5") and summary.total.gas_m3 == 800 and summary.total.cost_saved == 31000
    assert summary.by_category["equipment"].solved == 1
    assert summary.by_carrier[7].solved == 1 and summary.by_carrier[None].solved == 1
    # Still open or being tackled on 30 June: 3 (raised in February, solved in July) and 4.
    assert summary.open_at_end == 2
    assert [m["solved"] for m in summary.monthly] == [0, 1, 0, 0, 0, 1]


def test_a_rejected_solution_no_longer_counts_as_solved():
    rows = [fact(1, TACKLING, D(2026, 1, 5))]
    assert rules.problem_summary(rows, H1).total.solved == 0


dates = st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 12, 31))


@st.composite
def problem_facts(draw, pk):
    status = draw(st.sampled_from(STATUSES))
    raised = draw(dates)
    later = st.dates(min_value=raised, max_value=D(2027, 6, 30))
    solved = draw(later) if status in (SOLVED, VERIFIED) else None
    verified = draw(st.dates(min_value=solved, max_value=D(2027, 12, 31))) if status == VERIFIED else None
    closed = draw(later) if status == CLOSED else None
    return fact(pk, status, raised, solved, verified, closed, category=draw(st.sampled_from(["technical", "safety"])),
                carrier=draw(st.sampled_from([None, 1, 2])), oil=draw(st.integers(0, 500)),
                gas=draw(st.integers(0, 10_000)), cost=draw(st.integers(0, 100_000)))


ledgers = st.integers(0, 30).flatmap(lambda n: st.tuples(*[problem_facts(pk) for pk in range(n)]))


@settings(max_examples=60, deadline=None)
@given(ledgers, dates, dates, dates)
def test_figures_of_two_adjoining_periods_add_up_to_those_of_both(rows, a, b, c):
    start, middle, end = sorted([a, b, c])
    if middle == end:
        return
    first, second = Period(start, middle), Period(middle + dt.timedelta(days=1), end)
    whole = rules.problem_summary(rows, Period(start, end)).total
    one, two = rules.problem_summary(rows, first).total, rules.problem_summary(rows, second).total
    for name in ("raised", "solved", "verified", "closed", "oil_t", "gas_m3", "cost_saved"):
        assert getattr(whole, name) == getattr(one, name) + getattr(two, name), name


@settings(max_examples=60, deadline=None)
@given(ledgers, dates, dates)
def test_the_groups_of_a_period_add_up_to_its_total_and_months_too(rows, a, b):
    period = Period(min(a, b), max(a, b))
    summary = rules.problem_summary(rows, period)
    for groups in (summary.by_category, summary.by_carrier, summary.by_unit):
        for name in ("raised", "solved", "verified", "closed", "cost_saved"):
            assert sum(getattr(g, name) for g in groups.values()) == getattr(summary.total, name)
    for name in ("raised", "solved", "verified", "closed"):
        assert sum(m[name] for m in summary.monthly) == getattr(summary.total, name)
    assert summary.total.verified <= sum(1 for p in rows if p.status == VERIFIED)


# --- carrier figures -----------------------------------------------------------------------------

EPOCH = D(2024, 1, 1)


def carrier(pk, kind="post", production=True, established=EPOCH, retired=None, members=(), lead=None,
            category="production"):
    return rules.CarrierFacts(pk, kind, category, production, established, retired, frozenset(members), lead)


def test_carriers_standing_at_the_end_of_the_period_are_counted_and_flagged():
    rows = [
        carrier(1, members={10, 11}, lead=10),
        carrier(2, kind="zone", production=False, members={11, 12}),  # no lead
        carrier(3, kind="project", established=D(2026, 3, 1)),  # no members
        carrier(4, retired=D(2026, 5, 1), members={13}, lead=13),  # retired before the end
        carrier(5, established=D(2026, 7, 2), members={14}, lead=14),  # established after it
    ]
    summary = rules.carrier_summary(rows, H1, party_member_ids=[10, 11, 12, 13, 14, 15, 16, 17])
    assert summary.total == 3
    assert summary.by_kind == {"post": 1, "zone": 1, "project": 1}
    assert summary.production_related == 2 and summary.production_share == round(2 / 3, 4)
    assert summary.established_in_period == 1
    assert (summary.members_covered, summary.party_members) == (3, 8) and summary.coverage == 0.375
    assert summary.without_members == [3] and summary.without_lead == [2]


def test_no_carrier_and_no_member_give_no_share_rather_than_zero():
    summary = rules.carrier_summary([], H1, [])
    assert summary.production_share is None and summary.coverage is None


carrier_rows = st.lists(st.builds(
    carrier, st.integers(1, 10_000), st.sampled_from(["post", "zone", "project"]), st.booleans(), dates,
    st.one_of(st.none(), dates), st.frozensets(st.integers(1, 40), max_size=5)), max_size=30, unique_by=lambda c: c.id)


@settings(max_examples=60, deadline=None)
@given(carrier_rows, st.frozensets(st.integers(1, 60)), dates)
def test_coverage_never_exceeds_the_whole_and_kinds_add_up(rows, members, day):
    summary = rules.carrier_summary(rows, Period(D(2025, 1, 1), max(day, D(2025, 1, 1))), members)
    assert 0 <= summary.members_covered <= summary.party_members
    assert sum(summary.by_kind.values()) == summary.total == sum(summary.by_category.values())
    assert summary.production_related <= summary.total
    assert set(summary.without_members).isdisjoint(summary.without_lead)
