"""The meetings demo: the reform office's half-monthly meetings of this year and a geology
review each quarter, in the demo oilfield, deterministic and through the services."""
import datetime as dt
from types import SimpleNamespace

from django.core.management import call_command
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from ronghe.core.models import AuditEntry
from ronghe.meetings import selectors
from ronghe.meetings.demo.loader import GEOLOGY_SERIES, REFORM_SERIES, load_meetings_demo
from ronghe.meetings.models import AgendaItem, Attendance, Decision, Meeting, MeetingSeries
from ronghe.org.demo.loader import load_demo
from ronghe.tasks.demo.loader import load_tasks_demo
from tests.once import DemoLoadedOnce

TODAY = dt.date(2026, 11, 25)


def _picture():
    return (list(Meeting.objects.order_by("pk").values_list("date", "state", "number")),
            list(AgendaItem.objects.order_by("pk").values_list("title", "outcome")),
            list(Decision.objects.order_by("pk").values_list("text", "deadline", "state", "task__state")),
            list(Attendance.objects.order_by("pk").values_list("person__employee_no", "status")))


def _load():
    """The demo loaded twice on the same oilfield and plans: the first load is rolled back, and
    what it wrote is kept to compare with the second, which stays."""
    assert load_demo(size="small").loaded
    assert load_tasks_demo().loaded
    with transaction.atomic():
        first = load_meetings_demo()
        assert first.loaded, first.message
        first_picture = _picture()
        transaction.set_rollback(True)
    report = load_meetings_demo()
    assert report.loaded, report.message
    return SimpleNamespace(report=report, first_picture=first_picture)


class TestTheLoadedDemo(DemoLoadedOnce):
    """What the demo holds once loaded; it is loaded once for these tests (tests.once)."""

    load, today = _load, TODAY

    def test_the_reform_office_meets_every_half_month_of_this_year_and_decides(self, demo, settings):
        reform = MeetingSeries.objects.get(name=REFORM_SERIES)
        held = list(reform.meetings.filter(state=Meeting.State.HELD).order_by("date"))
        assert len(held) == 22  # 1 January to 16 November, twice a month
        assert held[0].date == dt.date(2026, 1, 4)  # 1 January is 元旦: moved to the next working day
        assert all(m.date <= TODAY and m.minutes and m.agenda.exists() for m in held)
        assert reform.meetings.filter(state=Meeting.State.PLANNED, date__gt=TODAY).exists()
        decisions = Decision.objects.filter(meeting__series=reform)
        assert decisions.count() >= 20
        assert decisions.filter(task__isnull=False).count() * 3 >= decisions.count()
        assert AgendaItem.objects.filter(meeting__series=reform, source="task").exists()
        assert AgendaItem.objects.filter(meeting__series=reform, source="decision").exists()
        # The loop closes: most decisions are done, some are still open and come back.
        states = [selectors.decision_state(d) for d in decisions.select_related("task")]
        assert states.count("done") > states.count("open") > 0
        upcoming = reform.meetings.filter(date__gt=TODAY).order_by("date").first()
        from ronghe.org.demo.loader import system_actor

        assert any(p.decision for p in selectors.proposals(upcoming, system_actor()))
        assert any(p.task and p.light == "red" for p in selectors.proposals(upcoming, system_actor()))

    def test_the_geology_review_is_held_each_quarter_with_the_secretaries(self, demo):
        geology = MeetingSeries.objects.get(name=GEOLOGY_SERIES)
        held = list(geology.meetings.filter(state=Meeting.State.HELD).order_by("date"))
        assert [m.scheduled_for for m in held] == [dt.date(2026, m, 25) for m in (1, 4, 7, 10)]
        from ronghe.org.demo.loader import system_actor

        stats = selectors.secretary_attendance(system_actor(), kind="geology_review", start=dt.date(2026, 1, 1),
                                               end=dt.date(2026, 12, 31))
        assert len(stats.meetings) == 4 and stats.units and stats.expected == 4 * len(stats.units)
        assert 0 < stats.present < stats.expected
        assert any(line.substitute for line in stats.units)

    def test_it_is_deterministic_audited_and_loads_once(self, demo):
        assert demo.first_picture[0] and _picture() == demo.first_picture
        assert AuditEntry.objects.filter(action="decision.create").count() == Decision.objects.count()
        assert not load_meetings_demo().loaded and _picture() == demo.first_picture


def test_load_meetings_demo_needs_the_five_ones_plans(db, settings, capsys):
    settings.RONGHE_TODAY = TODAY.isoformat()
    call_command("load_meetings_demo")
    with translation.override(settings.LANGUAGE_CODE):
        expected = gettext("The Five-Ones demo plans are not loaded, so neither are the meetings.")
    assert expected in capsys.readouterr().out and not MeetingSeries.objects.exists()
