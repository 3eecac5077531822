"""The carriers and problem-ledger API: the same services and scope as the pages."""
import datetime as dt

from ronghe.vanguard.models import Carrier, Problem
from tests import factories as f
from tests.api.support import ApiClient, token_for
from tests.vanguard import factories as vf


def client_of(user):
    return ApiClient(token_for(user))


def test_a_carrier_is_created_listed_and_read_back(org, personas):
    api = client_of(personas.plant_admin)
    response = api.post("carriers", {"name": "采油一班先锋岗", "kind": "post", "party_org": "P-CY1-B1",
                                     "unit": "CY1-A1-T1", "established_on": "2025-03-01",
                                     "lead": org.worker.employee_no, "commitment": "不让一口井带病生产"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["unit"], body["lead"], body["member_count"], body["flags"]) == (
        "CY1-A1-T1", org.worker.employee_no, 1, [])
    listed = api.get("carriers", unit="CY1").json()
    assert [c["name"] for c in listed["items"]] == ["采油一班先锋岗"]
    assert api.get(f"carriers/{body['id']}").json()["members"][0]["is_lead"] is True


def test_a_carrier_without_a_unit_sits_at_its_party_orgs_unit(org, personas):
    response = client_of(personas.secretary).post("carriers", {
        "name": "二厂责任区", "kind": "zone", "party_org": "P-CY2-B1", "established_on": "2025-03-01"})
    assert response.status_code == 201, response.content
    assert (response.json()["unit"], response.json()["flags"]) == ("CY2-A1", ["no_members"])


def test_references_outside_the_scope_are_refused_as_unknown(org, personas):
    api = client_of(personas.plant_admin)
    response = api.post("carriers", {"name": "越界", "kind": "post", "party_org": "P-CY2-B1",
                                     "established_on": "2025-03-01"})
    assert response.status_code == 422 and "party_org" in response.json()["details"]
    response = api.post("carriers", {"name": "越界", "kind": "post", "party_org": "P-CY1-B1",
                                     "established_on": "2025-03-01", "lead": org.sib_worker.employee_no})
    assert response.status_code == 422 and "lead" in response.json()["details"]
    assert not Carrier.objects.exists()


def test_flags_filter_carriers_without_members_or_lead(org, personas):
    vf.carrier(org.team, org.branch, name="有负责人", lead=org.worker)
    vf.carrier(org.team, org.branch, name="无负责人", members=[org.worker])
    vf.carrier(org.team, org.branch, name="无成员")
    api = client_of(personas.plant_admin)
    assert [c["name"] for c in api.get("carriers", flag="no_lead").json()["items"]] == ["无负责人"]
    assert [c["name"] for c in api.get("carriers", flag="no_members").json()["items"]] == ["无成员"]


def test_members_reviews_recognitions_and_retirement(org, personas):
    carrier = vf.carrier(org.team, org.branch, lead=org.worker)
    other = f.person(org.team, org.branch)
    api = client_of(personas.plant_admin)
    body = api.post(f"carriers/{carrier.pk}/members", {"lead": other.employee_no,
                                                       "members": [org.worker.employee_no]}).json()
    assert [(m["employee_no"], m["is_lead"]) for m in body["members"]] == [(other.employee_no, True),
                                                                           (org.worker.employee_no, False)]
    body = api.post(f"carriers/{carrier.pk}/reviews", {"year": 2025, "rating": "excellent", "comment": "好"}).json()
    assert body["reviews"][0]["rating"] == "excellent"
    body = api.post(f"carriers/{carrier.pk}/recognitions", {"kind": "named", "level": "company",
                                                             "title": "公司级示范岗", "granted_on": "2025-07-01"}).json()
    assert body["recognitions"][0]["title"] == "公司级示范岗"
    body = api.post(f"carriers/{carrier.pk}/retire", {"on": "2026-06-30"}).json()
    assert (body["status"], body["retired_on"]) == ("retired", "2026-06-30")


def test_a_problem_goes_from_registration_to_verification(org, personas):
    carrier = vf.carrier(org.team, org.branch, lead=org.worker)
    api = client_of(personas.plant_admin)
    response = api.post("problems", {"title": "抽油机频繁停机", "raised_by": org.worker.employee_no,
                                     "category": "equipment", "carrier": carrier.pk, "raised_on": "2026-02-01",
                                     "workers": [org.worker.employee_no]})
    assert response.status_code == 201, response.content
    problem = response.json()
    assert (problem["unit"], problem["status"], problem["steps"]) == ("CY1-A1-T1", "open", ["start", "solve", "close"])
    pid = problem["id"]
    assert api.post(f"problems/{pid}/start", {"on": "2026-02-02"}).json()["status"] == "tackling"
    solved = api.post(f"problems/{pid}/solve", {"solution": "更换平衡块", "on": "2026-03-01", "oil_t": 12.5,
                                               "cost_saved": 45000}).json()
    assert (solved["status"], solved["oil_t"], solved["cost_saved"]) == ("solved", 12.5, 45000.0)
    verified = api.post(f"problems/{pid}/verify", {"note": "属实", "on": "2026-03-05"}).json()
    assert (verified["status"], verified["verified_on"], verified["verified_by"]) == (
        "verified", "2026-03-05", personas.plant_admin.username)
    assert api.post(f"problems/{pid}/close", {"reason": "x"}).status_code == 422


def test_only_the_unit_verifies_a_solution(org, personas):
    carrier = vf.carrier(org.area2, org.sib_branch, lead=org.sib_worker)
    problem = vf.solved(org.area2, org.sib_worker, carrier=carrier)
    response = client_of(personas.secretary).post(f"problems/{problem.pk}/verify", {})
    assert response.status_code == 403
    problem.refresh_from_db()
    assert problem.status == Problem.Status.SOLVED


def test_the_ledger_lists_problems_solved_in_the_first_half(org, personas):
    vf.solved(org.team, org.worker, title="上半年解决", on=dt.date(2026, 6, 30))
    vf.solved(org.team, org.worker, title="下半年解决", on=dt.date(2026, 7, 1))
    vf.problem(org.team, org.worker, title="未解决")
    api = client_of(personas.viewer)
    items = api.get("problems", solved_from="2026-01-01", solved_to="2026-06-30").json()["items"]
    assert [p["title"] for p in items] == ["上半年解决"]
    assert api.get("problems", status="live").json()["count"] == 1


def test_statistics_for_a_preset_period_and_a_subtree(org, personas):
    carrier = vf.carrier(org.team, org.branch, lead=org.worker, members=[f.person(org.team, org.branch)])
    vf.carrier(org.area2, org.sib_branch, production_related=False, category="service", kind="zone")
    vf.solved(org.team, org.worker, carrier=carrier, on=dt.date(2026, 3, 1), oil_t=10, gas_m3=500, cost_saved=2000)
    vf.solved(org.area2, org.sib_worker, on=dt.date(2026, 5, 1), oil_t=1, gas_m3=0, cost_saved=0,
              verify_on=dt.date(2026, 5, 2))
    api = client_of(personas.viewer)
    carriers = api.get("carriers/stats", preset="h1", year=2026).json()
    assert (carriers["date_from"], carriers["date_to"], carriers["total"]) == ("2026-01-01", "2026-06-30", 2)
    assert carriers["by_kind"] == {"post": 1, "zone": 1} and carriers["production_share"] == 0.5
    assert (carriers["members_covered"], carriers["party_members"]) == (2, 3)
    problems = api.get("problems/stats", preset="h1", year=2026).json()
    assert (problems["total"]["solved"], problems["total"]["verified"], problems["total"]["oil_t"]) == (2, 1, 11.0)
    by_carrier = {row["key"]: row for row in problems["by_carrier"]}
    assert by_carrier[str(carrier.pk)]["name"] == carrier.name and by_carrier[None]["solved"] == 1
    plant = api.get("problems/stats", preset="h1", year=2026, unit="CY1").json()
    assert (plant["total"]["solved"], plant["total"]["cost_saved"]) == (1, 2000.0)
    assert api.get("problems/stats", date_from="2026-05-01", date_to="2026-04-01").status_code == 422


def test_attachments_through_the_api(org, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    problem = vf.problem(org.team, org.worker)
    api = client_of(personas.plant_admin)
    response = api.client.post(f"/api/v1/problems/{problem.pk}/attachments",
                               {"file": _upload("效益测算.xlsx", b"PK..")}, headers=api.headers)
    assert response.status_code == 201, response.content
    attachment = response.json()
    assert api.get(f"problems/{problem.pk}").json()["attachments"][0]["name"] == "效益测算.xlsx"
    assert api.delete(f"problems/{problem.pk}/attachments/{attachment['id']}").status_code == 204


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
