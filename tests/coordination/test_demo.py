"""The coordination demo: the loss-making units' requests in the small demo oilfield, written
through the services, twelve answered, some open, one escalated, two from tasks."""
import datetime as dt

from django.core.management import call_command

from ronghe.coordination import selectors
from ronghe.coordination.demo.loader import load_coordination_demo
from ronghe.coordination.models import Request
from ronghe.core.models import AuditEntry
from ronghe.org.demo.loader import load_demo
from ronghe.tasks.demo.loader import load_tasks_demo

TODAY = dt.date(2026, 11, 25)


def test_the_demo_shows_twelve_answered_some_open_and_one_escalated(db, settings):
    settings.RONGHE_TODAY = TODAY.isoformat()
    load_demo(size="small")
    load_tasks_demo()
    load_coordination_demo()
    assert Request.objects.filter(answered_on__isnull=False, task__isnull=True).count() == 12
    assert Request.objects.filter(task__isnull=False, state="closed").count() == 2
    assert Request.objects.filter(state__in=Request.AWAITING_ANSWER).count() >= 4
    escalated = Request.objects.get(escalation_level=1)
    assert escalated.handling_unit.code == "LH" and escalated.answer_due < TODAY
    assert Request.objects.filter(state="forwarded").count() == 1
    assert AuditEntry.objects.filter(action="coordination.raise").count() == Request.objects.count()
    from ronghe.accounts.models import User

    root = User.objects.filter(is_superuser=True).first()
    stats = selectors.statistics(root, start=TODAY - dt.timedelta(days=200), end=TODAY - dt.timedelta(days=30),
                                 filters=selectors.Filters(to_unit="", from_unit=""))
    loss_making = [row for row in stats.groups["from_unit"] if row.code in ("ZLGS", "YJGS", "JXZZ", "HJGC", "GCJS")]
    assert sum(row.figures.raised for row in loss_making) == 12
    assert all(row.figures.all_answered for row in loss_making)
    assert stats.total.answered_on_time == stats.total.answered - 1   # one answered late


def test_loading_again_changes_nothing(db, settings):
    settings.RONGHE_TODAY = TODAY.isoformat()
    assert not load_coordination_demo().loaded   # no demo oilfield yet
    load_demo(size="small")
    assert load_coordination_demo().loaded
    count = Request.objects.count()
    call_command("load_coordination_demo")
    assert Request.objects.count() == count
