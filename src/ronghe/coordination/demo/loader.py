"""Load the coordination demo into the demo oilfield: the loss-making units' requests to the
headquarters departments — twelve answered clearly (most accepted, one late), a few open, one
forwarded, one overdue and escalated by the scheduler, two raised from demo tasks — all through
the coordination services as the `system` user, dated relative to today, in one transaction."""
import datetime as dt
import time
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from ronghe.coordination import rules, services
from ronghe.coordination.demo import content
from ronghe.coordination.models import Request
from ronghe.core import clock
from ronghe.core.workdays import Calendar
from ronghe.org.demo.loader import system_actor
from ronghe.org.models import Position, Unit
from ronghe.tasks.models import Task

# The answered requests were raised between these many days ago, so that a period ending a
# month ago shows them all answered.
ANSWERED_FROM_DAYS, ANSWERED_TO_DAYS = 180, 45


@dataclass
class CoordinationDemoReport:
    loaded: bool
    message: str
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0


def is_loaded() -> bool:
    return Request.objects.filter(title=content.ANSWERED[0].title).exists()


def load_coordination_demo() -> CoordinationDemoReport:
    """Idempotent: nothing happens when the requests are there already, or when the demo
    oilfield is not."""
    if is_loaded():
        return CoordinationDemoReport(False, _("The coordination demo requests are already loaded; nothing changed."))
    units = {u.code: u for u in Unit.objects.filter(abolished_on=None)}
    if not any(a in units and b in units for a, b in content.PAIRS):
        return CoordinationDemoReport(
            False, _("The demo oilfield is not loaded, so neither are the coordination demo requests."))
    started = time.monotonic()
    with transaction.atomic():
        _Loader(system_actor(), clock.today(), Calendar(), units).load()
    counts = {
        "requests": Request.objects.count(),
        "answered": Request.objects.filter(answered_on__isnull=False).count(),
        "awaiting_answer": Request.objects.filter(state__in=Request.AWAITING_ANSWER).count(),
        "escalated": Request.objects.filter(escalation_level__gt=0).count(),
    }
    return CoordinationDemoReport(True, _("The coordination demo requests are loaded."), counts,
                                  time.monotonic() - started)


class _Loader:
    def __init__(self, actor, today, calendar, units):
        self.actor, self.today, self.calendar, self.units = actor, today, calendar, units
        self.pairs = [(units[a], units[b]) for a, b in content.PAIRS if a in units and b in units]
        self.heads = {}
        for position in Position.objects.filter(unit__in=[u for pair in self.pairs for u in pair],
                                                kind=Position.Kind.HEAD).select_related("person").order_by("sort_order",
                                                                                                           "id"):
            self.heads.setdefault(position.unit_id, position.person)

    def working_day(self, days_ago):
        return self.calendar.next_working_day(self.today - dt.timedelta(days=days_ago))

    def raise_(self, item, on, answer_due=None):
        """A smaller demo has fewer units: the pairs present take turns, and a department it
        lacks is replaced by the unit's paired department."""
        unit, paired = self.pairs[item.pair % len(self.pairs)]
        to = self.units.get(item.to, paired)
        return services.request_raise(actor=self.actor, title=item.title, description=item.description,
                                      category=item.category, from_unit=unit, to_unit=to, on=on,
                                      answer_due=answer_due, raised_by_person=self.heads.get(unit.pk))

    def answer(self, request, text, on, accepted=True):
        services.request_answer(actor=self.actor, request=request, answer=text, on=on)
        if accepted:
            services.request_close(actor=self.actor, request=request, on=min(self.today, self.calendar.add_working_days(on, 2)))

    def load(self):
        span = ANSWERED_FROM_DAYS - ANSWERED_TO_DAYS
        step = span // max(1, len(content.ANSWERED) - 1)
        for n, item in enumerate(content.ANSWERED):
            on = min(self.working_day(ANSWERED_FROM_DAYS - n * step), self.today)
            request = self.raise_(item, on)
            days = rules.ANSWER_WORKING_DAYS + 3 if item.late else 1 + n % 4
            self.answer(request, item.answer, min(self.today, self.calendar.add_working_days(on, days)), item.accepted)
        for n, item in enumerate(content.OPEN):
            self.raise_(item, self.calendar.add_working_days(self.today, -(1 + 2 * n)))
        item, to, note = content.FORWARDED
        request = self.raise_(item, self.calendar.add_working_days(self.today, -3))
        if to in self.units and to != request.to_unit.code:
            services.request_forward(actor=self.actor, request=request, to_unit=self.units[to], note=note,
                                     on=self.calendar.add_working_days(self.today, -2))
        self.raise_(content.OVERDUE, self.calendar.add_working_days(self.today, -9))
        # What the morning's `escalate_requests` does to it.
        services.escalate_overdue(as_of=self.today)
        self.from_tasks()

    def from_tasks(self):
        tasks = list(Task.objects.filter(state__in=("acknowledged", "in_progress"), issued_on__isnull=False,
                                         issued_on__lte=self.today - dt.timedelta(days=30))
                     .select_related("lead_unit").order_by("id")[:len(content.FROM_TASKS)])
        reform_office = self.units.get("LH-GGB")
        for task, (title, description, answer) in zip(tasks, content.FROM_TASKS, strict=False):
            on = max(task.issued_on, self.calendar.add_working_days(self.today, -25))
            to = reform_office if reform_office is not None and reform_office != task.lead_unit else None
            if to is None:
                continue
            request = services.request_raise(actor=self.actor, task=task, title=title, description=description,
                                             to_unit=to, on=on)
            self.answer(request, answer, min(self.today, self.calendar.add_working_days(on, 2)))
