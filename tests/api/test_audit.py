import datetime as dt

from django.utils import timezone

from ronghe.core.models import AuditEntry
from ronghe.org import services

D = dt.date


def test_the_audit_list_holds_only_entries_within_the_scope(org, as_user, personas):
    services.node_rename(actor=personas.superuser, node=org.area2, name="二厂一区", effective_date=D(2025, 1, 1))
    items = as_user("plant_admin").get("audit", page_size=500).json()["items"]
    assert items
    assert {i["unit"] for i in items} <= {"CY1", "CY1-A1", "CY1-A1-T1"}
    assert "二厂一区" not in {i["object_repr"] for i in items}
    assert as_user("outsider").get("audit").json()["count"] == 0


def test_the_audit_list_is_newest_first_and_filters(org, as_user, personas):
    client = as_user("superuser")
    services.node_rename(actor=personas.plant_admin, node=org.area, name="第一作业区", effective_date=D(2025, 1, 1))
    newest = client.get("audit").json()["items"][0]
    assert newest["action"] == "unit.rename" and newest["actor"] == "plantadmin"
    assert newest["before"]["name"] == "作业一区" and newest["after"]["name"] == "第一作业区"
    assert client.get("audit", actor="plantadmin").json()["count"] == 1
    assert client.get("audit", action="unit.rename").json()["count"] == 1
    assert client.get("audit", object_type="org.unit", object_id=str(org.area.pk)).json()["count"] == 2
    today = timezone.localdate().isoformat()
    assert client.get("audit", **{"from": today, "to": today}).json()["count"] == AuditEntry.objects.count()
    assert client.get("audit", **{"to": "2000-01-01"}).json()["count"] == 0
    assert client.get("audit", **{"from": "yesterday"}).status_code == 422


def test_the_trail_of_one_object(org, as_user, personas):
    services.node_rename(actor=personas.plant_admin, node=org.area, name="第一作业区", effective_date=D(2025, 1, 1))
    items = as_user("plant_admin").get(f"audit/org.unit/{org.area.pk}").json()["items"]
    assert [i["action"] for i in items] == ["unit.rename", "unit.establish"]


def test_the_trail_of_an_object_outside_the_scope_answers_404(org, as_user):
    assert as_user("plant_admin").get(f"audit/org.unit/{org.sibling.pk}").status_code == 404
    assert as_user("plant_admin").get("audit/org.unit/999999").status_code == 404


def test_personal_data_in_the_trail_is_masked_for_those_without_the_right(org, as_user):
    path = f"audit/org.person/{org.worker.pk}"
    masked = as_user("viewer").get(path).json()["items"][0]["after"]
    assert masked["mobile"] == "138****1111" and masked["birth_date"] == "1980-**-**"
    assert masked["name"] == "王铁人"
    shown = as_user("plant_admin").get(path).json()["items"][0]["after"]
    assert shown["mobile"] == "13800001111" and shown["birth_date"] == "1980-05-04"
