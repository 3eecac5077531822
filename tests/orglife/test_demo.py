"""The 三会一课 demo: a year of records for the demo oilfield's branches and groups, with gaps."""
import datetime as dt

from django.core.management import call_command
from django.db.models import F

from ronghe.accounts.models import RoleAssignment, User
from ronghe.core.models import AuditEntry
from ronghe.org.demo.loader import load_demo
from ronghe.orglife import rules, selectors
from ronghe.orglife.demo.loader import load_orglife_demo
from ronghe.orglife.models import Attendance, Record
from tests.once import DemoLoadedOnce

TODAY = dt.date(2026, 11, 25)


def _load():
    assert load_demo(size="small").loaded
    report = load_orglife_demo()
    assert report.loaded, report.message
    return report


class TestTheLoadedDemo(DemoLoadedOnce):
    """What the demo holds once loaded; it is loaded once for these tests (tests.once)."""

    load, today = _load, TODAY

    def test_the_year_shows_mostly_green_with_missing_late_and_pending_requirements(self, demo):
        cells = selectors.cells_for(selectors.orgs_in(None, None, 2026), 2026, TODAY)
        statuses = {c.status for c in cells}
        assert {rules.Status.HELD, rules.Status.LATE, rules.Status.MISSING, rules.Status.PENDING} <= statuses
        r = rules.rates(cells)
        assert 0.85 < r.compliance_rate < 0.99
        assert Record.objects.filter(makeup_for__isnull=False).count() == demo.counts["make_ups"] > 0
        assert Record.objects.filter(held_on__gt=TODAY).count() == 0
        assert Record.objects.filter(held_on__lt=TODAY - dt.timedelta(days=365)).count() == 0

    def test_every_record_lists_its_members_and_lessons_name_a_lecturer(self, demo):
        assert Record.objects.count() == demo.counts["records"]
        assert Attendance.objects.count() == demo.counts["attendance"]
        assert not Record.objects.filter(attendance__isnull=True).exists()
        assert not Record.objects.filter(kind="lesson", lecturer__isnull=True).exists()
        present = Attendance.objects.filter(status="present").count() / Attendance.objects.count()
        assert 0.8 < present < 0.95
        assert not Attendance.objects.exclude(
            person__membership__party_org__path__startswith=F("record__party_org__path")).exists()

    def test_the_branch_secretary_sees_their_branch_only(self, demo):
        secretary = User.objects.get(username="zb_secretary")
        mine = selectors.records(secretary)
        assert mine.exists()
        branch = RoleAssignment.objects.get(user=secretary).party_org
        assert not mine.exclude(party_org__path__startswith=branch.path).exists()
        assert mine.count() < Record.objects.count()

    def test_it_loads_once_with_one_audit_entry(self, demo):
        assert AuditEntry.objects.filter(action="import.orglife").count() == 1
        again = load_orglife_demo()
        assert not again.loaded and Record.objects.count() == demo.counts["records"]


def test_load_demo_brings_the_records_and_the_command_adds_them_to_an_older_demo(db, settings, capsys):
    settings.RONGHE_TODAY = TODAY.isoformat()
    call_command("load_orglife_demo")
    assert not Record.objects.exists()
    call_command("load_demo", "--size", "small")
    loaded = Record.objects.count()
    assert loaded > 0 and "records" in capsys.readouterr().out
    call_command("load_orglife_demo")
    assert Record.objects.count() == loaded


def test_it_is_deterministic(db, settings):
    settings.RONGHE_TODAY = TODAY.isoformat()
    load_demo(size="small")
    load_orglife_demo()
    first = list(Record.objects.order_by("party_org__code", "kind", "held_on").values_list(
        "party_org__code", "kind", "held_on", "makeup_for", "topic"))
    Attendance.objects.all().delete()
    Record.objects.all().delete()
    load_orglife_demo()
    again = list(Record.objects.order_by("party_org__code", "kind", "held_on").values_list(
        "party_org__code", "kind", "held_on", "makeup_for", "topic"))
    assert first == again
