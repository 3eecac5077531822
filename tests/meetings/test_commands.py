"""The scheduled commands: generating the series' meetings and sending the notices of the coming
ones, both idempotent."""
import datetime as dt

from django.core.management import call_command

from ronghe.core.models import Notification
from ronghe.core.scheduler import all_jobs
from ronghe.meetings.models import Meeting

D = dt.date


def test_generate_meetings_creates_up_to_the_date_once(reform, capsys):
    call_command("generate_meetings", "--until", "2026-07-31")
    assert "4 meetings created up to 2026-07-31" in capsys.readouterr().out
    call_command("generate_meetings", "--until", "2026-07-31")
    assert "0 meetings created" in capsys.readouterr().out
    assert Meeting.objects.count() == 4


def test_generate_meetings_looks_two_months_ahead_by_default(reform):
    call_command("generate_meetings")
    assert Meeting.objects.order_by("date").last().date == D(2026, 8, 17)  # 16 August is a Sunday


def test_notices_go_out_for_meetings_within_two_working_days_once(reform, capsys, settings):
    call_command("generate_meetings", "--until", "2026-07-31")
    call_command("send_meeting_notices", "--as-of", "2026-06-29")
    assert "messages for 1 meetings" in capsys.readouterr().out
    assert Notification.objects.filter(recipient=reform.owner_user, category="meetings").count() == 1
    call_command("send_meeting_notices", "--as-of", "2026-06-30")
    assert Notification.objects.filter(recipient=reform.owner_user, category="meetings").count() == 1


def test_both_commands_are_scheduled():
    commands = {job.command for job in all_jobs()}
    assert {"generate_meetings", "send_meeting_notices"} <= commands
