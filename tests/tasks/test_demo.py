"""The Five-Ones demo: the report's plans in the demo oilfield, every light and failure mode
showing today, written through the task services."""
import datetime as dt
import io
from collections import Counter
from random import Random

import openpyxl
import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import translation

from ronghe.accounts.models import User
from ronghe.core.models import AuditEntry
from ronghe.core.workdays import Calendar
from ronghe.org.demo.loader import load_demo
from ronghe.org.models import Unit
from ronghe.tasks import exporters, rules, selectors
from ronghe.tasks.demo import content
from ronghe.tasks.demo.loader import load_tasks_demo
from ronghe.tasks.demo.timelines import Profile, timeline
from ronghe.tasks.importers import TaskImporter
from ronghe.tasks.models import Chase, Extension, Plan, Task
from ronghe.tasks.rules import Cycle, Light, Mode
from tests.once import DemoLoadedOnce

TODAY = dt.date(2026, 11, 25)

# What each profile shows: its light and, where it matters, exactly which failure modes.
EXPECTED = {
    Profile.DRAFT: (Light.GREY, ()), Profile.NOT_STARTED: (Light.GREY, ()), Profile.ON_TRACK: (Light.GREEN, ()),
    Profile.DUE_SOON: (Light.BLUE, (Mode.DUE_SOON,)), Profile.MILESTONE_SOON: (Light.BLUE, (Mode.DUE_SOON,)),
    Profile.UNACKNOWLEDGED: (Light.YELLOW, (Mode.NO_RESPONSE,)), Profile.IGNORED: (Light.RED, None),
    Profile.REPORT_LATE: (Light.YELLOW, (Mode.NO_PROGRESS,)), Profile.SILENT: (Light.RED, None),
    Profile.MILESTONE_MISSED: (Light.RED, None), Profile.LAGGING: (Light.YELLOW, (Mode.NO_PROGRESS,)),
    Profile.FAR_BEHIND: (Light.RED, None), Profile.BLOCKED: (Light.YELLOW, (Mode.BLOCKED,)),
    Profile.OVERDUE: (Light.RED, None), Profile.EXTENDED: (Light.GREEN, ()),
    Profile.EXTENSION_PENDING: (Light.YELLOW, (Mode.NO_PROGRESS,)), Profile.SUBMITTED: (Light.GREEN, ()),
    Profile.RETURNED: (Light.GREEN, ()), Profile.DONE_ON_TIME: (Light.DONE, ()), Profile.CLOSED: (Light.DONE, ()),
    Profile.DONE_LATE: (Light.DONE, ()), Profile.CANCELLED: (Light.CANCELLED, ()),
}
COMPLETION = {Profile.DONE_ON_TIME: "on_time", Profile.CLOSED: "on_time", Profile.DONE_LATE: "late"}


def facts(line) -> rules.TaskFacts:
    """The engine's view of a task that lived `line` through the services."""
    if line.issued_on is None:
        state = "draft"
    elif line.cancelled_on:
        state = "cancelled"
    elif line.evaluated:
        state = "closed"
    elif line.accepted_on:
        state = "completed"
    elif line.returned_on:
        state = "returned"
    elif line.submitted_on:
        state = "completion_submitted"
    else:
        state = "in_progress" if line.reports else ("acknowledged" if line.acknowledged_on else "issued")
    return rules.TaskFacts(
        state=state, deadline=line.current_deadline, baseline_deadline=line.deadline, start_date=line.start,
        issued_on=line.issued_on, acknowledged_on=line.acknowledged_on,
        completion_submitted_on=None if line.returned_on else line.submitted_on,
        completed_on=line.submitted_on if line.accepted_on else None, cancelled_on=line.cancelled_on,
        cycle=line.cycle, blocked_since=line.blocked_on, reports=[rules.Report(r.on, r.percent) for r in line.reports],
        milestones=[rules.Milestone(i, n.due, n.done_on) for i, n in enumerate(line.nodes)],
        extensions=[rules.Extension(line.extension_decided_on, line.extension_deadline)]
        if line.extension_decided_on else [])


# --- the profiles, without a database ----------------------------------------------------------------

@pytest.mark.parametrize("cycle", list(Cycle))
def test_every_profile_shows_its_light_on_every_day_of_the_year(cycle):
    calendar = Calendar(overrides={})  # China's calendar as the library knows it: 2026's holidays and 调休
    failures = []
    for offset in range(366):
        today = dt.date(2026, 1, 1) + dt.timedelta(days=offset)
        for profile, (light, codes) in EXPECTED.items():
            line = timeline(profile, today, calendar, Random(offset), cycle)
            status = rules.evaluate(facts(line), today, calendar)
            happened = [line.issued_on, line.acknowledged_on, line.blocked_on, line.extension_requested_on,
                        line.extension_decided_on, line.submitted_on, line.returned_on, line.accepted_on,
                        line.cancelled_on, *[r.on for r in line.reports], *[n.done_on for n in line.nodes]]
            if (status.light != light or (codes is not None and status.codes != codes)
                    or status.completion != COMPLETION.get(profile)
                    or any(day and day > today for day in happened)):
                failures.append((today, profile, status.light, status.codes))
    assert failures == []


def test_nodes_lie_between_the_start_and_the_deadline_and_reports_only_rise():
    calendar = Calendar(overrides={})
    for profile in Profile:
        line = timeline(profile, TODAY, calendar, Random(1))
        assert all(line.start <= node.due <= line.current_deadline for node in line.nodes), profile
        percents = [r.percent for r in line.reports]
        assert percents == sorted(percents) and all(0 <= p <= 100 for p in percents), profile
        if line.acknowledged_on:
            assert all(r.on >= line.acknowledged_on for r in line.reports), profile


def test_the_content_has_the_reports_figures():
    three, oil = content.MASTER_PLANS
    assert (three.name, len(three.tasks)) == ("三项制度改革总方案", 19)
    assert (oil.name, len(oil.tasks)) == ("“油公司”模式改革总方案", 13)
    assert sum(1 for task in three.tasks if task.sub_plan) == 10
    assert {task.profile for plan in content.MASTER_PLANS for task in plan.tasks} >= {
        Profile.DRAFT, Profile.ON_TRACK, Profile.DUE_SOON, Profile.UNACKNOWLEDGED, Profile.IGNORED,
        Profile.BLOCKED, Profile.OVERDUE, Profile.EXTENDED, Profile.CLOSED, Profile.DONE_LATE, Profile.CANCELLED}


# --- loaded into the demo oilfield -------------------------------------------------------------------

def _load():
    assert load_demo(size="small").loaded
    report = load_tasks_demo()
    assert report.loaded
    return report


def _statuses(as_of=None):
    rows = list(selectors.with_facts(Task.objects.select_related("plan")))
    return rows, selectors.statuses(rows, as_of)


class TestTheLoadedDemo(DemoLoadedOnce):
    """What the demo holds once loaded; it is loaded once for these tests (tests.once)."""

    load, today = _load, TODAY

    def test_every_light_and_every_failure_mode_shows_up_today(self, demo):
        rows, statuses = _statuses()
        lights = Counter(status.light for status in statuses.values())
        assert set(lights) == set(Light)
        assert {code for status in statuses.values() for code in status.codes} == set(Mode)
        completions = {s.completion for s in statuses.values() if s.light == Light.DONE}
        assert completions == {rules.Completion.ON_TIME, rules.Completion.LATE}
        assert set(Task.objects.values_list("state", flat=True)) == set(Task.State)

    def test_the_plans_are_the_reports_written_through_the_audited_services(self, demo):
        office = Unit.objects.get(code=content.REFORM_OFFICE)
        three = Plan.objects.get(name="三项制度改革总方案", unit=office, kind=Plan.Kind.MASTER)
        oil = Plan.objects.get(name="“油公司”模式改革总方案", unit=office, kind=Plan.Kind.MASTER)
        assert three.tasks.filter(parent=None).count() == 19 and oil.tasks.filter(parent=None).count() == 13
        assert oil.tasks.filter(parent__number="3").count() == 3
        subs = Plan.objects.filter(kind=Plan.Kind.SUB)
        assert subs.count() == 10 and set(subs.values_list("unit__code", flat=True)) == {content.ORGANISATION_DEPT}
        assert set(subs.values_list("parent_task__plan", flat=True)) == {three.pk}
        assert all(plan.tasks.exists() for plan in subs)
        company = Unit.objects.get(code="LH")
        for task in Task.objects.filter(plan__in=[three, oil], parent=None).select_related("leader", "responsible"):
            assert task.leader.unit == company, task  # a company leader is in charge
            assert task.responsible.unit.path.startswith(task.lead_unit.path) or task.lead_unit == task.responsible.unit
            assert task.co_units.exists() and task.team.filter(role="组长", person=task.leader).exists()
            assert task.milestones.count() == 3 and task.goal and task.measures
        assert demo.counts == {"plans": 12, "sub_plans": 10, "tasks": Task.objects.count(), "chases": 2}
        cy_admin = User.objects.get(username="cy_admin")  # a plant's admin sees the plant's tasks
        names = set(selectors.tasks(cy_admin).values_list("name", flat=True))
        assert "茨榆坨采油厂作业区改革试点" in names and "规范劳务派遣和业务外包用工" not in names

        system = User.objects.get(username="system")
        actions = Counter(AuditEntry.objects.filter(action__startswith="task.").values_list("action", flat=True))
        assert actions["task.create"] == Task.objects.count()
        assert {"task.issue", "task.acknowledge", "task.report", "task.milestone_done", "task.block",
                "task.extension_request", "task.extension_approve", "task.submit_completion", "task.return",
                "task.complete", "task.evaluate", "task.cancel", "task.chase"} <= set(actions)
        assert set(AuditEntry.objects.filter(action__startswith="task.").values_list("actor", flat=True)) == {system.pk}
        extended = Extension.objects.get(status=Extension.Status.APPROVED).task
        assert extended.baseline_deadline < TODAY < extended.deadline

    def test_the_demo_ledger_imports_back_unchanged_and_loading_again_changes_nothing(self, demo):
        admin = User.objects.get(username="admin")
        _rows, statuses = _statuses()
        rows = list(selectors.with_facts(selectors.tasks(admin)))
        content_ = exporters.ledger_xlsx(rows, statuses, admin)
        sheet = openpyxl.load_workbook(io.BytesIO(content_))["督办台账"]
        assert sheet.max_row == 2 + Task.objects.count()
        result = TaskImporter(actor=admin).run_file(content_, "ledger.xlsx")
        assert result.as_text_lines() == []
        assert result.counts["unchanged"] == Task.objects.count()
        before = (Plan.objects.count(), Task.objects.count(), AuditEntry.objects.count())
        with translation.override("en"):
            again = load_tasks_demo()
        assert not again.loaded and "already loaded" in again.message
        assert (Plan.objects.count(), Task.objects.count(), AuditEntry.objects.count()) == before

    def test_the_first_red_key_tasks_are_chased_with_a_notice(self, demo):
        rows, statuses = _statuses()
        chases = list(Chase.objects.select_related("task", "issuer").order_by("serial"))
        assert [c.number for c in chases] == [f"督办〔{TODAY.year}〕第1号", f"督办〔{TODAY.year}〕第2号"]
        assert all(statuses[c.task_id].light == Light.RED and c.task.parent_id is None for c in chases)
        assert {c.issuer.code for c in chases} == {content.REFORM_OFFICE}
        assert all(c.recipients.filter(pk=c.task.responsible_id).exists() for c in chases)


def test_it_loads_on_new_years_day_with_every_light(db, settings):
    settings.RONGHE_TODAY = "2027-01-01"
    assert load_demo(size="small").loaded and load_tasks_demo().loaded
    _rows, statuses = _statuses()
    assert {status.light for status in statuses.values()} == set(Light)
    assert {code for status in statuses.values() for code in status.codes} == set(Mode)


# --- the commands --------------------------------------------------------------------------------

def test_load_demo_loads_the_plans_with_the_organisation_and_once(db, settings, capsys):
    settings.RONGHE_TODAY = TODAY.isoformat()
    call_command("load_demo", "--size", "small")
    out = capsys.readouterr().out
    assert Plan.objects.filter(name=content.THREE_SYSTEMS).exists()
    # Other modules' demos may add tasks of their own (meeting decisions): count the plans' tasks.
    masters = Plan.objects.filter(unit__code=content.REFORM_OFFICE, kind=Plan.Kind.MASTER,
                                  name__in=[m.name for m in content.MASTER_PLANS])
    ours = Task.objects.filter(Q(plan__in=masters) | Q(plan__parent_task__plan__in=masters)).count()
    assert f"  tasks: {ours}\n  chases: 2" in out
    before = (Task.objects.count(), AuditEntry.objects.count())
    call_command("load_demo", "--size", "small")
    assert (Task.objects.count(), AuditEntry.objects.count()) == before


def test_load_tasks_demo_adds_the_plans_to_an_older_demo_and_needs_the_oilfield(db, settings, capsys):
    settings.RONGHE_TODAY = TODAY.isoformat()
    call_command("load_tasks_demo")
    assert not Plan.objects.exists()
    assert load_demo(size="small").loaded
    call_command("load_tasks_demo")
    assert Plan.objects.count() == 12
    call_command("load_tasks_demo")
    assert Plan.objects.count() == 12


