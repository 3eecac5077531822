"""The reads benchmark's yardstick (bench/reads_by_hand.py: hand-written SQL and the same pure
rules, bare and served as endpoints) gives what the API answers, figure by figure, and the
checks catch a figure that differs: the benchmark's ratios compare computations of the same
result."""
import datetime as dt

import pytest
from bench import bench_production_reads as bench
from bench import reads_by_hand

from ronghe.production.models import UnitDay
from tests.api.support import ApiClient, token_for
from tests.production import factories as pf

D = dt.date
AS_OF = D(2026, 3, 20)


@pytest.fixture
def field(org, personas):
    """Wells under two plants (one with monthly plans, one with an annual plan only, one unit
    without any), with a gap in the reports, and the totals the importer keeps."""
    for unit, size in ((org.team, 1.0), (org.area, 0.5), (org.area2, 2.0)):
        for n in range(3):
            well = pf.well(unit)
            values = [size * (10 + n + (i % 7) + i / 20) for i in range(500)]
            values[300:304] = [None] * 4
            pf.daily(well, D(2025, 1, 1), values)
    pf.rebuild_unit_days()
    pf.plan(org.hq, 2026, oil_plan_t=100_000, profit_plan=900)
    pf.plan(org.plant, 2026, oil_plan_t=30_000, profit_plan=300)
    for month in (1, 2, 3):
        pf.plan(org.plant, 2026, month, oil_plan_t=2_400, profit_plan=25, profit_actual=27 + month)
    pf.plan(org.sibling, 2026, oil_plan_t=25_000)
    return ApiClient(token_for(personas.superuser))


@pytest.mark.parametrize("code", ["HQ", "CY1"])
def test_the_dashboard_equals_the_yardstick(field, code):
    answer = field.get("production/dashboard", unit=code, as_of=AS_OF.isoformat())
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert len(body["curve"]["dates"]) == 79 and body["ranking"]
    bench.check_dashboard(body, reads_by_hand.sql_dashboard(code, AS_OF))


@pytest.mark.parametrize("code", ["HQ", "CY1", "CY2-A1"])
def test_the_steps_equal_the_yardstick(field, code):
    base_date = D(2025, 2, 15)
    answer = field.get("production/steps", unit=code, base_date=base_date.isoformat(), as_of=AS_OF.isoformat())
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["steps"], body
    bench.check_steps(body, reads_by_hand.sql_steps(code, base_date, AS_OF))


def test_the_check_names_a_figure_that_differs(field, org):
    body = field.get("production/dashboard", unit="HQ", as_of=AS_OF.isoformat()).json()
    UnitDay.objects.filter(unit=org.hq, date=D(2026, 3, 2)).update(oil_t=0.0)
    with pytest.raises(AssertionError, match="figures.ytd_actual_t"):
        bench.check_dashboard(body, reads_by_hand.sql_dashboard("HQ", AS_OF))
    steps = field.get("production/steps", unit="CY1", base_date="2025-02-15", as_of=AS_OF.isoformat()).json()
    with pytest.raises(AssertionError, match="steps"):
        bench.check_steps({**steps, "steps": steps["steps"][1:]}, reads_by_hand.sql_steps("CY1", D(2025, 2, 15), AS_OF))


@pytest.fixture
def by_hand(field, settings):
    settings.ROOT_URLCONF = "bench.reads_by_hand"
    return field


@pytest.mark.parametrize(("kind", "code", "query"), [
    ("dashboard", "HQ", {"as_of": AS_OF.isoformat()}),
    ("dashboard", "CY1", {"as_of": AS_OF.isoformat()}),
    ("steps", "HQ", {"base_date": "2025-02-15", "as_of": AS_OF.isoformat()}),
    ("steps", "CY2-A1", {"base_date": "2025-02-15", "as_of": AS_OF.isoformat()}),
])
def test_the_endpoints_written_by_hand_answer_what_the_api_answers(by_hand, kind, code, query):
    api = by_hand.get(f"production/{kind}", unit=code, **query)
    hand = by_hand.get(f"/api/by-hand/production/{kind}", unit=code, **query)
    assert api.status_code == hand.status_code == 200, (api.content, hand.content)
    bench.same_json(api.json(), hand.json())


def test_the_endpoints_written_by_hand_serve_a_superuser_only(by_hand, personas):
    viewer = ApiClient(token_for(personas.viewer))
    assert viewer.get("/api/by-hand/production/steps", unit="HQ", base_date="2025-02-15",
                      as_of=AS_OF.isoformat()).status_code == 403
    assert by_hand.get("/api/by-hand/production/steps", unit="NOPE", base_date="2025-02-15",
                       as_of=AS_OF.isoformat()).status_code == 404


def test_the_answers_check_names_a_member_that_differs(by_hand):
    body = by_hand.get("production/dashboard", unit="HQ", as_of=AS_OF.isoformat()).json()
    changed = {**body, "ranking": [{**body["ranking"][0], "rank": 9}, *body["ranking"][1:]]}
    with pytest.raises(AssertionError, match=r"answer.ranking\[0\].rank"):
        bench.same_json(body, changed)
