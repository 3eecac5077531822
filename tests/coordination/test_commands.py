"""The scheduler's commands: escalation and reminders, idempotent, with --as-of and --dry-run."""
import datetime as dt
import io

from django.core.management import call_command

from ronghe.coordination.models import Request
from ronghe.coordination.reminders import send_reminders
from ronghe.core.models import Notification
from ronghe.core.scheduler import all_jobs

D = dt.date


def _run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_escalation_runs_once_a_day_and_dry_run_changes_nothing(coord, raise_one):
    request = raise_one(on=D(2026, 6, 15))
    assert "would escalate 1 requests" in _run("escalate_requests", "--as-of", "2026-06-30", "--dry-run")
    assert Request.objects.get(pk=request.pk).escalation_level == 0
    assert "escalated 1 requests" in _run("escalate_requests", "--as-of", "2026-06-30")
    assert "escalated 0 requests" in _run("escalate_requests", "--as-of", "2026-06-30")
    assert Request.objects.get(pk=request.pk).escalation_level == 1


def test_reminders_go_to_the_addressee_before_and_after_the_due_date_once_a_day(coord, raise_one):
    raise_one(on=D(2026, 6, 22))      # due Monday 29 June
    soon = send_reminders(as_of=D(2026, 6, 26))
    assert soon.sent["coordination.due_soon"] == 1
    assert send_reminders(as_of=D(2026, 6, 26)).sent["coordination.due_soon"] == 0
    late = send_reminders(as_of=D(2026, 6, 30))
    assert late.sent["coordination.overdue"] == 1 and late.sent["coordination.overdue_raiser"] == 1
    titles = list(Notification.objects.filter(recipient=coord.dept_head).values_list("title", flat=True))
    assert any("Answer overdue" in t or "答复已超期" in t for t in titles)
    assert "coordination.overdue: sent 0, already sent 1" in _run("send_request_reminders", "--as-of", "2026-06-30")


def test_an_answered_request_is_not_reminded(coord, raise_one):
    from ronghe.coordination import services

    request = raise_one(on=D(2026, 6, 22))
    services.request_answer(actor=coord.dept_admin, request=request, answer="已答复。")
    assert sum(send_reminders(as_of=D(2026, 6, 30)).sent.values()) == 0


def test_both_commands_are_scheduled():
    commands = {job.command for job in all_jobs()}
    assert {"escalate_requests", "send_request_reminders"} <= commands


def test_a_bad_date_is_refused(db):
    from django.core.management.base import CommandError

    for command in ("escalate_requests", "send_request_reminders"):
        try:
            _run(command, "--as-of", "30/06/2026")
        except CommandError:
            continue
        raise AssertionError(f"{command} accepted a bad date")
