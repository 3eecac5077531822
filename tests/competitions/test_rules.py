"""The scoring engine by tables of cases from the way labour competitions are scored."""
import datetime as dt

import pytest

from ronghe.competitions.rules import (
    Adjustment,
    Cadence,
    IndicatorSpec,
    Normalisation,
    Period,
    Reading,
    indicator_points,
    period_of,
    periods,
    rank_changes,
    score,
)

D = dt.date
RATIO, RANK, MIN_MAX = Normalisation.RATIO, Normalisation.RANK, Normalisation.MIN_MAX


def points(spec, values, plans=None):
    plans = plans or {}
    return {p: round(v, 4) for p, v in indicator_points(
        spec, {p: Reading(v, plans.get(p)) for p, v in values.items()}).items()}


@pytest.mark.parametrize(("spec", "values", "plans", "expected"), [
    # ratio to plan: reading ÷ plan, capped; the indicator's target stands in for a missing plan
    (IndicatorSpec("o", 40, RATIO), {"a": 110, "b": 90}, {"a": 100, "b": 100}, {"a": 110, "b": 90}),
    (IndicatorSpec("o", 40, RATIO), {"a": 150}, {"a": 100}, {"a": 120}),
    (IndicatorSpec("o", 40, RATIO, ratio_cap=1.5), {"a": 150}, {"a": 100}, {"a": 150}),
    (IndicatorSpec("o", 40, RATIO, target=100), {"a": 102.5}, {}, {"a": 102.5}),
    (IndicatorSpec("o", 40, RATIO), {"a": 102.5}, {}, {"a": 0}),
    (IndicatorSpec("o", 40, RATIO, target=100), {"a": 50}, {"a": 0}, {"a": 0}),
    # lower is better (cost, accidents): plan ÷ reading
    (IndicatorSpec("c", 10, RATIO, higher_is_better=False), {"a": 80, "b": 125}, {"a": 100, "b": 100},
     {"a": 120, "b": 80}),
    (IndicatorSpec("c", 10, RATIO, higher_is_better=False, target=5), {"a": 0}, {}, {"a": 120}),
    # rank points: best 100, worst 0, evenly spaced, ties share the better rank's points
    (IndicatorSpec("r", 30, RANK), {"a": 9, "b": 7, "c": 5}, {}, {"a": 100, "b": 50, "c": 0}),
    (IndicatorSpec("r", 30, RANK), {"a": 9, "b": 9, "c": 5}, {}, {"a": 100, "b": 100, "c": 0}),
    (IndicatorSpec("r", 30, RANK), {"a": 9, "b": 5, "c": 5, "d": 1}, {}, {"a": 100, "b": 66.6667, "c": 66.6667,
                                                                          "d": 0}),
    (IndicatorSpec("r", 30, RANK, higher_is_better=False), {"a": 9, "b": 7, "c": 5}, {}, {"a": 0, "b": 50, "c": 100}),
    (IndicatorSpec("r", 30, RANK), {"a": 3}, {}, {"a": 100}),
    # min–max: (reading − worst) ÷ (best − worst)
    (IndicatorSpec("m", 30, MIN_MAX), {"a": 20, "b": 15, "c": 10}, {}, {"a": 100, "b": 50, "c": 0}),
    (IndicatorSpec("m", 30, MIN_MAX), {"a": 4, "b": 4}, {}, {"a": 100, "b": 100}),
    (IndicatorSpec("m", 30, MIN_MAX, higher_is_better=False), {"a": 20, "b": 12, "c": 10}, {},
     {"a": 0, "b": 80, "c": 100}),
])
def test_each_normalisation_turns_readings_into_points(spec, values, plans, expected):
    assert points(spec, values, plans) == expected


OUTPUT = IndicatorSpec("output", 60, RATIO, target=100)
MEASURES = IndicatorSpec("measures", 40, RANK)


def test_the_total_is_the_weighted_sum_of_the_points_plus_bonuses_and_deductions():
    readings = {("output", "a"): Reading(105), ("output", "b"): Reading(98), ("measures", "a"): Reading(12),
                ("measures", "b"): Reading(15)}
    adjustments = [Adjustment("b", 2, "安全生产无事故"), Adjustment("a", -1.5, "报表迟报")]
    standings = score(["a", "b"], [OUTPUT, MEASURES], readings, adjustments)
    by = {s.participant: s for s in standings}
    assert by["a"].base == pytest.approx(63) and by["a"].adjustment == -1.5 and by["a"].total == pytest.approx(61.5)
    assert by["b"].base == pytest.approx(98.8) and by["b"].total == pytest.approx(100.8)
    assert [s.participant for s in standings] == ["b", "a"] and [s.rank for s in standings] == [1, 2]
    assert [a.reason for a in by["b"].adjustments] == ["安全生产无事故"]
    line = by["a"].lines[0]
    assert (line.indicator, line.value, line.points, line.score, line.missing) == ("output", 105, 105, 63, False)


def test_a_participant_without_a_reading_scores_nothing_on_that_indicator():
    readings = {("output", "a"): Reading(100), ("measures", "a"): Reading(3), ("measures", "b"): Reading(5)}
    by = {s.participant: s for s in score(["a", "b"], [OUTPUT, MEASURES], readings)}
    assert by["b"].lines[0].missing and by["b"].lines[0].points == 0 and by["b"].total == 40
    assert by["a"].total == 60


def test_a_tie_is_broken_by_the_stated_indicator():
    readings = {("output", "a"): Reading(110), ("output", "b"): Reading(100), ("measures", "a"): Reading(3),
                ("measures", "b"): Reading(5)}
    spec = [OUTPUT, IndicatorSpec("measures", 6, RANK)]
    assert [s.total for s in score(["a", "b"], spec, readings)] == [66, 66]
    assert [s.rank for s in score(["a", "b"], spec, readings)] == [1, 1]
    by_measures = score(["a", "b"], spec, readings, tie_breaker="measures")
    assert [(s.participant, s.rank, s.tie_value) for s in by_measures] == [("b", 1, 5), ("a", 2, 3)]
    by_output = score(["a", "b"], spec, readings, tie_breaker="output")
    assert [(s.participant, s.rank) for s in by_output] == [("a", 1), ("b", 2)]


def test_tie_break_by_a_lower_is_better_indicator_prefers_the_lower_reading():
    cost = IndicatorSpec("cost", 0.01, RATIO, higher_is_better=False, target=1e9)
    readings = {("output", "a"): Reading(100), ("output", "b"): Reading(100), ("cost", "a"): Reading(5e12),
                ("cost", "b"): Reading(9e12)}
    standings = score(["a", "b"], [OUTPUT, cost], readings, tie_breaker="cost")
    assert [(s.participant, s.rank) for s in standings] == [("a", 1), ("b", 2)]


def test_those_still_level_share_a_rank_and_the_next_rank_is_skipped():
    readings = {("output", p): Reading(v) for p, v in {"a": 110, "b": 100, "c": 100, "d": 90}.items()}
    standings = score(["a", "b", "c", "d"], [OUTPUT], readings)
    assert [s.rank for s in standings] == [1, 2, 2, 4]


def test_adjustments_of_others_are_ignored():
    standings = score(["a"], [OUTPUT], {("output", "a"): Reading(100)}, [Adjustment("z", 5, "不参赛")])
    assert standings[0].total == 60 and standings[0].adjustments == ()


def test_rank_changes_count_places_gained_since_the_previous_period():
    assert rank_changes({"a": 1, "b": 2, "c": 3}, {"a": 3, "b": 2}) == {"a": 2, "b": 0, "c": None}
    assert rank_changes({"a": 3}, {"a": 1}) == {"a": -2}


@pytest.mark.parametrize(("start", "end", "cadence", "expected"), [
    (D(2026, 1, 1), D(2026, 3, 31), Cadence.MONTHLY,
     [(D(2026, 1, 1), D(2026, 1, 31)), (D(2026, 2, 1), D(2026, 2, 28)), (D(2026, 3, 1), D(2026, 3, 31))]),
    (D(2026, 1, 15), D(2026, 3, 10), Cadence.MONTHLY,
     [(D(2026, 1, 15), D(2026, 1, 31)), (D(2026, 2, 1), D(2026, 2, 28)), (D(2026, 3, 1), D(2026, 3, 10))]),
    (D(2026, 1, 1), D(2026, 12, 31), Cadence.QUARTERLY,
     [(D(2026, 1, 1), D(2026, 3, 31)), (D(2026, 4, 1), D(2026, 6, 30)), (D(2026, 7, 1), D(2026, 9, 30)),
      (D(2026, 10, 1), D(2026, 12, 31))]),
    (D(2026, 5, 20), D(2026, 8, 5), Cadence.QUARTERLY,
     [(D(2026, 5, 20), D(2026, 6, 30)), (D(2026, 7, 1), D(2026, 8, 5))]),
    (D(2025, 12, 1), D(2026, 1, 31), Cadence.MONTHLY,
     [(D(2025, 12, 1), D(2025, 12, 31)), (D(2026, 1, 1), D(2026, 1, 31))]),
    (D(2024, 2, 1), D(2024, 2, 29), Cadence.MONTHLY, [(D(2024, 2, 1), D(2024, 2, 29))]),
])
def test_scoring_periods_are_calendar_months_or_quarters_clipped_to_the_competition(start, end, cadence, expected):
    assert [(p.start, p.end) for p in periods(start, end, cadence)] == expected


def test_a_day_falls_in_its_period_and_a_running_period_is_measured_to_date():
    all_periods = periods(D(2026, 1, 1), D(2026, 6, 30), Cadence.QUARTERLY)
    assert period_of(D(2026, 5, 5), all_periods) == Period(D(2026, 4, 1), D(2026, 6, 30))
    assert period_of(D(2026, 7, 1), all_periods) is None
    assert Period(D(2026, 4, 1), D(2026, 6, 30)).elapsed_end(D(2026, 5, 5)) == D(2026, 5, 5)
    assert Period(D(2026, 4, 1), D(2026, 6, 30)).elapsed_end(D(2026, 8, 1)) == D(2026, 6, 30)
    assert Period(D(2026, 4, 1), D(2026, 6, 30)).elapsed_end(D(2026, 3, 31)) is None
