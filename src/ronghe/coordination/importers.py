"""Registering coordination requests from a spreadsheet (协调事项登记表): the requests a unit
raised before the system, or on paper, with their answers where they had one, so that the
statistics of the year count them. Rows are validated whole and written in one transaction
with one audit entry for the batch; nobody is notified of history."""
import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ronghe.coordination import rules
from ronghe.coordination.exporters import CATEGORY_WORDS
from ronghe.coordination.models import Category, Event, Request
from ronghe.core import clock
from ronghe.core.scoping import CHANGE
from ronghe.core.tabular.columns import CHOICE, DATE, TEXT, Column
from ronghe.core.tabular.importer import Importer
from ronghe.core.tabular.registry import register
from ronghe.core.workdays import Calendar
from ronghe.org.models import Person, Unit

_BATCH = 500


@register
class RequestImporter(Importer):
    kind = "coordination_requests"
    title = gettext_lazy("Coordination requests (协调事项登记表)")
    sheet_title = "协调事项登记表"
    columns = [
        Column("title", "事项", aliases=("title",), required=True, max_length=200, example="请求协调拖欠工程款结算",
               help=gettext_lazy("What is asked, in a line.")),
        Column("description", "具体内容", aliases=("description",), required=True, type=TEXT,
               example="2025年完成的5项内部工程尚未结算，请协调尽快结算。",
               help=gettext_lazy("What needs co-ordinating.")),
        Column("category", "类别", aliases=("category",), type=CHOICE, choices=CATEGORY_WORDS, example="资金成本",
               help=gettext_lazy("其他 when empty.")),
        Column("from_unit", "提出单位编码", aliases=("from unit", "from_unit"), required=True, max_length=64,
               example="ZLGS", help=gettext_lazy("Code of the raising unit; within your scope.")),
        Column("to_unit", "主送单位编码", aliases=("to unit", "to_unit"), required=True, max_length=64,
               example="LH-CWC", help=gettext_lazy("Code of the unit addressed.")),
        Column("to_person", "主送人工号", aliases=("to person", "to_person"), max_length=32,
               help=gettext_lazy("Employee number of a person of the unit addressed, if addressed by name.")),
        Column("raised_on", "提出日期", aliases=("raised on", "raised_on"), required=True, type=DATE,
               example=dt.date(2026, 3, 2), help=gettext_lazy("Not in the future.")),
        Column("answer_due", "答复时限", aliases=("answer due", "answer_due"), type=DATE,
               help=gettext_lazy("5 working days after the request when empty.")),
        Column("answer", "答复内容", aliases=("answer",), type=TEXT, example="已组织对账，款项本月底前结算到位。",
               help=gettext_lazy("The answer, if one was given; then 答复日期 too.")),
        Column("answered_on", "答复日期", aliases=("answered on", "answered_on"), type=DATE,
               example=dt.date(2026, 3, 5)),
        Column("closed_on", "办结日期", aliases=("closed on", "closed_on"), type=DATE,
               help=gettext_lazy("The day the raiser accepted the answer, if it did.")),
    ]

    def validate(self, records):
        today = clock.today()
        changeable = (None if self.actor is None else
                      set(Unit.objects.restrict(self.actor, CHANGE).values_list("code", flat=True)))
        codes = {r["from_unit"] for r in records} | {r["to_unit"] for r in records}
        self.units = {u.code: u for u in Unit.objects.filter(code__in=codes, abolished_on=None)}
        numbers = {r["to_person"] for r in records if r["to_person"]}
        self.people = {p.employee_no: p for p in Person.objects.filter(employee_no__in=numbers, is_active=True)}
        for r in records:
            source, target = self.units.get(r["from_unit"]), self.units.get(r["to_unit"])
            if r.ok("from_unit") and (source is None or (changeable is not None and source.code not in changeable)):
                self.error(r, "from_unit", _("No unit with code “%(code)s” within your scope.") % {
                    "code": r["from_unit"]})
            if r.ok("to_unit") and target is None:
                self.error(r, "to_unit", _("No active unit has the code “%(code)s”.") % {"code": r["to_unit"]})
            elif source is not None and source == target:
                self.error(r, "to_unit", _("A unit cannot address a request to itself."))
            person = self.people.get(r["to_person"]) if r["to_person"] else None
            if r["to_person"] and (person is None or target is None or person.unit_id != target.pk):
                self.error(r, "to_person", _("The person addressed works in another unit."))
            self._check_dates(r, today)

    def _check_dates(self, r, today):
        raised = r["raised_on"]
        if raised and raised > today:
            self.error(r, "raised_on", _("The date cannot be in the future."))
        if raised and r["answer_due"] and r["answer_due"] < raised:
            self.error(r, "answer_due", _("The answer cannot be due before the request is raised."))
        answered = r["answered_on"]
        if bool(r["answer"]) != bool(answered) and r.ok("answered_on"):
            self.error(r, "answered_on" if r["answer"] else "answer",
                       _("An answer needs its date, and a date its answer."))
        if answered and raised and not raised <= answered <= today:
            self.error(r, "answered_on", _("The answer falls between the request and today."))
        if r["closed_on"] and (not answered or not answered <= r["closed_on"] <= today):
            self.error(r, "closed_on", _("A request is closed after it was answered, and not in the future."))

    def save(self, records):
        calendar = Calendar()
        requests = []
        next_numbers = {}
        for r in records:
            year = r["raised_on"].year
            if year not in next_numbers:
                prefix = f"XT{year}-"
                last = (Request.objects.select_for_update().filter(number__startswith=prefix).order_by("-number")
                        .values_list("number", flat=True).first())
                next_numbers[year] = int(last.removeprefix(prefix)) + 1 if last else 1
            number = f"XT{year}-{next_numbers[year]:04d}"
            next_numbers[year] += 1
            target = self.units[r["to_unit"]]
            state = (Request.State.CLOSED if r["closed_on"] else
                     Request.State.ANSWERED if r["answered_on"] else Request.State.OPEN)
            requests.append(Request(
                number=number, title=r["title"], description=r["description"],
                category=r["category"] or Category.OTHER, raised_by=self.actor, from_unit=self.units[r["from_unit"]],
                to_unit=target, to_person=self.people.get(r["to_person"]) if r["to_person"] else None,
                handling_unit=target, raised_on=r["raised_on"],
                answer_due=r["answer_due"] or rules.default_answer_due(r["raised_on"], calendar), state=state,
                answer=r["answer"] or "", answered_on=r["answered_on"],
                answered_by_unit=target if r["answered_on"] else None, closed_on=r["closed_on"]))
        for request in requests:
            request.full_clean(exclude=["raised_by"])
        Request.objects.bulk_create(requests, batch_size=_BATCH)
        created = Request.objects.filter(number__in=[r.number for r in requests])
        actor = self.actor if getattr(self.actor, "pk", None) else None
        events = []
        for request in created:
            events.append(Event(request=request, kind=Event.Kind.RAISED, on=request.raised_on, unit=request.to_unit,
                                actor=actor, text=request.description))
            if request.answered_on:
                events.append(Event(request=request, kind=Event.Kind.ANSWERED, on=request.answered_on,
                                    unit=request.to_unit, actor=actor, text=request.answer))
            if request.closed_on:
                events.append(Event(request=request, kind=Event.Kind.CLOSED, on=request.closed_on, actor=actor))
        Event.objects.bulk_create(events, batch_size=_BATCH)
        self.touched = {r.from_unit_id: r.from_unit for r in requests}
        return {"created": len(requests)}

    def audit_scope(self):
        units = list(getattr(self, "touched", {}).values())
        return {"unit": units[0]} if len(units) == 1 else {}
