"""The dashboard and steps endpoints write their answers without validating them against their
response schemas (production.api._json): each answer must be exactly what its schema gives, no
field missing, extra or of another type. And both stay flat in queries."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ronghe.production import schemas as s
from tests import factories as f
from tests.api.support import ApiClient, token_for
from tests.production import factories as pf

D = dt.date
AS_OF = D(2026, 2, 20)


@pytest.fixture
def field(org, personas):
    """Totals of the plant, its sibling and the company with a gap, plans with and without
    monthly figures and actual profit, and a unit without any plan."""
    values = [250.0 + (i % 9) * 40 for i in range(51)]
    values[20:23] = [None] * 3
    for unit, scale in ((org.hq, 3.0), (org.plant, 1.0), (org.area, 0.5), (org.sibling, 2.0)):
        pf.unit_days(unit, D(2026, 1, 1), [v * scale if v else None for v in values])
    pf.plan(org.hq, 2026, oil_plan_t=300_000, profit_plan=2_000)
    pf.plan(org.plant, 2026, oil_plan_t=100_000, profit_plan=900)
    pf.plan(org.plant, 2026, 1, oil_plan_t=8_000, profit_plan=70, profit_actual=75.5)
    pf.plan(org.sibling, 2026, oil_plan_t=150_000)
    return ApiClient(token_for(personas.superuser))


def _as_its_schema_gives(schema, body):
    """`body` as the schema validates and writes it back: equal to `body` only when every field
    is there, none is extra, and each has the schema's type (an int where a float belongs, a
    date that is not one, would all come back changed or raise)."""
    return schema.model_validate(body).model_dump(mode="json")


def _same_with_types(a, b):
    """Equal, and of the same JSON types all the way down (1 == 1.0 == True in Python)."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same_with_types(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_same_with_types, a, b))
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("unit", ["HQ", "CY1", "CY1-A1", None])
def test_the_dashboard_answers_exactly_its_schema(field, personas, unit):
    params = {"as_of": AS_OF.isoformat(), **({"unit": unit} if unit else {})}
    body = field.get("production/dashboard", **params).json()
    assert body["unit"]["code"] == (unit or "HQ") and len(body["curve"]["dates"]) == 51
    assert _same_with_types(body, _as_its_schema_gives(s.DashboardOut, body))
    nobody = ApiClient(token_for(personas.secretary)).get("production/dashboard").json()
    assert nobody["unit"] is None
    assert _same_with_types(nobody, _as_its_schema_gives(s.DashboardOut, nobody))


@pytest.mark.parametrize("unit, base_date", [("HQ", "2026-01-10"), ("CY1", "2026-01-05"), ("CY2", "2025-06-01"),
                                             (None, "2026-01-10")])
def test_the_steps_answer_exactly_their_schema(field, unit, base_date):
    params = {"base_date": base_date, "as_of": AS_OF.isoformat(), "base_days": 5, "average_days": 3,
              **({"unit": unit} if unit else {})}
    answer = field.get("production/steps", **params)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["unit"]["code"] == (unit or "HQ")
    assert _same_with_types(body, _as_its_schema_gives(s.StepsOut, body))
    if unit == "CY2":  # the base date lies before its first day: no base, no steps
        assert (body["base_level_t"], body["steps"]) == (None, [])
    else:
        assert body["steps"] and isinstance(body["steps"][0]["level"], float)


def test_a_field_of_another_type_is_told_apart():
    """The comparison the tests above rest on catches an int written for a float."""
    body = {"k": 1, "level": 300.0, "reached_on": "2026-01-05", "held": None}
    assert _same_with_types(body, _as_its_schema_gives(s.StepOut, body))
    wrong = {**body, "level": 300}
    assert not _same_with_types(wrong, _as_its_schema_gives(s.StepOut, wrong))
    assert not _same_with_types({**body, "extra": 1}, _as_its_schema_gives(s.StepOut, {**body, "extra": 1}))


def _queries(client, path, **params):
    with CaptureQueriesContext(connection) as ctx:
        answer = client.get(path, **params)
    assert answer.status_code == 200, answer.content
    return len(ctx.captured_queries)


def test_the_dashboard_and_steps_cost_a_few_queries_whatever_the_children_and_days(field, org):
    client = field
    client.get("me")  # the token's first use records it; later uses within minutes do not
    dashboard = {"unit": "HQ", "as_of": AS_OF.isoformat()}
    steps = {"unit": "HQ", "base_date": "2026-01-10", "as_of": AS_OF.isoformat()}
    few = _queries(client, "production/dashboard", **dashboard), _queries(client, "production/steps", **steps)
    # The token, then the unit and its children, their sums, their plans, the unit's days; the
    # steps: the token, the unit, its days.
    assert few == (5, 3)
    for n in range(15):
        child = f.unit(parent=org.hq)
        pf.unit_days(child, D(2025, 6, 1), [float(n)] * 300)
        pf.plan(child, 2026, oil_plan_t=1_000)
    pf.unit_days(org.hq, D(2025, 1, 1), [100.0] * 300)
    assert (_queries(client, "production/dashboard", **dashboard), _queries(client, "production/steps", **steps)) == few
