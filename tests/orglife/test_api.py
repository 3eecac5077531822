"""The 三会一课 API: records with attendance, rules, the compliance matrix, gaps and attendance."""
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from ronghe.core.models import AuditEntry
from ronghe.orglife import services
from ronghe.orglife.models import Record, Rule
from tests import factories as f
from tests.api.support import ApiClient, token_for

D = dt.date


def api(user):
    return ApiClient(token_for(user))


def ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json() if response.content else None


def _body(life, **overrides):
    body = {"party_org": "P-CY1-B1", "kind": "committee", "held_on": "2026-11-03", "topic": "研究发展党员工作",
            "host": life.secretary.employee_no,
            "attendance": [{"person": p.employee_no, "status": "present"} for p in life.members[:5]]
            + [{"person": life.members[5].employee_no, "status": "leave"}]}
    body.update(overrides)
    return body


def test_a_record_is_created_read_listed_edited_and_removed(life):
    client = api(life.personas.plant_admin)
    created = ok(client.post("orglife/records", _body(life)), 201)
    assert created["party_org"] == "P-CY1-B1" and created["host_name"] == "赵书记"
    assert created["attendance_counts"] == {"present": 5, "leave": 1, "absent": 0}
    assert len(created["attendance"]) == 6
    listed = ok(client.get("orglife/records", party_org_subtree="P-CY1", kind="committee"))
    assert [r["id"] for r in listed["items"]] == [created["id"]]
    assert ok(client.get("orglife/records", q="不存在"))["count"] == 0
    patched = ok(client.patch(f"orglife/records/{created['id']}", {
        "topic": "研究年度评议", "attendance": [{"person": life.members[0].employee_no, "status": "absent"}]}))
    assert patched["topic"] == "研究年度评议" and patched["attendance_counts"] == {"present": 0, "leave": 0, "absent": 1}
    assert ok(client.get(f"orglife/records/{created['id']}"))["minutes"] == ""
    ok(client.delete(f"orglife/records/{created['id']}"), 204)
    assert not Record.objects.exists()
    assert set(AuditEntry.objects.filter(action__startswith="orglife.").values_list("action", flat=True)) == {
        "orglife.create", "orglife.update", "orglife.delete"}


def test_service_errors_are_422_naming_the_field(life):
    client = api(life.personas.plant_admin)
    response = client.post("orglife/records", _body(life, kind="lesson"))
    assert response.status_code == 422 and "lecturer" in response.json()["details"]
    response = client.post("orglife/records", _body(life, held_on="2027-01-01"))
    assert response.status_code == 422 and "held_on" in response.json()["details"]
    response = client.post("orglife/records", _body(life, attendance=[{"person": "E999999", "status": "present"}]))
    assert response.status_code == 422 and "attendance.0.person" in response.json()["details"]


def test_what_lies_outside_the_scope_answers_like_what_does_not_exist(life):
    record = services.record_create(actor=life.personas.superuser, party_org=life.org.branch, kind="committee",
                                    held_on=D(2026, 11, 3), topic="一区支委会")
    secretary = api(life.personas.secretary)
    assert secretary.get(f"orglife/records/{record.pk}").status_code == 404
    assert secretary.patch(f"orglife/records/{record.pk}", {"topic": "x"}).status_code == 404
    assert ok(secretary.get("orglife/records"))["count"] == 0
    response = secretary.post("orglife/records", _body(life))
    assert response.status_code == 422 and "party_org" in response.json()["details"]
    assert api(life.personas.viewer).post("orglife/records", _body(life)).status_code == 403


def test_a_photo_is_uploaded_and_served_to_those_who_see_the_record(life, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    record = services.record_create(actor=life.personas.superuser, party_org=life.org.branch, kind="committee",
                                    held_on=D(2026, 11, 3), topic="一区支委会")
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    buffer.name = "scene.png"
    buffer.seek(0)
    key = token_for(life.personas.plant_admin)
    response = client.post(f"/api/v1/orglife/records/{record.pk}/photos", {"image": buffer, "caption": "现场"},
                           headers={"Authorization": f"Bearer {key}"})
    photo = ok(response, 201)
    client.force_login(life.personas.plant_admin)
    assert client.get(photo["url"]).status_code == 200
    client.force_login(life.personas.secretary)
    assert client.get(photo["url"]).status_code == 404
    plant = api(life.personas.plant_admin)
    assert ok(plant.get(f"orglife/records/{record.pk}"))["photos"][0]["caption"] == "现场"
    ok(plant.delete(f"orglife/records/{record.pk}/photos/{photo['id']}"), 204)


def test_rules_are_read_by_all_and_changed_by_the_system_administrator(life):
    rule = Rule.objects.get(org_kind="branch", meeting_kind="committee")
    assert len(ok(api(life.personas.outsider).get("orglife/rules"))) == 4
    assert api(life.personas.plant_admin).patch(f"orglife/rules/{rule.pk}", {"min_count": 2}).status_code == 403
    changed = ok(api(life.personas.superuser).patch(f"orglife/rules/{rule.pk}", {"exempt_below_members": 0,
                                                                                  "min_count": 2}))
    assert changed["exempt_below_members"] is None and changed["min_count"] == 2


@pytest.fixture
def gap(life):
    """一区党支部 held its 支委会 in October but not in September."""
    services.record_create(actor=life.personas.superuser, party_org=life.org.branch, kind="committee",
                           held_on=D(2026, 10, 9), topic="十月支委会")
    return life


def test_the_compliance_matrix_opens_subtree_by_subtree(gap):
    client = api(gap.personas.plant_admin)
    top = ok(client.get("orglife/compliance", as_of="2026-11-25"))
    assert top["year"] == 2026 and [r["party_org"] for r in top["rows"]] == ["P-CY1"]
    assert [c["key"] for c in top["columns"]][:4] == ["2026-01", "2026-02", "2026-03", "2026-Q1"]
    assert top["rows"][0]["subtree"]["2026-09"]["missing"] >= 1
    rows = ok(client.get("orglife/compliance", party_org="P-CY1", as_of="2026-11-25"))["rows"]
    branch = rows[0]
    assert branch["party_org"] == "P-CY1-B1" and branch["members"] == 10 and branch["has_children"]
    assert branch["cells"]["2026-10"] == [{"meeting_kind": "committee", "status": "held", "held": 1, "made_up": 0}]
    assert branch["cells"]["2026-09"][0]["status"] == "missing"
    assert client.get("orglife/compliance", party_org="P-CY2").status_code == 422


def test_gaps_summary_and_attendance(gap):
    client = api(gap.personas.plant_admin)
    gaps = ok(client.get("orglife/gaps", as_of="2026-11-25"))
    assert {"party_org": "P-CY1-B1", "party_org_name": "一区党支部", "meeting_kind": "committee", "period": "2026-09",
            "period_start": "2026-09-01", "period_end": "2026-09-30", "status": "missing"} in gaps["items"]
    assert ok(client.get("orglife/gaps", as_of="2026-11-25", status="pending"))["count"] >= 1
    summary = ok(client.get("orglife/compliance/summary", as_of="2026-11-25"))
    assert summary["total"]["counts"]["held"] == 1 and summary["by_kind"]["committee"]["due"] == 10
    assert ok(client.get("orglife/attendance", as_of="2026-11-25"))["count"] == 0
    assert client.get("orglife/gaps", as_of="2026-13-01").status_code == 422


def _grow(life, n):
    for i in range(n):
        member = f.person(life.org.area, life.org.branch)
        services.record_create(actor=life.personas.superuser, party_org=life.org.branch, kind="theme_day",
                               held_on=D(2026, 1, 1) + dt.timedelta(days=i % 300), topic=f"主题党日{i}",
                               host=life.secretary, attendance=[(member, "present"), (life.members[0], "absent")])


@pytest.mark.parametrize(("path", "query"), [
    ("orglife/records", {}), ("orglife/records", {"party_org_subtree": "P-CY1", "sort": "party_org"}),
    ("orglife/attendance", {"as_of": "2026-11-25"}), ("orglife/gaps", {"as_of": "2026-11-25"}),
    ("orglife/compliance", {"as_of": "2026-11-25", "party_org": "P-CY1"}),
    ("orglife/compliance/summary", {"as_of": "2026-11-25"}),
])
def test_reads_cost_the_same_queries_for_10_records_and_60(life, path, query):
    client = api(life.personas.plant_admin)
    client.get("orglife/rules")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            ok(client.get(path, page_size=500, **query))
        return len(ctx.captured_queries)

    _grow(life, 10)
    small = count()
    _grow(life, 50)
    assert count() == small
