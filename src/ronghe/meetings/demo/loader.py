"""Load the meetings demo into the demo oilfield: the reform office's half-monthly meetings of
this year (改革办例会) reviewing the Five-Ones master plans — agendas built from what was red or
blocked on each meeting's day and from the open decisions of earlier meetings, minutes,
decisions, half of them turned into tasks that are then acknowledged and completed, or left
late — and a geological measures review (地质措施论证会) each quarter attended by the
production plants' Party secretaries. Everything goes through the services as the `system`
user, in date order, in one transaction; a fixed seed makes it the same every time."""
import datetime as dt
import time
from dataclasses import dataclass, field
from random import Random

from django.db import transaction
from django.utils.translation import gettext as _

from ronghe.core import clock
from ronghe.core.workdays import Calendar
from ronghe.meetings import selectors, services
from ronghe.meetings.models import AgendaItem, Attendance, Decision, Kind, Meeting, MeetingSeries
from ronghe.org.demo import oilfield
from ronghe.org.demo.loader import system_actor
from ronghe.org.models import Person, Position, Unit
from ronghe.tasks import services as task_services
from ronghe.tasks.demo import content
from ronghe.tasks.models import Plan

SEED = 2026
REFORM_SERIES = "改革办例会"
GEOLOGY_SERIES = "地质措施论证会"
GEOLOGY_ORGANISER = "LH-KFC"
STUCK_PER_MEETING = 3
AWAY_REASONS = ("参加集团公司会议", "外出调研", "出差", "参加党校培训")
# Topics the office puts on the agenda itself, in turn: (item, lead unit, what is decided).
TOPICS = (
    ("研究机关部门“三定”方案修订意见", "LH-ZZB", "修改完善机关部门“三定”方案，提交领导小组审议"),
    ("研究岗位价值评估和薪酬套改方案", "LH-RLZY", "完成岗位价值评估，形成薪酬套改测算报告"),
    ("研究“油公司”模式下市场化用工配套制度", "LH-RLZY", "起草市场化用工管理办法征求意见稿"),
    ("研究亏损单位扭亏解困考核办法", "LH-CWC", "制定亏损单位减亏考核细则并纳入年度考核"),
    ("研究内部市场化结算价格体系", "LH-JHC", "梳理内部结算价格目录，提出调整建议"),
    ("研究改革任务督办考核评价办法", "LH-QGFG", "修订改革任务督办考核评价办法，明确红黄灯扣分标准"),
)


@dataclass
class MeetingsDemoReport:
    loaded: bool
    message: str
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0


def is_loaded() -> bool:
    return MeetingSeries.objects.filter(name=REFORM_SERIES, organiser_unit__code=content.REFORM_OFFICE).exists()


def load_meetings_demo() -> MeetingsDemoReport:
    """Idempotent: nothing happens when the series are there already, or when the Five-Ones
    demo plans (what the reform office's meetings review) are not."""
    if is_loaded():
        return MeetingsDemoReport(False, _("The meetings demo is already loaded; nothing changed."))
    if not Plan.objects.filter(name=content.THREE_SYSTEMS, unit__code=content.REFORM_OFFICE).exists():
        return MeetingsDemoReport(False, _("The Five-Ones demo plans are not loaded, so neither are the meetings."))
    started = time.monotonic()
    with transaction.atomic():
        _Loader(system_actor(), clock.today(), Calendar()).load()
    counts = {
        "series": MeetingSeries.objects.count(),
        "meetings": Meeting.objects.count(),
        "held": Meeting.objects.filter(state=Meeting.State.HELD).count(),
        "agenda_items": AgendaItem.objects.count(),
        "decisions": Decision.objects.count(),
        "decision_tasks": Decision.objects.filter(task__isnull=False).count(),
        "attendance": Attendance.objects.count(),
    }
    return MeetingsDemoReport(True, _("The meetings demo is loaded."), counts, time.monotonic() - started)


class _Loader:
    def __init__(self, actor, today, calendar):
        self.actor, self.today, self.calendar = actor, today, calendar
        self.rng = Random(SEED)
        self.units = {u.code: u for u in Unit.objects.filter(abolished_on=None)}
        self.heads, self.in_charge, self.secretaries = {}, {}, {}
        for p in (Position.objects.filter(kind__in=["head", "in_charge"], unit__isnull=False)
                  .select_related("person").order_by("sort_order", "id")):
            (self.heads if p.kind == "head" else self.in_charge).setdefault(p.unit_id, p.person)
        for p in (Position.objects.filter(kind="secretary", party_org__unit__isnull=False,
                                          party_org__kind__in=["committee", "general_branch"])
                  .select_related("person", "party_org").order_by("sort_order", "id")):
            self.secretaries.setdefault(p.party_org.unit_id, p.person)
        self.later = []  # (date, order, callable): task steps that happen after a meeting

    def working_days_after(self, day, n):
        return self.calendar.add_working_days(day, n)

    def run_until(self, day):
        """Play the decision tasks' steps dated before `day`, in date order."""
        due = sorted((e for e in self.later if e[0] < day), key=lambda e: (e[0], e[1]))
        self.later = [e for e in self.later if e[0] >= day]
        for _day, _order, step in due:
            step()

    def load(self):
        self.reform_office()
        self.geology_review()
        self.run_until(self.today + dt.timedelta(days=1))

    # --- the reform office's half-monthly meeting --------------------------------------------

    def reform_office(self):
        office = self.units[content.REFORM_OFFICE]
        chair = self.in_charge.get(office.pk) or self.heads[office.pk]
        plans = list(Plan.objects.filter(unit=office, kind=Plan.Kind.MASTER).order_by("pk"))
        leads = [self.units[code] for code in ("LH-ZZB", "LH-RLZY", "LH-QGFG", "LH-CWC", "LH-JHC") if code in self.units]
        invitees = [chair, self.heads[office.pk], *[self.heads[u.pk] for u in leads if u.pk in self.heads]]
        series = services.series_create(
            actor=self.actor, name=REFORM_SERIES, kind=Kind.REFORM_OFFICE, organiser_unit=office,
            recurrence="half_monthly", day=1, second_day=16, starts_on=self.today.replace(month=1, day=1),
            start_time=dt.time(8, 30), duration_minutes=120, place="机关办公楼三楼第一会议室", chair=chair,
            invitees=list(dict.fromkeys(invitees)), plans=plans)
        meetings = services.generate_meetings(actor=self.actor, until=self.today + dt.timedelta(days=31),
                                              series=series, calendar=self.calendar)
        for meeting in meetings:
            if meeting.date > self.today:
                continue
            self.run_until(meeting.date)
            self.hold_reform_meeting(meeting)

    def hold_reform_meeting(self, meeting):
        a = self.actor
        self.attend(meeting, present=0.88, substitute=0.05)
        proposals = selectors.proposals(meeting, a)
        tasks = [p for p in proposals if p.task][:STUCK_PER_MEETING]
        for proposal in [*tasks, *(p for p in proposals if not p.task)]:
            item = services.agenda_item_add(actor=a, meeting=meeting, task=proposal.task, decision=proposal.decision,
                                            request=proposal.request)
            if proposal.task:
                self.discuss_task(meeting, item, proposal)
            elif proposal.decision:
                self.follow_up(meeting, item, proposal.decision)
            else:
                services.agenda_item_update(actor=a, item=item, discussion="答复单位说明了办理进展。", outcome="noted",
                                            outcome_note="请答复单位按时限明确答复。")
        self.topic(meeting)
        standing = services.agenda_item_add(actor=a, meeting=meeting, title="通报上期议定事项办理情况和下阶段改革重点工作")
        services.agenda_item_update(actor=a, item=standing, discussion="改革办通报了上期议定事项办理情况。",
                                    outcome="noted", outcome_note="各牵头部门按节点推进，确保时间过半、任务过半。")
        services.minutes_save(actor=a, meeting=meeting, minutes=(
            f"{meeting.date.month}月{meeting.date.day}日，公司深化改革领导小组办公室召开例会，听取重点改革任务推进情况汇报，"
            f"研究解决改革推进中的难点问题。"))
        services.meeting_set_state(actor=a, meeting=meeting, state=Meeting.State.HELD)

    def discuss_task(self, meeting, item, proposal):
        a, task = self.actor, proposal.task
        services.agenda_item_update(actor=a, item=item, discussion=f"{task.lead_unit.name}汇报：{proposal.reason}。",
                                    outcome="decided")
        self.decide(meeting, item, task.responsible, task.lead_unit,
                    lambda deadline: f"{task.lead_unit.name}牵头，于{deadline.month}月{deadline.day}日前解决"
                                     f"“{task.name}”推进中的问题，并向改革办书面报告。")

    def topic(self, meeting):
        """One of the office's own topics, in turn, with what it decided."""
        a = self.actor
        title, lead_code, action = TOPICS[(meeting.number - 1) % len(TOPICS)]
        lead = self.units.get(lead_code)
        if lead is None or lead.pk not in self.heads:
            return
        item = services.agenda_item_add(actor=a, meeting=meeting, title=title)
        services.agenda_item_update(actor=a, item=item, discussion=f"{lead.name}汇报了工作进展和存在的问题，与会人员进行了讨论。",
                                    outcome="decided")
        self.decide(meeting, item, self.heads[lead.pk], lead,
                    lambda deadline: f"{lead.name}牵头，于{deadline.month}月{deadline.day}日前{action}。")

    def decide(self, meeting, item, owner, lead, words):
        """A decision; odd-numbered ones become tasks, the others are closed by hand when done."""
        a = self.actor
        deadline = self.working_days_after(meeting.date, self.rng.choice((10, 15, 20)))
        decision = services.decision_create(actor=a, meeting=meeting, item=item, owner=owner, lead_unit=lead,
                                            deadline=deadline, text=words(deadline))
        if decision.seq % 2:
            made = services.decision_create_task(actor=a, decision=decision, on=meeting.date)
            self.task_life(made, deadline)
        else:
            closed_on = self.working_days_after(deadline, -self.rng.randint(0, 3))
            self.later.append((closed_on, 3, lambda d=decision, on=closed_on: services.decision_close(
                actor=a, decision=d, state=Decision.State.DONE, note="已按要求报告", on=on)))

    def task_life(self, task, deadline):
        """Acknowledged within two working days; done a little before the deadline, except one
        in five left late so that it keeps coming back."""
        a = self.actor
        acknowledged = self.working_days_after(task.issued_on, self.rng.randint(1, 2))
        self.later.append((acknowledged, 0, lambda: task_services.task_acknowledge(actor=a, task=task,
                                                                                   on=acknowledged)))
        if self.rng.random() < 0.2:
            return
        submitted = max(acknowledged, self.working_days_after(deadline, -self.rng.randint(0, 4)))
        self.later.append((submitted, 1, lambda: task_services.completion_submit(
            actor=a, task=task, evidence="已完成并书面报告改革办", on=submitted)))
        self.later.append((submitted, 2, lambda: task_services.completion_accept(actor=a, task=task, on=submitted)))

    def follow_up(self, meeting, item, decision):
        task = decision.task
        late = task is not None and task.deadline < meeting.date
        services.agenda_item_update(
            actor=self.actor, item=item, outcome="noted" if not late else "deferred",
            discussion=f"{decision.owner.name}汇报了办理进展。",
            outcome_note="已超期，责成牵头单位说明原因并限期办结。" if late else "继续跟踪督办。")

    def attend(self, meeting, *, present, substitute, substitutes=None):
        for row in meeting.attendance.select_related("person"):
            draw = self.rng.random()
            if draw < present:
                services.attendance_record(actor=self.actor, attendance=row, status=Attendance.Status.PRESENT)
                continue
            reason = self.rng.choice(AWAY_REASONS)
            stand_in = (substitutes or {}).get(row.person_id) or self._colleague(row.person)
            if draw < present + substitute and stand_in is not None:
                services.attendance_record(actor=self.actor, attendance=row, status=Attendance.Status.SUBSTITUTE,
                                           reason=reason, substitute=stand_in)
            else:
                services.attendance_record(actor=self.actor, attendance=row, status=Attendance.Status.ABSENT,
                                           reason=reason)

    def _colleague(self, person):
        return (Person.objects.filter(unit_id=person.unit_id, is_active=True).exclude(pk=person.pk)
                .order_by("employee_no").first())

    # --- the quarterly geological measures review --------------------------------------------

    def geology_review(self):
        organiser = self.units.get(GEOLOGY_ORGANISER)
        plants = [self.units[s.code] for s in oilfield.SECONDARY_UNITS if s.family == "plant" and s.code in self.units]
        if organiser is None or not plants:
            return
        chair = self.in_charge.get(organiser.pk) or self.heads[organiser.pk]
        secretaries = [self.secretaries[p.pk] for p in plants if p.pk in self.secretaries]
        series = services.series_create(
            actor=self.actor, name=GEOLOGY_SERIES, kind=Kind.GEOLOGY_REVIEW, organiser_unit=organiser,
            recurrence="quarterly", day=25, month_of_quarter=1, starts_on=self.today.replace(month=1, day=1),
            start_time=dt.time(9), duration_minutes=180, place="勘探开发研究院学术报告厅", chair=chair,
            invitees=[chair, self.heads[organiser.pk], *secretaries], units=plants)
        heads = {self.secretaries[p.pk].pk: self.heads.get(p.pk) for p in plants if p.pk in self.secretaries}
        for meeting in services.generate_meetings(actor=self.actor, until=self.today + dt.timedelta(days=92),
                                                  series=series, calendar=self.calendar):
            if meeting.date > self.today:
                continue
            self.run_until(meeting.date)
            self.attend(meeting, present=0.8, substitute=0.12, substitutes=heads)
            quarter = (meeting.date.month - 1) // 3
            review = services.agenda_item_add(actor=self.actor, meeting=meeting,
                                              title=f"{'四一二三'[quarter]}季度地质措施实施效果分析")
            services.agenda_item_update(actor=self.actor, item=review, outcome="noted",
                                        discussion="各采油厂汇报措施井实施效果，措施增油总体超计划。")
            plan = services.agenda_item_add(actor=self.actor, meeting=meeting, title="论证下季度措施井位和工作量")
            services.agenda_item_update(actor=self.actor, item=plan, outcome="decided",
                                        discussion="逐井论证压裂、酸化、大修措施方案。")
            deadline = self.working_days_after(meeting.date, 10)
            decision = services.decision_create(
                actor=self.actor, meeting=meeting, item=plan, owner=self.heads[organiser.pk], lead_unit=organiser,
                deadline=deadline, text=f"各采油厂于{deadline.month}月{deadline.day}日前按论证意见修改措施方案并报开发处备案。")
            if deadline <= self.today:
                self.later.append((deadline, 3, lambda d=decision, on=deadline: services.decision_close(
                    actor=self.actor, decision=d, state=Decision.State.DONE, note="已全部备案", on=on)))
            services.minutes_save(actor=self.actor, meeting=meeting, minutes=(
                "会议听取了各采油厂地质措施实施情况汇报，论证了下季度措施井位。各生产单位党委书记参加会议。"))
            services.meeting_set_state(actor=self.actor, meeting=meeting, state=Meeting.State.HELD)

