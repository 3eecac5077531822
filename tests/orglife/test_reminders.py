"""Reminders to secretaries in the last five working days of a period, and `check_orglife`."""
import datetime as dt

import pytest
from django.core.management import call_command

from ronghe.core.models import Delivery, Notification
from ronghe.org import services as org_services
from ronghe.orglife import services
from ronghe.orglife.reminders import secretaries, send_reminders
from tests import factories as f

D = dt.date


@pytest.fixture
def secretary_user(life):
    return f.user("zhao", person_=life.secretary)


def test_the_branch_secretary_hears_of_the_missing_meetings_once_per_period(life, secretary_user, settings):
    settings.RONGHE_TODAY = "2026-11-24"
    # November 2026 ends on Monday 30th: the 24th is five working days before (25, 26, 27, 30).
    run = send_reminders(as_of=D(2026, 11, 24))
    assert run.sent["orglife.due"] >= 1
    inbox = Notification.objects.get(recipient=secretary_user, title__contains="一区党支部")
    assert "一区党支部" in inbox.title and "支委会" in inbox.body and "2026-11-30" in inbox.body
    again = send_reminders(as_of=D(2026, 11, 25))
    assert again.sent["orglife.due"] == 0 and again.skipped["orglife.due"] >= 1
    assert Notification.objects.filter(recipient=secretary_user).count() == 2  # the branch's and its group's


def test_no_reminder_before_the_window_on_a_day_off_or_when_the_meeting_was_held(life, secretary_user, settings):
    settings.RONGHE_TODAY = "2026-11-30"
    assert send_reminders(as_of=D(2026, 11, 20)).sent["orglife.due"] == 0   # seven working days left
    assert send_reminders(as_of=D(2026, 11, 29)).sent["orglife.due"] == 0   # a Sunday
    for kind, extra in (("committee", {}), ("general_meeting", {}), ("lesson", {"lecturer": life.secretary})):
        services.record_create(actor=life.personas.superuser, party_org=life.org.branch, kind=kind,
                               held_on=D(2026, 11, 10), topic="按时召开", **extra)
    run = send_reminders(as_of=D(2026, 11, 24))
    titles = list(Notification.objects.filter(recipient=secretary_user).values_list("title", flat=True))
    assert len(titles) == 1 and "第一党小组" in titles[0]  # only the group's meeting is still missing
    assert life.org.branch not in run.unreached


def test_a_group_without_a_leader_reaches_its_branchs_secretary_and_the_body_names_the_kinds(life, secretary_user):
    run = send_reminders(as_of=D(2026, 11, 24))
    titles = list(Notification.objects.filter(recipient=secretary_user).values_list("title", flat=True))
    assert any("第一党小组" in t for t in titles) and run.unreached == []


def test_a_secretary_position_counts_as_a_secretary(life):
    org_services.position_assign(actor=f.system_user(), person=life.org.sib_worker, kind="secretary",
                                 party_org=life.org.sib_branch)
    assert secretaries([life.org.sib_branch])[life.org.sib_branch.pk] == [life.org.sib_worker]


def test_a_dry_run_sends_nothing(life, secretary_user):
    run = send_reminders(as_of=D(2026, 11, 24), dry_run=True)
    assert run.sent["orglife.due"] >= 1 and not Delivery.objects.exists()


def test_the_command_sends_and_says_so(life, secretary_user, capsys):
    # Thursday 24 December: five working days before the year's (and Q4's) end; the sibling branch owes its
    # quarter's general meeting and lesson and has nobody recorded as its secretary.
    call_command("send_orglife_reminders", "--as-of", "2026-12-24")
    out = capsys.readouterr().out
    assert "orglife.due: sent" in out and "no secretary to remind: P-CY2-B1" in out


def test_check_orglife_prints_the_missing_requirements_and_exits_0(life, capsys):
    services.record_create(actor=life.personas.superuser, party_org=life.org.branch, kind="committee",
                           held_on=D(2026, 1, 12), topic="研究年度计划")
    call_command("check_orglife", "--as-of", "2026-03-01")
    lines = capsys.readouterr().out.strip().splitlines()
    assert "P-CY1-B1\t一区党支部\t" in lines[0]
    february = [line for line in lines if "2026-02" in line]
    assert {line.split("\t")[0] for line in february} == {"P-CY1-B1", "P-CY1-B1-G1"}
    assert not any("2026-01" in line and line.startswith("P-CY1-B1\t") for line in lines)
    assert f" {len(lines) - 1} " in lines[-1] and "2026-03-01" in lines[-1]
    call_command("check_orglife", "--as-of", "2026-03-01", "--party-org", "P-CY2-B1")
    assert all(line.startswith("P-CY2-B1") for line in capsys.readouterr().out.strip().splitlines()[:-1])
