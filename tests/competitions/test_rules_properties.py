"""Properties of the scoring engine over generated competitions."""
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ronghe.competitions.rules import Adjustment, IndicatorSpec, Normalisation, Reading, score

engine = settings(max_examples=300, deadline=None)
PARTICIPANTS = [f"p{i}" for i in range(8)]
values = st.floats(min_value=0, max_value=1000, allow_nan=False).map(lambda v: round(v, 3))


@st.composite
def competitions(draw):
    participants = draw(st.lists(st.sampled_from(PARTICIPANTS), min_size=1, max_size=8, unique=True))
    specs = []
    for i in range(draw(st.integers(1, 4))):
        normalisation = draw(st.sampled_from(list(Normalisation)))
        specs.append(IndicatorSpec(
            f"i{i}", draw(st.floats(min_value=1, max_value=60).map(lambda w: round(w, 2))), normalisation,
            draw(st.booleans()), draw(st.none() | st.floats(min_value=1, max_value=500)),
            draw(st.sampled_from([1.0, 1.2, 1.5]))))
    readings = {}
    for spec in specs:
        for p in participants:
            if draw(st.integers(0, 9)):  # now and then a reading is missing
                readings[(spec.code, p)] = Reading(draw(values), draw(st.none() | st.floats(1, 500)))
    adjustments = [Adjustment(draw(st.sampled_from(participants)), draw(st.sampled_from([-3, -1, 0.5, 2])), "原因")
                   for _ in range(draw(st.integers(0, 3)))]
    tie = draw(st.none() | st.sampled_from([s.code for s in specs]))
    return participants, specs, readings, adjustments, tie


def rank_of(standings, participant):
    return next(s.rank for s in standings if s.participant == participant)


def improved(spec, reading, by):
    """The reading made better by `by` in the indicator's own direction."""
    value = reading.value + by if spec.higher_is_better else max(0.0, reading.value - by)
    return Reading(value, reading.plan)


@engine
@given(competitions(), st.data())
def test_improving_ones_reading_never_costs_a_rank(competition, data):
    participants, specs, readings, adjustments, tie = competition
    key = data.draw(st.sampled_from(sorted(readings))) if readings else None
    assume(key is not None)
    spec = next(s for s in specs if s.code == key[0])
    by = data.draw(st.floats(min_value=0.001, max_value=500))
    before = score(participants, specs, readings, adjustments, tie)
    after = score(participants, specs, {**readings, key: improved(spec, readings[key], by)}, adjustments, tie)
    assert rank_of(after, key[1]) <= rank_of(before, key[1])


@engine
@given(competitions(), st.data())
def test_improving_ones_reading_never_lowers_ones_total_nor_raises_anyone_elses(competition, data):
    participants, specs, readings, adjustments, tie = competition
    assume(readings)
    key = data.draw(st.sampled_from(sorted(readings)))
    spec = next(s for s in specs if s.code == key[0])
    before = {s.participant: s.total for s in score(participants, specs, readings, adjustments, tie)}
    after = {s.participant: s.total for s in score(
        participants, specs, {**readings, key: improved(spec, readings[key], 10)}, adjustments, tie)}
    assert after[key[1]] >= before[key[1]] - 1e-6
    assert all(after[p] <= before[p] + 1e-6 for p in participants if p != key[1])


@engine
@given(competitions())
def test_ranks_follow_totals_start_at_one_and_every_participant_is_ranked_once(competition):
    participants, specs, readings, adjustments, tie = competition
    standings = score(participants, specs, readings, adjustments, tie)
    assert sorted(s.participant for s in standings) == sorted(participants)
    assert standings[0].rank == 1
    for higher, lower in zip(standings, standings[1:], strict=False):
        assert higher.total >= lower.total
        assert lower.rank == higher.rank or lower.rank == standings.index(lower) + 1


@engine
@given(competitions())
def test_points_stay_within_zero_and_the_cap_and_the_total_adds_up(competition):
    participants, specs, readings, adjustments, tie = competition
    caps = {s.code: s.ratio_cap * 100 if s.normalisation == Normalisation.RATIO else 100 for s in specs}
    for standing in score(participants, specs, readings, adjustments, tie):
        for line in standing.lines:
            assert 0 <= line.points <= caps[line.indicator] + 1e-9
        expected = sum(line.score for line in standing.lines) + sum(
            a.points for a in adjustments if a.participant == standing.participant)
        assert abs(standing.total - expected) < 1e-5


@engine
@given(competitions(), st.randoms())
def test_the_order_participants_are_listed_in_changes_no_rank(competition, random):
    participants, specs, readings, adjustments, tie = competition
    shuffled = list(participants)
    random.shuffle(shuffled)
    ranks = {s.participant: s.rank for s in score(participants, specs, readings, adjustments, tie)}
    assert ranks == {s.participant: s.rank for s in score(shuffled, specs, readings, adjustments, tie)}


@engine
@given(competitions())
def test_a_bonus_never_costs_a_rank(competition):
    participants, specs, readings, adjustments, tie = competition
    lucky = participants[0]
    before = score(participants, specs, readings, adjustments, tie)
    after = score(participants, specs, readings, [*adjustments, Adjustment(lucky, 5, "加分")], tie)
    assert rank_of(after, lucky) <= rank_of(before, lucky)
