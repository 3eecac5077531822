"""The scoped audit page: filters, before → after, masking, and a flat number of queries."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ronghe.core import audit
from ronghe.core.models import AuditEntry
from ronghe.org import services

D = dt.date


def text(response):
    return response.content.decode()


def rows(response):
    assert response.status_code == 200
    return text(response).split('id="audit-entries"')[1].split("</tbody>")[0]


def test_anonymous_users_cannot_read_the_audit(client, org):
    assert client.get("/audit/").status_code == 302


def test_the_audit_page_shows_only_entries_in_scope(login, org, personas):
    services.node_rename(actor=personas.superuser, node=org.area2, name="二厂改名区", effective_date=D(2024, 1, 1))
    services.node_rename(actor=personas.superuser, node=org.area, name="一厂改名区", effective_date=D(2024, 1, 1))
    page = rows(login(personas.plant_admin).get("/audit/"))
    assert "一厂改名区" in page and "二厂改名区" not in page
    assert "二厂改名区" in rows(login(personas.viewer).get("/audit/"))
    assert "没有符合条件的审计记录。" in rows(login(personas.outsider).get("/audit/"))


def test_entries_without_an_organisation_are_for_superusers_only(login, org, personas):
    audit.record(actor=personas.superuser, action="system.setting", object_type="core.setting", object_repr="全局设置")
    assert "全局设置" not in rows(login(personas.viewer).get("/audit/"))
    assert "全局设置" in rows(login(personas.superuser).get("/audit/"))


def test_the_audit_page_shows_before_and_after(login, org, personas):
    services.node_rename(actor=personas.plant_admin, node=org.area, name="采油作业区", effective_date=D(2024, 1, 1))
    page = rows(login(personas.viewer).get("/audit/", {"action": "unit.rename"}))
    assert '<span class="diff-before">作业一区</span> → <span class="diff-after">采油作业区</span>' in page
    assert "plantadmin" in page


def test_the_audit_page_filters_by_actor_action_type_and_dates(login, org, personas):
    services.node_rename(actor=personas.plant_admin, node=org.area, name="甲区", effective_date=D(2024, 1, 1))
    client = login(personas.superuser)
    assert "甲区" in rows(client.get("/audit/", {"actor": "plantadmin"}))
    assert "采油一厂" not in rows(client.get("/audit/", {"actor": "plantadmin"}))
    only_people = rows(client.get("/audit/", {"object_type": "org.person"}))
    assert "王铁人" in only_people and "甲区" not in only_people
    today = timezone.localdate()
    assert "甲区" in rows(client.get("/audit/", {"start": today.isoformat(), "end": today.isoformat()}))
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert "甲区" not in rows(client.get("/audit/", {"start": tomorrow}))
    assert "甲区" in rows(client.get("/audit/", {"q": "甲"}))


def test_personal_data_in_the_audit_is_masked_without_view_personal(login, org, personas):
    page = rows(login(personas.viewer).get("/audit/", {"object_type": "org.person"}))
    assert "138****1111" in page and "13800001111" not in page
    assert "13800001111" in rows(login(personas.plant_admin).get("/audit/", {"object_type": "org.person"}))


def test_audited_objects_link_to_their_pages(login, org, personas):
    page = rows(login(personas.viewer).get("/audit/"))
    assert 'href="/units/CY1/"' in page and f'href="/people/{org.worker.employee_no}/"' in page


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _entries(n, org, actor):
    for i in range(n):
        audit.record(actor=actor, action="unit.edit", obj=org.area, unit=org.area,
                     before={"name": f"旧{i}", "parent": org.plant.pk, "level": "section"},
                     after={"name": f"新{i}", "parent": org.sibling.pk, "level": "division"})


@pytest.mark.parametrize("persona", ["superuser", "plant_admin"])
def test_the_audit_page_takes_a_flat_number_of_queries(login, org, personas, persona):
    client = login(getattr(personas, persona))
    AuditEntry.objects.all().delete()
    _entries(10, org, personas.superuser)
    small = _queries(client, "/audit/")
    _entries(190, org, personas.superuser)
    assert _queries(client, "/audit/") == small
