"""Properties of the compliance engine over generated organisations, meetings and dates."""
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from ronghe.orglife.rules import DUE, Frequency, Meeting, Org, Rule, Status, evaluate, rates

YEAR = 2026
RULES = [
    Rule(1, "branch", "general_meeting", Frequency.QUARTER),
    Rule(2, "branch", "lesson", Frequency.QUARTER),
    Rule(3, "branch", "committee", Frequency.MONTH, exempt_below_members=7),
    Rule(4, "group", "group_meeting", Frequency.MONTH),
    Rule(5, "branch", "theme_day", Frequency.MONTH, min_count=2),
]
KINDS = ["general_meeting", "lesson", "committee", "group_meeting", "theme_day"]
# Worse to better; a requirement only ever moves right when a meeting is added.
RANK = {Status.MISSING: 0, Status.PENDING: 1, Status.FUTURE: 1, Status.LATE: 2, Status.HELD: 3,
        Status.EXEMPT: 4, Status.INACTIVE: 4}

days = st.dates(min_value=dt.date(YEAR - 1, 10, 1), max_value=dt.date(YEAR + 1, 3, 31))
orgs = st.lists(st.builds(Org, id=st.integers(1, 4), kind=st.sampled_from(["branch", "group", "committee"]),
                          members=st.integers(0, 30),
                          established_on=st.none() | days, abolished_on=st.none() | days),
                min_size=1, max_size=4, unique_by=lambda o: o.id)


@st.composite
def meeting(draw):
    held = draw(days)
    makeup = draw(st.none() | st.dates(min_value=held - dt.timedelta(days=200), max_value=held))
    return Meeting(draw(st.integers(1, 4)), draw(st.sampled_from(KINDS)), held, makeup)


meetings = st.lists(meeting(), max_size=25)


def by_key(cells):
    return {(c.org_id, c.rule_id, c.period.key): c for c in cells}


@settings(max_examples=150, deadline=None)
@given(orgs, meetings, meeting(), days)
def test_holding_a_meeting_never_makes_a_requirement_worse(orgs_, meetings_, extra, as_of):
    before = by_key(evaluate(orgs_, RULES, meetings_, YEAR, as_of))
    after = by_key(evaluate(orgs_, RULES, [*meetings_, extra], YEAR, as_of))
    assert before.keys() == after.keys()
    for key, cell in before.items():
        assert RANK[after[key].status] >= RANK[cell.status], (key, cell.status, after[key].status)


@settings(max_examples=150, deadline=None)
@given(orgs, meetings, days, st.integers(1, 200))
def test_time_passing_without_meetings_never_makes_a_requirement_better(orgs_, meetings_, as_of, later_by):
    """Looking later with only the meetings known on the first date: pending turns missing,
    nothing turns green."""
    known = [m for m in meetings_ if m.held_on <= as_of]
    earlier = by_key(evaluate(orgs_, RULES, known, YEAR, as_of))
    later = by_key(evaluate(orgs_, RULES, known, YEAR, as_of + dt.timedelta(days=later_by)))
    for key, cell in earlier.items():
        if cell.status in (Status.HELD, Status.LATE, Status.MISSING, Status.EXEMPT, Status.INACTIVE):
            assert later[key].status == cell.status, key
        else:
            assert later[key].status in (Status.PENDING, Status.FUTURE, Status.MISSING), key


@settings(max_examples=150, deadline=None)
@given(orgs, meetings, days)
def test_meetings_after_as_of_change_nothing(orgs_, meetings_, as_of):
    known = [m for m in meetings_ if m.held_on <= as_of]
    assert evaluate(orgs_, RULES, meetings_, YEAR, as_of) == evaluate(orgs_, RULES, known, YEAR, as_of)


@settings(max_examples=150, deadline=None)
@given(orgs, meetings, days)
def test_a_requirement_is_missing_only_after_its_period_and_exempt_ones_never(orgs_, meetings_, as_of):
    members = {o.id: o.members for o in orgs_}
    for cell in evaluate(orgs_, RULES, meetings_, YEAR, as_of):
        if cell.status in (Status.MISSING, Status.LATE):
            assert cell.period.end < as_of
        if cell.status == Status.PENDING:
            assert cell.period.start <= as_of <= cell.period.end
        if cell.rule_id == 3 and members[cell.org_id] < 7:
            assert cell.status in (Status.EXEMPT, Status.INACTIVE)


@settings(max_examples=150, deadline=None)
@given(orgs, meetings, days)
def test_each_meeting_counts_for_one_period_only(orgs_, meetings_, as_of):
    cells = evaluate(orgs_, RULES, meetings_, YEAR, as_of)
    for org in orgs_:
        for rule in RULES:
            mine = [c for c in cells if c.org_id == org.id and c.rule_id == rule.id]
            counted = sum(c.held + c.made_up for c in mine if c.status not in (Status.EXEMPT, Status.INACTIVE))
            relevant = [m for m in meetings_ if m.org_id == org.id and m.kind == rule.meeting_kind
                        and m.held_on <= as_of]
            assert counted <= len(relevant)


@settings(max_examples=100, deadline=None)
@given(orgs, meetings, days)
def test_rates_lie_between_zero_and_one_and_compliance_never_exceeds_completion(orgs_, meetings_, as_of):
    r = rates(evaluate(orgs_, RULES, meetings_, YEAR, as_of))
    assert r.due == sum(r.counts[s] for s in DUE)
    if r.due:
        assert 0 <= r.compliance_rate <= r.completion_rate <= 1
    else:
        assert r.compliance_rate is None and r.completion_rate is None
