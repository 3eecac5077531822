"""The coordination API: raising, each step, scope, statistics, and flat query counts."""
import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ronghe.coordination import services
from tests.api.support import ApiClient, token_for

D = dt.date


def api(user):
    return ApiClient(token_for(user))


def ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


def test_a_request_is_raised_answered_and_closed_through_the_api(coord, org):
    raiser, answerer = api(coord.raiser), api(coord.dept_admin)
    body = ok(raiser.post("coordination", {"title": "新井用地", "description": "请协调用地。", "from_unit": "CY1",
                                                "to_unit": "HQ-ZZB", "category": "policy", "on": "2026-06-22"}), 201)
    assert body["number"] == "XT2026-0001" and body["answer_due"] == "2026-06-29" and body["state"] == "open"
    assert [e["kind"] for e in body["events"]] == ["raised"]
    pk = body["id"]
    assert ok(raiser.get(f"coordination/{pk}"))["overdue"] is True
    answered = ok(answerer.post(f"coordination/{pk}/answer", {"answer": "同意，7月办结。"}))
    assert answered["state"] == "answered" and answered["answered_by_unit"] == "HQ-ZZB"
    assert answered["answered_on_time"] is False
    closed = ok(raiser.post(f"coordination/{pk}/close", {"note": "满意"}))
    assert closed["state"] == "closed" and closed["closed_on"] == "2026-06-30"


def test_the_raising_side_cannot_answer_and_outsiders_get_404(coord, personas, raise_one):
    pk = raise_one().pk
    assert api(coord.raiser).post(f"coordination/{pk}/answer", {"answer": "x"}).status_code == 404
    assert api(personas.outsider).get(f"coordination/{pk}").status_code == 404
    assert api(personas.secretary).post(f"coordination/{pk}/answer", {"answer": "x"}).status_code == 404


def test_errors_name_the_field(coord):
    client = api(coord.raiser)
    response = client.post("coordination", {"title": "x", "description": "y", "from_unit": "CY1",
                                                 "to_unit": "NOPE"})
    assert response.status_code == 422 and "to_unit" in response.json()["details"]
    response = client.post("coordination", {"title": "x", "description": "y", "from_unit": "CY2",
                                                 "to_unit": "HQ-ZZB"})
    assert response.status_code == 422 and "from_unit" in response.json()["details"]


def test_forward_reopen_escalate_and_edit(coord, org, raise_one, personas):
    pk = raise_one(on=D(2026, 6, 15)).pk
    raiser = api(coord.raiser)
    edited = ok(raiser.patch(f"coordination/{pk}", {"title": "新井用地（补充）", "to_person": coord.dept_head.person.employee_no}))
    assert edited["title"] == "新井用地（补充）" and edited["to_person"] == coord.dept_head.person.employee_no
    escalated = ok(raiser.post(f"coordination/{pk}/escalate", {"note": "超期"}))
    assert escalated["state"] == "escalated" and escalated["handling_unit"] == "HQ" and escalated["escalation_level"] == 1
    forwarded = ok(api(personas.superuser).post(f"coordination/{pk}/forward", {"to_unit": "CY2"}))
    assert forwarded["handling_unit"] == "CY2" and forwarded["forwarded_to"] == "CY2"
    ok(api(personas.superuser).post(f"coordination/{pk}/answer", {"answer": "二厂支持。"}))
    reopened = ok(raiser.post(f"coordination/{pk}/reopen", {"reason": "不具体"}))
    assert reopened["state"] == "reopened" and reopened["answer"] == "" and reopened["reopen_count"] == 1
    assert api(coord.raiser).post(f"coordination/{pk}/reopen", {"reason": "x"}).status_code == 422


def test_lists_filter_by_state_and_side(coord, raise_one):
    first, second = raise_one(on=D(2026, 6, 15)), raise_one()
    services.request_answer(actor=coord.dept_admin, request=second, answer="好。")
    client = api(coord.dept_admin)
    assert [r["id"] for r in ok(client.get("coordination", state="overdue"))["items"]] == [first.pk]
    assert [r["id"] for r in ok(client.get("coordination", mine="to_me", state="awaiting"))["items"]] == [first.pk]
    assert ok(api(coord.raiser).get("coordination", mine="raised"))["count"] == 2


def test_statistics_show_all_answered(coord, raise_one):
    for i in range(12):
        request = raise_one(title=f"事项{i}", on=D(2026, 3, 2))
        services.request_answer(actor=coord.dept_admin, request=request, answer="已答复。", on=D(2026, 3, 4))
    body = ok(api(coord.raiser).get("coordination/stats", start="2026-01-01", end="2026-06-30"))
    assert body["total"]["raised"] == body["total"]["answered"] == 12 and body["total"]["all_answered"]
    assert body["total"]["average_answer_days"] == 2.0
    assert body["to_unit"][0]["key"] == "HQ-ZZB" and body["from_unit"][0]["key"] == "CY1"
    assert "12" in body["headline"]
    assert api(coord.raiser).get("coordination/stats", start="nope").status_code == 422


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        body = ok(client.get(path, page_size=500))
    return len(ctx.captured_queries), body["count"]


def test_the_list_costs_the_same_queries_for_10_and_200_rows(coord, raise_one, org):
    from ronghe.coordination.models import Request

    client = api(coord.raiser)
    client.get("me")
    first = raise_one()
    for _ in range(9):
        raise_one()
    small, n_small = _queries(client, "coordination")
    Request.objects.bulk_create([Request(number=f"XT2026-9{i:03d}", title="批量", description="x", from_unit=org.plant,
                                         to_unit=org.dept, handling_unit=org.dept, raised_by=coord.raiser,
                                         raised_by_person=coord.raiser.person, raised_on=first.raised_on,
                                         answer_due=first.answer_due, task=None) for i in range(190)])
    large, n_large = _queries(client, "coordination")
    assert (n_small, n_large) == (10, 200) and small == large
