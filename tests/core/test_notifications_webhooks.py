"""Group robots, against a real HTTP server on 127.0.0.1: WeCom and DingTalk markdown payloads,
DingTalk's signed URLs, failures recorded on the delivery and retried by `retry_deliveries`."""
import base64
import datetime as dt
import hashlib
import hmac
import io
import json
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext

from ronghe.core.models import Delivery
from ronghe.core.notifications import services, webhooks
from ronghe.core.notifications.categories import MEETINGS, TASKS
from ronghe.core.scheduler import all_jobs
from tests import factories as f

D = dt.date(2026, 3, 2)
OK = (200, {"errcode": 0, "errmsg": "ok"})


class Robot:
    """A group robot: records what it is sent and answers as told."""

    def __init__(self):
        self.requests = []
        self.answer = OK

    def start(self):
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                robot.requests.append(SimpleNamespace(path=self.path, headers=dict(self.headers),
                                                      json=json.loads(body)))
                status, answer = robot.answer
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot():
    r = Robot().start()
    yield r
    r.stop()


@pytest.fixture(autouse=True)
def _site(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.RONGHE_BASE_URL = "https://ronghe.example.cn/"


@pytest.fixture
def admin(personas):
    return personas.plant_admin


def channel(admin, unit, url, kind="wecom", **fields):
    return services.webhook_channel_create(actor=admin, unit=unit, kind=kind, name=f"{unit.name}群", url=url,
                                           **fields)


def remind(org, *, units, recipients=(), category=TASKS, day=D):
    return services.notify(rule="tasks.red", obj=org.area, day=day, recipients=recipients, title="任务亮红灯",
                           body="作业一区：注水工程\n已超期 3 个工作日", link="/tasks/7/", category=category,
                           units_for_webhooks=units)


def in_group_language(text) -> str:
    """Groups read the organisation's language, whatever the catalog says today."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(text)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_wecom_gets_a_markdown_message_after_the_commit(robot, org, admin, django_capture_on_commit_callbacks):
    channel(admin, org.plant, f"{robot.url}/cgi-bin/webhook/send?key=abc-123")
    worker_login = f.user("wangtr", person_=org.worker)
    with django_capture_on_commit_callbacks(execute=True):
        result = remind(org, units=[org.plant], recipients=[org.worker])
        assert robot.requests == []
    assert len(result.webhooks) == 1 and worker_login.notifications.count() == 1
    [request] = robot.requests
    assert request.path == "/cgi-bin/webhook/send?key=abc-123"
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    for_line = in_group_language("For: %(names)s") % {"names": "王铁人"}
    assert request.json == {"msgtype": "markdown", "markdown": {"content": (
        f"### 任务亮红灯\n作业一区：注水工程\n已超期 3 个工作日\n{for_line}\n"
        f"[{in_group_language('Open in Ronghe')}](https://ronghe.example.cn/tasks/7/)")}}
    delivery = Delivery.objects.get(medium="webhook")
    assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 1, "")


def test_dingtalk_gets_a_markdown_message_on_a_signed_url(robot, org, admin, django_capture_on_commit_callbacks):
    secret = "SECd3adb33f0123456789"
    channel(admin, org.plant, f"{robot.url}/robot/send?access_token=tok", kind="dingtalk", secret=secret)
    before = int(time.time() * 1000)
    with django_capture_on_commit_callbacks(execute=True):
        remind(org, units=[org.plant])
    after = int(time.time() * 1000)
    [request] = robot.requests
    path, query = request.path.split("?")
    params = urllib.parse.parse_qs(query)
    assert path == "/robot/send" and params["access_token"] == ["tok"]
    timestamp = int(params["timestamp"][0])
    assert before <= timestamp <= after
    expected = base64.b64encode(hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(),
                                         hashlib.sha256).digest()).decode()
    assert params["sign"] == [expected]
    assert request.json == {"msgtype": "markdown", "markdown": {
        "title": "任务亮红灯",
        "text": "### 任务亮红灯\n\n作业一区：注水工程\n\n已超期 3 个工作日\n\n"
                f"[{in_group_language('Open in Ronghe')}](https://ronghe.example.cn/tasks/7/)"}}


def test_the_dingtalk_signature_matches_the_documented_recipe():
    # HMAC-SHA256 keyed with the secret over "timestamp\nsecret", base64, then URL-encoded.
    secret, timestamp = "SECabc", 1700000000000
    digest = hmac.new(b"SECabc", b"1700000000000\nSECabc", hashlib.sha256).digest()
    assert webhooks.dingtalk_sign(secret, timestamp) == urllib.parse.quote_plus(base64.b64encode(digest))
    assert webhooks.signed_url("https://oapi.dingtalk.com/robot/send?access_token=t", secret, timestamp) == (
        f"https://oapi.dingtalk.com/robot/send?access_token=t&timestamp={timestamp}"
        f"&sign={webhooks.dingtalk_sign(secret, timestamp)}")


def test_only_the_given_units_enabled_channels_for_the_category_are_posted_to(robot, org, admin, personas,
                                                                               django_capture_on_commit_callbacks):
    channel(admin, org.plant, f"{robot.url}/tasks", categories=[TASKS])
    channel(admin, org.area, f"{robot.url}/area")
    channel(admin, org.plant, f"{robot.url}/meetings", categories=[MEETINGS])
    channel(admin, org.plant, f"{robot.url}/off", enabled=False)
    channel(personas.superuser, org.sibling, f"{robot.url}/sibling")
    with django_capture_on_commit_callbacks(execute=True):
        remind(org, units=[org.plant, org.area])
    assert sorted(r.path for r in robot.requests) == ["/area", "/tasks"]


def test_a_channel_gets_the_reminder_once_a_day(robot, org, admin, django_capture_on_commit_callbacks):
    channel(admin, org.plant, f"{robot.url}/hook")
    with django_capture_on_commit_callbacks(execute=True):
        remind(org, units=[org.plant])
        remind(org, units=[org.plant])
    assert len(robot.requests) == 1
    with django_capture_on_commit_callbacks(execute=True):
        remind(org, units=[org.plant], day=D + dt.timedelta(days=1))
    assert len(robot.requests) == 2


def test_a_failing_robot_is_recorded_and_the_retry_job_sends_it(robot, org, admin,
                                                                 django_capture_on_commit_callbacks):
    channel(admin, org.plant, f"{robot.url}/hook")
    robot.answer = (500, {"error": "down"})
    with django_capture_on_commit_callbacks(execute=True):
        result = remind(org, units=[org.plant])  # does not raise
    assert len(result.webhooks) == 1
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "HTTP 500" in delivery.error

    robot.answer = OK
    call_command("retry_deliveries", stdout=io.StringIO())
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 2, "")
    assert len(robot.requests) == 2 and robot.requests[0].json == robot.requests[1].json
    call_command("retry_deliveries", stdout=io.StringIO())
    assert len(robot.requests) == 2


def test_a_robot_refusing_the_message_is_a_failure(robot, org, admin, django_capture_on_commit_callbacks):
    channel(admin, org.plant, f"{robot.url}/hook")
    robot.answer = (200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    with django_capture_on_commit_callbacks(execute=True):
        remind(org, units=[org.plant])
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and "errcode 93000: invalid webhook url" in delivery.error


def test_an_unreachable_robot_is_a_failure_not_an_exception(org, admin, django_capture_on_commit_callbacks):
    channel(admin, org.plant, f"http://127.0.0.1:{closed_port()}/hook")
    with django_capture_on_commit_callbacks(execute=True):
        remind(org, units=[org.plant])
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and delivery.error


def test_retries_stop_after_the_last_attempt(robot, org, admin, django_capture_on_commit_callbacks):
    channel(admin, org.plant, f"{robot.url}/hook")
    robot.answer = (503, {})
    with django_capture_on_commit_callbacks(execute=True):
        remind(org, units=[org.plant])
    for _ in range(services.MAX_ATTEMPTS + 2):
        services.retry_deliveries()
    delivery = Delivery.objects.get()
    assert delivery.attempts == services.MAX_ATTEMPTS and delivery.status == "failed"
    assert len(robot.requests) == services.MAX_ATTEMPTS


def test_a_disabled_channel_is_not_retried(robot, org, admin, django_capture_on_commit_callbacks):
    hook = channel(admin, org.plant, f"{robot.url}/hook")
    robot.answer = (500, {})
    with django_capture_on_commit_callbacks(execute=True):
        remind(org, units=[org.plant])
    services.webhook_channel_update(actor=admin, channel=hook, enabled=False)
    robot.answer = OK
    assert services.retry_deliveries().sent == 0
    assert Delivery.objects.get().status == "failed"


def test_deliveries_left_pending_by_a_stopped_sender_are_sent_by_the_retry_job(robot, org, admin, people_login,
                                                                               django_capture_on_commit_callbacks):
    channel(admin, org.plant, f"{robot.url}/hook")
    with django_capture_on_commit_callbacks(execute=False):
        remind(org, units=[org.plant], recipients=[people_login])  # the process stopped before sending
    assert services.retry_deliveries().sent == 0  # too fresh: its sender may still be at work
    Delivery.objects.update(created_at=timezone.now() - services.STALE_AFTER - dt.timedelta(minutes=1))
    result = services.retry_deliveries()
    assert (result.sent, result.failed) == (2, 0)
    assert len(robot.requests) == 1 and len(mail.outbox) == 1
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


@pytest.fixture
def people_login(org):
    return f.user("wangtr", person_=org.worker, email="wang@example.cn")


def test_a_failing_mail_server_is_recorded_and_retried(org, people_login, monkeypatch,
                                                       django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(services, "send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        remind(org, units=[], recipients=[people_login])
    email = Delivery.objects.get(medium="email")
    assert email.status == "failed" and "mail server down" in email.error
    monkeypatch.undo()
    assert services.retry_deliveries().sent == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["wang@example.cn"]


def test_long_messages_are_cut_to_what_wecom_accepts():
    content = webhooks.payload("wecom", "标题", "很长的正文" * 2000)["markdown"]["content"]
    assert len(content.encode()) <= webhooks.WECOM_MAX_BYTES and content.endswith("…")


def test_the_scheduler_retries_every_ten_minutes():
    assert any(job.command == "retry_deliveries" and job.minute == "*/10" and job.hour == "*" for job in all_jobs())
