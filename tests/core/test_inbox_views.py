"""The inbox pages: one's own notifications only, unread first, marked read one by one (htmx)
or all at once; the unread badge of the top bar; the group-robot pages of unit admins."""
import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ronghe.core.models import AuditEntry, Notification, WebhookChannel
from ronghe.core.notifications import services
from ronghe.core.notifications.categories import MEETINGS, TASKS
from tests.core.test_notifications_webhooks import Robot


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def note(user, title, *, category=TASKS, link="", read=False, minutes_ago=0):
    n = Notification.objects.create(recipient=user, title=title, category=category, link=link,
                                    read_at=timezone.now() if read else None)
    Notification.objects.filter(pk=n.pk).update(created_at=timezone.now() - dt.timedelta(minutes=minutes_ago))
    return n


def rows(response):
    assert response.status_code == 200
    return response.content.decode().split('id="notifications"')[1].split("</tbody>")[0]


def badge(response):
    match = re.search(r'<span id="inbox-badge"([^>]*)>([^<]*)</span>', response.content.decode())
    assert match, "no unread badge on the page"
    return None if re.search(r"\shidden(\s|$)", match.group(1)) else match.group(2)


def test_anonymous_users_are_sent_to_log_in(client, db):
    assert client.get("/inbox/").status_code == 302


def test_the_inbox_shows_ones_own_notifications_unread_first(login, personas):
    note(personas.viewer, "旧的已读", read=True, minutes_ago=1)
    note(personas.viewer, "较早未读", minutes_ago=30)
    note(personas.viewer, "最新已读", read=True)
    note(personas.plant_admin, "别人的通知")
    page = rows(login(personas.viewer).get("/inbox/"))
    assert "别人的通知" not in page
    assert [page.index(t) for t in ("较早未读", "最新已读", "旧的已读")] == sorted(
        page.index(t) for t in ("较早未读", "最新已读", "旧的已读"))


def test_the_inbox_filters_by_category_and_unread(login, personas):
    note(personas.viewer, "会议通知", category=MEETINGS)
    note(personas.viewer, "任务催办", category=TASKS, read=True)
    client = login(personas.viewer)
    meetings = rows(client.get("/inbox/", {"category": MEETINGS}))
    assert "会议通知" in meetings and "任务催办" not in meetings
    unread = rows(client.get("/inbox/", {"unread": "1"}))
    assert "会议通知" in unread and "任务催办" not in unread


def test_another_users_notification_answers_404(login, personas):
    theirs = note(personas.plant_admin, "别人的通知")
    response = login(personas.viewer).post(f"/inbox/{theirs.pk}/read/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert login(personas.superuser).post(f"/inbox/{theirs.pk}/read/").status_code == 404


def test_reading_takes_a_post(login, personas):
    mine = note(personas.viewer, "我的通知")
    assert login(personas.viewer).get(f"/inbox/{mine.pk}/read/").status_code == 405
    mine.refresh_from_db()
    assert mine.read_at is None


def test_marking_one_read_with_htmx_swaps_the_row_and_the_badge(login, personas):
    first = note(personas.viewer, "第一条")
    note(personas.viewer, "第二条")
    response = login(personas.viewer).post(f"/inbox/{first.pk}/read/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    first.refresh_from_db()
    assert first.read_at is not None
    assert html.startswith(f'<tr id="notification-{first.pk}"') and "notification-unread" not in html
    assert 'id="inbox-badge"' in html and 'hx-swap-oob="true"' in html and badge(response) == "1"


def test_marking_one_read_without_htmx_goes_back_to_the_inbox(login, personas):
    mine = note(personas.viewer, "我的通知")
    response = login(personas.viewer).post(f"/inbox/{mine.pk}/read/")
    assert response.status_code == 302 and response["Location"] == "/inbox/"


def test_opening_a_notification_marks_it_read_and_follows_its_link(login, personas):
    mine = note(personas.viewer, "我的通知", link="/units/CY1/")
    response = login(personas.viewer).post(f"/inbox/{mine.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/units/CY1/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_a_link_to_another_site_is_not_followed(login, personas):
    mine = note(personas.viewer, "可疑链接", link="https://evil.example.com/")
    response = login(personas.viewer).post(f"/inbox/{mine.pk}/read/", {"open": "1"})
    assert response["Location"] == "/inbox/"


def test_mark_all_read_touches_only_ones_own(login, personas):
    note(personas.viewer, "一")
    note(personas.viewer, "二")
    theirs = note(personas.plant_admin, "别人的")
    response = login(personas.viewer).post("/inbox/read-all/")
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=personas.viewer, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_top_bar_shows_the_unread_count_and_hides_it_at_zero(login, personas):
    client = login(personas.viewer)
    assert badge(client.get("/inbox/")) is None
    for i in range(3):
        note(personas.viewer, f"通知{i}")
    note(personas.viewer, "已读", read=True)
    note(personas.plant_admin, "别人的")
    assert badge(client.get("/")) == "3"
    Notification.objects.bulk_create(Notification(recipient=personas.viewer, title="x", category=TASKS)
                                     for _ in range(100))
    assert badge(client.get("/")) == "99+"


def test_the_badge_costs_one_query(login, personas):
    note(personas.viewer, "通知")
    client = login(personas.viewer)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert len([q for q in queries.captured_queries if "core_notification" in q["sql"]]) == 1


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("url", ["/inbox/", "/inbox/?unread=1", f"/inbox/?category={TASKS}"])
def test_the_inbox_costs_the_same_queries_for_10_and_200_notifications(login, personas, url):
    client = login(personas.viewer)
    Notification.objects.bulk_create(Notification(recipient=personas.viewer, title=f"通知{i}", category=TASKS)
                                     for i in range(10))
    few = count_queries(client, url)
    Notification.objects.bulk_create(Notification(recipient=personas.viewer, title=f"通知{i}", category=TASKS,
                                                  read_at=timezone.now() if i % 2 else None)
                                     for i in range(190))
    assert count_queries(client, url) == few


# --- group robots ----------------------------------------------------------------------------------

@pytest.fixture
def robot():
    r = Robot().start()
    yield r
    r.stop()


def hook(actor, unit, url="http://127.0.0.1:9/hook?key=secret-key-123", **fields):
    return services.webhook_channel_create(actor=actor, unit=unit, kind=fields.pop("kind", "wecom"),
                                           name=fields.pop("name", f"{unit.name}群"), url=url, **fields)


def test_unit_admins_see_the_channels_of_their_units_only(login, org, personas):
    hook(personas.plant_admin, org.area, name="作业区群")
    hook(personas.superuser, org.sibling, name="二厂群")
    page = login(personas.plant_admin).get("/inbox/channels/").content.decode()
    assert "作业区群" in page and "二厂群" not in page
    assert "secret-key-123" not in page and "key=secr…" in page


@pytest.mark.parametrize("persona", ["viewer", "secretary", "outsider"])
def test_people_who_cannot_change_a_unit_have_no_channel_pages(login, org, personas, persona):
    channel = hook(personas.superuser, org.plant)
    client = login(getattr(personas, persona))
    assert client.get("/inbox/channels/").status_code == 404
    assert client.get("/inbox/channels/new/").status_code == 404
    assert client.get(f"/inbox/channels/{channel.pk}/").status_code == 404
    assert client.post(f"/inbox/channels/{channel.pk}/test/").status_code == 404


def test_another_units_channel_answers_404(login, org, personas):
    theirs = hook(personas.superuser, org.sibling)
    client = login(personas.plant_admin)
    assert client.get(f"/inbox/channels/{theirs.pk}/").status_code == 404
    response = client.post(f"/inbox/channels/{theirs.pk}/", {"kind": "wecom", "name": "改名", "url": theirs.url,
                                                             "enabled": "on"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name != "改名"


def test_an_admin_creates_a_channel_for_a_unit_in_scope(login, org, personas):
    response = login(personas.plant_admin).post("/inbox/channels/new/", {
        "unit": "CY1-A1", "kind": "dingtalk", "name": "作业区钉钉群", "enabled": "on",
        "url": "https://oapi.dingtalk.com/robot/send?access_token=abcdef123456", "secret": "SECsecret",
        "categories": [TASKS, MEETINGS]})
    channel = WebhookChannel.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/inbox/channels/{channel.pk}/"
    assert (channel.unit, channel.kind, channel.secret, channel.categories, channel.enabled) == (
        org.area, "dingtalk", "SECsecret", sorted([TASKS, MEETINGS]), True)
    entry = AuditEntry.objects.get(action="webhook_channel.create")
    assert entry.unit == org.area and entry.after["secret"] is True
    assert "abcdef123456" not in str(entry.after) and "SECsecret" not in str(entry.after)


def test_a_unit_outside_the_scope_cannot_be_chosen(login, org, personas):
    response = login(personas.plant_admin).post("/inbox/channels/new/", {
        "unit": "CY2", "kind": "wecom", "name": "越权", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
        "enabled": "on"})
    assert response.status_code == 200 and not WebhookChannel.objects.exists()


def test_a_wecom_robot_takes_no_signing_secret(login, org, personas):
    response = login(personas.plant_admin).post("/inbox/channels/new/", {
        "unit": "CY1", "kind": "wecom", "name": "企微群", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
        "secret": "SECx", "enabled": "on"})
    assert response.status_code == 200 and not WebhookChannel.objects.exists()
    assert 'name="secret"' in response.content.decode()


def test_editing_keeps_the_secret_unless_a_new_one_is_given_or_it_is_removed(login, org, personas):
    channel = hook(personas.plant_admin, org.plant, kind="dingtalk", secret="SECold")
    client = login(personas.plant_admin)
    form = {"kind": "dingtalk", "name": "新名字", "url": channel.url, "categories": [TASKS]}
    assert client.post(f"/inbox/channels/{channel.pk}/", form).status_code == 302
    channel.refresh_from_db()
    assert (channel.name, channel.secret, channel.enabled, channel.categories) == ("新名字", "SECold", False, [TASKS])
    client.post(f"/inbox/channels/{channel.pk}/", {**form, "secret": "SECnew", "enabled": "on"})
    channel.refresh_from_db()
    assert channel.secret == "SECnew" and channel.enabled
    client.post(f"/inbox/channels/{channel.pk}/", {**form, "clear_secret": "on", "enabled": "on"})
    channel.refresh_from_db()
    assert channel.secret == ""
    updates = AuditEntry.objects.filter(action="webhook_channel.update").order_by("id")
    assert [e.before["enabled"] for e in updates] == [True, False, True]
    assert all("SEC" not in str(e.before) + str(e.after) + e.message for e in updates)


def test_the_edit_page_shows_recent_messages_and_their_errors(login, org, personas, robot,
                                                             django_capture_on_commit_callbacks):
    channel = hook(personas.plant_admin, org.plant, url=f"{robot.url}/hook")
    robot.answer = (200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(rule="tasks.red", obj=org.plant, day=dt.date(2026, 3, 2), recipients=[], title="红灯任务",
                        body="", category=TASKS, units_for_webhooks=[org.plant])
    page = login(personas.plant_admin).get(f"/inbox/channels/{channel.pk}/").content.decode()
    assert "红灯任务" in page and "invalid webhook url" in page


def test_the_test_button_posts_to_the_robot_and_is_audited(login, org, personas, robot):
    channel = hook(personas.plant_admin, org.plant, url=f"{robot.url}/hook")
    client = login(personas.plant_admin)
    response = client.post(f"/inbox/channels/{channel.pk}/test/", follow=True)
    assert response.status_code == 200 and len(robot.requests) == 1
    assert robot.requests[0].json["msgtype"] == "markdown" and "采油一厂" in robot.requests[0].json["markdown"]["content"]
    robot.answer = (200, {"errcode": 300001, "errmsg": "token is not exist"})
    response = client.post(f"/inbox/channels/{channel.pk}/test/", follow=True)
    assert "token is not exist" in response.content.decode()
    entries = AuditEntry.objects.filter(action="webhook_channel.test").order_by("id")
    assert [e.unit for e in entries] == [org.plant, org.plant] and "token is not exist" in entries[1].message


def test_the_channel_list_costs_the_same_queries_for_few_and_many(login, org, personas):
    client = login(personas.plant_admin)
    for i in range(3):
        hook(personas.plant_admin, org.plant, name=f"群{i}")
    few = count_queries(client, "/inbox/channels/")
    for i in range(30):
        hook(personas.plant_admin, org.area, name=f"区群{i}")
    assert count_queries(client, "/inbox/channels/") == few
