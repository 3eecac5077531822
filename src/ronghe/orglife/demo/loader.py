"""A year of 三会一课 for the demo oilfield: every 党支部 and 党小组 holds its meetings and
lessons over the twelve months up to today, with attendance, and a few gaps — meetings missed,
some made up late (补开), the current period still open for some — so the matrix, the rates,
the reminders and the 通报 have something true to show. Deterministic (a seeded generator, dates
from the business clock) and fast: rows go in with bulk_create, one audit entry for the batch."""
import datetime as dt
import time
from dataclasses import dataclass, field
from random import Random

from django.db import transaction
from django.utils.translation import gettext as _

from ronghe.core import audit, clock
from ronghe.org.demo import oilfield
from ronghe.org.demo.loader import system_actor
from ronghe.org.models import PartyMembership, PartyOrg
from ronghe.orglife import rules
from ronghe.orglife.models import Attendance, Kind, Record
from ronghe.orglife.reminders import SECRETARY_POSTS

SEED = 2026
BATCH = 2000
MISS = 0.05        # share of requirements of ended periods never held
LATE = 0.4         # share of those missed that are made up in the next period
OPEN = 0.35        # share of requirements of the current period not held yet
ATTENDANCE = ((Attendance.Status.PRESENT, 0.88), (Attendance.Status.LEAVE, 0.09), (Attendance.Status.ABSENT, 0.03))
COMMITTEE_POSTS = ("书记", "委员")

TOPICS = {
    Kind.GENERAL_MEETING: ["学习贯彻党的二十届四中全会精神", "讨论接收预备党员", "民主评议党员", "通报季度党建工作",
                           "选举出席上级党代会代表", "审议支部年度工作计划", "讨论“油公司”模式改革实施方案"],
    Kind.COMMITTEE: ["研究发展党员工作", "研究月度生产经营重点", "研究党员先锋岗设岗定责", "研究党费收缴情况",
                     "研究主题党日活动安排", "研究困难党员帮扶", "研究安全生产责任落实", "研究生产难题攻关"],
    Kind.GROUP_MEETING: ["学习党章党规", "交流岗位建功心得", "开展批评与自我批评", "学习安全生产规章",
                         "讨论班组降本增效措施", "学习先进典型事迹"],
    Kind.LESSON: ["弘扬石油精神 保障能源安全", "以高质量党建引领高质量发展", "全面从严治党永远在路上",
                  "传承“铁人精神” 争当岗位先锋", "深化党建与生产经营融合"],
    Kind.THEME_DAY: ["重温入党誓词", "党员义务奉献日", "走进基层一线", "安全隐患排查主题党日", "“我为群众办实事”"],
}
ROOMS = {Kind.LESSON: "党员活动室", Kind.THEME_DAY: "生产现场"}


@dataclass
class OrglifeDemoReport:
    loaded: bool
    message: str
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0


def is_loaded() -> bool:
    return Record.objects.filter(party_org__path__startswith=_company_path()).exists() if _company_path() else False


def _company_path():
    company = PartyOrg.objects.filter(code=oilfield.COMPANY_PARTY_CODE).only("path").first()
    return company.path if company else None


def load_orglife_demo() -> OrglifeDemoReport:
    """Idempotent: nothing happens when the demo records are there, or when the demo oilfield is not."""
    if _company_path() is None:
        return OrglifeDemoReport(False, _("The demo oilfield is not loaded, so neither are the 三会一课 demo records."))
    if is_loaded():
        return OrglifeDemoReport(False, _("The 三会一课 demo records are already loaded; nothing changed."))
    started = time.monotonic()
    with transaction.atomic():
        counts = _Loader(clock.today()).load()
    return OrglifeDemoReport(True, _("The 三会一课 demo records are loaded."), counts, time.monotonic() - started)


class _Loader:
    def __init__(self, today: dt.date):
        self.today = today
        self.first = today - dt.timedelta(days=365)
        self.rng = Random(SEED)
        self.orgs = list(PartyOrg.objects.filter(path__startswith=_company_path(), abolished_on=None,
                                                 kind__in=[PartyOrg.Kind.BRANCH, PartyOrg.Kind.GROUP])
                         .order_by("path"))
        self.members = {}
        self.leaders = {}
        memberships = (PartyMembership.objects.filter(person__is_active=True, party_org__in=self.orgs)
                       .select_related("party_org").order_by("person__employee_no")
                       .values_list("person_id", "party_org__path", "party_org_id", "party_post"))
        own = {}
        for person_id, path, org_id, post in memberships:
            own.setdefault(org_id, []).append((person_id, path, post))
        by_path = sorted((o.path, o.pk) for o in self.orgs)
        for org in self.orgs:
            people = []
            for path, org_id in by_path:
                if path.startswith(org.path):
                    people += own.get(org_id, [])
            self.members[org.pk] = people
            self.leaders[org.pk] = next((p for p, _path, post in own.get(org.pk, []) if post in SECRETARY_POSTS),
                                        people[0][0] if people else None)

    def periods(self, frequency):
        out, day = [], self.first
        while day <= self.today:
            period = rules.period_of(day, frequency)
            if period.end >= self.first:
                out.append(period)
            day = period.end + dt.timedelta(days=1)
        return out

    def load(self) -> dict:
        plan = {PartyOrg.Kind.BRANCH: [(Kind.GENERAL_MEETING, rules.Frequency.QUARTER),
                                       (Kind.LESSON, rules.Frequency.QUARTER),
                                       (Kind.COMMITTEE, rules.Frequency.MONTH),
                                       (Kind.THEME_DAY, rules.Frequency.MONTH)],
                PartyOrg.Kind.GROUP: [(Kind.GROUP_MEETING, rules.Frequency.MONTH)]}
        records, attendees = [], []
        for org in self.orgs:
            people = self.members[org.pk]
            for kind, frequency in plan[org.kind]:
                if kind == Kind.COMMITTEE and len(people) < 7:
                    continue  # too few members for a committee: exempt
                for period in self.periods(frequency):
                    made = self.meeting(org, kind, period, people)
                    if made is not None:
                        records.append(made)
                        attendees.append(self.attendance(kind, people))
        Record.objects.bulk_create(records, batch_size=BATCH)
        rows = [Attendance(record_id=record.pk, person_id=person_id, status=status)
                for record, listed in zip(records, attendees, strict=True) for person_id, status in listed]
        Attendance.objects.bulk_create(rows, batch_size=BATCH)
        counts = {"records": len(records), "attendance": len(rows),
                  "make_ups": sum(1 for r in records if r.makeup_for)}
        audit.record(actor=system_actor(), action="import.orglife", object_type="import", object_id="demo",
                     object_repr="orglife demo", after={"counts": counts},
                     message=_("三会一课 demo records: %(records)d records, %(attendance)d attendance rows.") % counts)
        return counts

    def meeting(self, org, kind, period, people):
        """The record of one requirement, or None when it was (or is still) not held."""
        rng = self.rng
        current = period.start <= self.today <= period.end
        if current:
            if rng.random() < OPEN:
                return None
            last = self.today
        else:
            last = period.end
        first = max(period.start, self.first)
        if first > last:
            return None
        makeup_for = None
        if not current and rng.random() < MISS:
            if rng.random() >= LATE:
                return None
            makeup_for = first
            first = period.end + dt.timedelta(days=1)
            last = min(period.end + dt.timedelta(days=20), self.today)
            if first > last:
                return None
        held_on = first + dt.timedelta(days=rng.randint(0, (last - first).days))
        host = self.leaders[org.pk]
        return Record(party_org=org, kind=kind, held_on=held_on, makeup_for=makeup_for,
                      topic=rng.choice(TOPICS[kind]), location=ROOMS.get(kind, "党员活动室"),
                      host_id=host, lecturer_id=host if kind == Kind.LESSON else None,
                      minutes=_minutes(kind, org.name))

    def attendance(self, kind, people):
        if kind == Kind.COMMITTEE:
            people = [p for p in people if any(w in p[2] for w in COMMITTEE_POSTS)] or people[:5]
        listed = []
        for person_id, _path, _post in people:
            roll, status = self.rng.random(), Attendance.Status.PRESENT
            for candidate, share in ATTENDANCE:
                if roll < share:
                    status = candidate
                    break
                roll -= share
            listed.append((person_id, status))
        return listed


CHINESE = {Kind.GENERAL_MEETING: "支部党员大会", Kind.COMMITTEE: "支委会", Kind.GROUP_MEETING: "党小组会",
           Kind.LESSON: "党课", Kind.THEME_DAY: "主题党日活动"}


def _minutes(kind, org_name) -> str:
    return f"{org_name}召开{CHINESE[kind]}。会议传达学习了上级有关精神，结合本单位生产经营实际进行了讨论，明确了下一步工作措施和责任人。"
