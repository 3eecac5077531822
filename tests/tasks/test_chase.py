"""Chasing a task by hand (催办) and its supervision notice (督办单): who may chase, who is told
through which channel, the numbering, the audit trail, the task page, the PDF and the API.
Today is frozen at 2026-06-30 by the `five_ones` fixture."""
import base64
import datetime as dt

import pytest
from django.core import mail

from ronghe.core.errors import OutOfScope
from ronghe.core.models import AuditEntry, Delivery, Notification
from ronghe.core.notifications import services as notifications
from ronghe.org.models import Position
from ronghe.tasks import documents, selectors, services
from ronghe.tasks.models import Chase
from tests import factories as f
from tests.api.support import ApiClient, token_for

D = dt.date
REPLY_BY = D(2026, 7, 3)


@pytest.fixture
def late(five_ones, org, personas):
    """The fixture's task issued on 22 June and never acknowledged (red on 30 June), a head of
    its lead unit with a login and an email address, and a WeCom robot of the lead unit."""
    head = f.person(org.plant, name="钱厂长", email="head@example.cn")
    five_ones.head = f.user("head", person_=head)
    Position.objects.create(person=head, unit=org.plant, kind=Position.Kind.HEAD, title="厂长")
    notifications.webhook_channel_create(actor=personas.superuser, unit=org.plant, kind="wecom", name="一厂群",
                                         url="https://qyapi.example.cn/cgi-bin/webhook/send?key=k")
    five_ones.task.goal = "压减处级机构22个"
    five_ones.task.save(update_fields=["goal"])
    five_ones.task = services.task_issue(actor=five_ones.leader, task=five_ones.task, on=D(2026, 6, 22))
    return five_ones


def chase(late, **kwargs):
    return services.task_chase(actor=late.leader, task=late.task, message=kwargs.pop("message", "请说明未签收原因"),
                               reply_by=kwargs.pop("reply_by", REPLY_BY), **kwargs)


def test_the_leader_in_charge_chases_the_responsible_person_through_every_channel(
        late, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = chase(late)
    assert made.number == "督办〔2026〕第1号" and made.issuer == late.plan.unit and made.issued_on == D(2026, 6, 30)
    assert list(made.recipients.all()) == [late.owner.person]
    note = Notification.objects.get(recipient=late.owner)
    assert "督办〔2026〕第1号" in note.title and "请说明未签收原因" in note.body and "2026-07-03" in note.body
    assert note.link == f"/tasks/{late.task.pk}/"
    webhook = Delivery.objects.get(medium=Delivery.Medium.WEBHOOK)
    assert webhook.rule == f"tasks.chase.{made.pk}" and "请说明未签收原因" in webhook.body
    assert not Notification.objects.filter(recipient=late.head).exists()


def test_the_head_of_the_lead_unit_and_the_leader_are_told_when_asked(late, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = chase(late, to_heads=True, to_leader=True)
    assert {p.name for p in made.recipients.all()} == {late.owner.person.name, "钱厂长", late.leader.person.name}
    assert Notification.objects.filter(recipient__in=[late.owner, late.head, late.leader]).count() == 3
    assert [m.to for m in mail.outbox] == [["head@example.cn"]]


def test_each_chase_is_sent_and_numbered_even_on_the_same_day(late):
    first, second = chase(late), chase(late, message="再次催办")
    assert (first.serial, second.serial) == (1, 2) and second.number == "督办〔2026〕第2号"
    assert Notification.objects.filter(recipient=late.owner).count() == 2


def test_numbers_start_again_each_year(late):
    Chase.objects.create(task=late.task, year=2025, serial=7, issued_on=D(2025, 12, 31), issuer=late.plan.unit,
                         message="去年", reply_by=D(2026, 1, 5))
    assert chase(late).number == "督办〔2026〕第1号"


def test_a_chase_is_audited_in_the_tasks_history(late):
    made = chase(late, to_heads=True)
    entry = AuditEntry.objects.get(action="task.chase")
    assert entry.object_id == str(late.task.pk) and entry.unit == late.task.lead_unit
    assert entry.after["number"] == made.number and entry.after["reply_by"] == "2026-07-03"
    assert any("钱厂长" in name for name in entry.after["sent_to"])


def test_only_a_supervisor_may_chase(late):
    with pytest.raises(OutOfScope):
        services.task_chase(actor=late.owner, task=late.task, message="自己催自己", reply_by=REPLY_BY)
    assert not Chase.objects.exists()


def test_a_draft_or_finished_task_is_not_chased(five_ones):
    with pytest.raises(services.ValidationError):
        services.task_chase(actor=five_ones.leader, task=five_ones.task, message="未下达", reply_by=REPLY_BY)


def test_a_chase_says_what_is_required_and_not_before_it_is_issued(late):
    with pytest.raises(services.ValidationError):
        chase(late, message="  ")
    with pytest.raises(services.ValidationError):
        chase(late, reply_by=D(2026, 6, 29))
    assert not Chase.objects.exists() and not Notification.objects.exists()


# --- the supervision notice ------------------------------------------------------------------------

def test_the_notice_shows_the_task_as_it_stood_on_the_day_of_the_chase(late, personas):
    made = chase(late, on=D(2026, 6, 29))
    services.task_acknowledge(actor=late.owner, task=late.task)
    task = selectors.with_facts(selectors.tasks(personas.superuser)).get(pk=late.task.pk)
    status = selectors.statuses([task], made.issued_on)[task.pk]
    html = documents.chase_html(made, task, status)
    for text in ("督办〔2026〕第1号", "压减处级机构", "三项制度改革总方案", "压减处级机构22个", "采油一厂", "赵责任",
                 "万总", "2026年9月30日", "请说明未签收原因", "2026年7月3日", "2026年6月29日", late.plan.unit.name):
        assert text in html, text
    # Acknowledged the day after: the notice still says it was not acknowledged on 29 June.
    assert 'class="light red"' in html and "有部署无回音" in html
    assert "size: A4" in html
    assert documents.chase_pdf(made, task, status).startswith(b"%PDF-")


# --- the task page ---------------------------------------------------------------------------------

def test_the_task_page_offers_the_chase_to_a_supervisor_with_a_message_ready(late, login):
    page = login(late.leader).get(f"/tasks/{late.task.pk}/").content.decode()
    assert 'data-step="chase"' in page and 'id="id_chase_message"' in page
    assert "有部署无回音" in page.split('id="id_chase_message"')[1].split("</textarea>")[0]
    owner_page = login(late.owner).get(f"/tasks/{late.task.pk}/").content.decode()
    assert 'data-step="chase"' not in owner_page


def test_a_chase_from_the_page_shows_in_its_card_with_the_printable_notice(late, login):
    client = login(late.leader)
    response = client.post(f"/tasks/{late.task.pk}/chase/", {"message": "请于7月3日前签收并反馈",
                                                            "reply_by": "2026-07-03", "to_heads": "on"})
    assert response.status_code == 302
    made = Chase.objects.get()
    assert made.recipients.count() == 2
    page = client.get(f"/tasks/{late.task.pk}/").content.decode()
    card = page.split('id="chases"')[1].split('id="audit-trail"')[0]
    assert "督办〔2026〕第1号" in card and "请于7月3日前签收并反馈" in card and "钱厂长" in card
    notice = client.get(f"/tasks/{late.task.pk}/chases/{made.pk}/notice/")
    assert notice["Content-Type"] == documents.PDF and notice.content.startswith(b"%PDF-")


def test_the_notice_of_a_task_outside_the_scope_is_not_found(late, org, login, personas):
    made = chase(late)
    sibling_admin = f.user("sibadmin")
    f.grant(sibling_admin, f.ROLE.ADMIN, org.sibling)
    assert login(sibling_admin).get(f"/tasks/{late.task.pk}/chases/{made.pk}/notice/").status_code == 404
    other = services.task_create(actor=personas.superuser, plan=late.plan, name="另一任务", leader=late.leader.person,
                                 lead_unit=org.plant, responsible=late.owner.person, deadline=D(2026, 12, 31))
    assert login(late.leader).get(f"/tasks/{other.pk}/chases/{made.pk}/notice/").status_code == 404


# --- the API ---------------------------------------------------------------------------------------

def test_the_api_chases_and_prints_the_notice(late):
    api = ApiClient(token_for(late.leader))
    response = api.post(f"tasks/{late.task.pk}/chases", {"message": "请尽快签收", "reply_by": "2026-07-03",
                                                         "to_leader": True})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == "督办〔2026〕第1号" and body["issuer"] == late.plan.unit.code
    assert {r["name"] for r in body["recipients"]} == {late.owner.person.name, late.leader.person.name}
    detail = api.get(f"tasks/{late.task.pk}").json()
    assert [c["number"] for c in detail["chases"]] == ["督办〔2026〕第1号"]
    notice = api.get(f"tasks/{late.task.pk}/chases/{body['id']}/notice").json()
    assert notice["content_type"] == documents.PDF and base64.b64decode(notice["content"]).startswith(b"%PDF-")


def test_the_api_refuses_a_chase_from_whoever_does_not_supervise(late):
    api = ApiClient(token_for(late.owner))
    response = api.post(f"tasks/{late.task.pk}/chases", {"message": "自己催", "reply_by": "2026-07-03"})
    assert response.status_code == 404 and not Chase.objects.exists()
