import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from ronghe.core.models import Delivery, Notification
from ronghe.org.models import Position
from ronghe.tasks import services
from ronghe.tasks.reminders import send_reminders
from tests import factories as f

D = dt.date


def fresh_task(five_ones, personas, issued_on):
    """A task of the plan without milestones, starting the day it is issued."""
    task = services.task_create(actor=personas.superuser, plan=five_ones.plan, name="机关处室整合",
                                leader=five_ones.leader.person, lead_unit=five_ones.task.lead_unit,
                                responsible=five_ones.owner.person, start_date=issued_on, deadline=D(2026, 12, 31))
    return services.task_issue(actor=five_ones.leader, task=task, on=issued_on)


@pytest.fixture
def red_task(five_ones, personas, org):
    """Issued on Monday 22 June and never acknowledged: red (no_response) from 30 June."""
    head = f.person(org.plant, name="钱厂长", email="head@example.cn")
    f.user("head", person_=head)
    Position.objects.create(person=head, unit=org.plant, kind=Position.Kind.HEAD, title="厂长")
    five_ones.fresh = fresh_task(five_ones, personas, D(2026, 6, 22))
    return five_ones


def inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_a_red_task_goes_to_its_owner_and_the_lead_units_head(red_task, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = send_reminders(as_of=D(2026, 6, 30))
    assert run.sent["tasks.red"] == 3  # the owner's inbox; the head's inbox and email
    assert any("机关处室整合" in t for t in inbox(red_task.owner))
    assert [m.to for m in mail.outbox] == [["head@example.cn"]]
    body = Notification.objects.get(recipient=red_task.owner).body
    assert "有部署无回音" in body  # the problem in words, in the reader's language
    head_user = Position.objects.get(kind="head").person.user
    assert inbox(head_user) and "escalation" not in run.sent
    assert not inbox(red_task.leader)


def test_red_for_three_working_days_reaches_the_leader_in_charge(red_task):
    run = send_reminders(as_of=D(2026, 7, 3))
    assert run.sent["tasks.escalation"] == 1
    assert inbox(red_task.leader)


def test_the_same_reminder_never_goes_twice_on_a_day(red_task):
    first = send_reminders(as_of=D(2026, 6, 30))
    again = send_reminders(as_of=D(2026, 6, 30))
    assert sum(first.sent.values()) > 0 and sum(again.sent.values()) == 0
    assert sum(again.skipped.values()) == sum(first.sent.values())
    assert sum(send_reminders(as_of=D(2026, 7, 1)).sent.values()) > 0  # the next day reminds again


def test_a_dry_run_sends_and_writes_nothing(red_task):
    run = send_reminders(as_of=D(2026, 6, 30), dry_run=True)
    assert run.sent["tasks.red"] == 3
    assert not Notification.objects.exists() and not Delivery.objects.exists() and not mail.outbox


def test_a_yellow_task_reminds_only_its_owner(five_ones, personas):
    fresh_task(five_ones, personas, D(2026, 6, 25))
    run = send_reminders(as_of=D(2026, 6, 30))  # 3 working days without acknowledgement
    assert run.sent == {"tasks.yellow": 1}
    assert inbox(five_ones.owner)


def test_leaders_get_a_weekly_digest_on_monday(red_task):
    assert "tasks.digest" not in send_reminders(as_of=D(2026, 7, 3)).sent
    assert send_reminders(as_of=D(2026, 7, 6)).sent["tasks.digest"] == 1
    assert any("1" in t for t in inbox(red_task.leader))


def test_the_command_prints_what_it_sent(red_task, capsys):
    call_command("send_reminders", "--as-of", "2026-06-30")
    out = capsys.readouterr().out
    assert "tasks.red" in out and "2026-06-30" in out
    call_command("send_reminders", "--as-of", "2026-06-30", "--dry-run")
    assert "tasks.red: would send 0, already sent 3" in capsys.readouterr().out
