"""Reminders of unanswered coordination requests (催办), run daily by the scheduler: the side
that owes the answer hears of it the working day before it is due, and every day once it is
overdue, when the raiser hears of the delay too. Sending goes through core.notifications.notify,
whose key (rule, request, recipient, day) makes a second run on the same day send nothing."""
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop

from ronghe.coordination import rules, services
from ronghe.coordination.models import Request
from ronghe.core.notifications.categories import COORDINATION
from ronghe.core.notifications.services import notify
from ronghe.core.workdays import Calendar


def _text(message, **params):
    return lazy(lambda: gettext(message) % params, str)()


@dataclass
class Run:
    as_of: dt.date
    dry_run: bool
    sent: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)


def _send(run, rule, request, recipients, title, body):
    recipients = [r for r in recipients if r is not None]
    if not recipients:
        return
    result = notify(rule=rule, obj=request, day=run.as_of, recipients=recipients, title=title, body=body,
                    link=reverse("coordination_detail", args=[request.pk]), category=COORDINATION,
                    dry_run=run.dry_run)
    run.sent[rule] += len(result.messages)
    run.skipped[rule] += len(result.skipped)


def send_reminders(*, as_of: dt.date, dry_run=False) -> Run:
    run = Run(as_of=as_of, dry_run=dry_run)
    calendar = Calendar()
    requests = (Request.objects.filter(state__in=Request.AWAITING_ANSWER, raised_on__lte=as_of)
                .select_related("from_unit", "handling_unit", "to_unit", "to_person", "raised_by", "raised_by_person")
                .order_by("id"))
    with transaction.atomic():
        for request in requests:
            kind = rules.reminder(awaiting_answer=True, answer_due=request.answer_due,
                                  escalated_on=request.escalated_on, as_of=as_of, calendar=calendar)
            due = rules.current_due(request.answer_due, request.escalated_on, calendar).isoformat()
            if kind is rules.Reminder.DUE_SOON:
                _send(run, "coordination.due_soon", request, services.addressees(request),
                      _text(gettext_noop("Answer due soon: %(number)s %(title)s"), number=request.number,
                            title=request.title),
                      _text(gettext_noop("The request of %(unit)s is to be answered by %(due)s."),
                            unit=request.from_unit.name, due=due))
            elif kind is rules.Reminder.OVERDUE:
                _send(run, "coordination.overdue", request, services.addressees(request),
                      _text(gettext_noop("Answer overdue: %(number)s %(title)s"), number=request.number,
                            title=request.title),
                      _text(gettext_noop("The request of %(unit)s was to be answered by %(due)s."),
                            unit=request.from_unit.name, due=due))
                _send(run, "coordination.overdue_raiser", request, services.raisers(request),
                      _text(gettext_noop("Still unanswered: %(number)s %(title)s"), number=request.number,
                            title=request.title),
                      _text(gettext_noop("%(unit)s has not answered by %(due)s; it is reminded daily and the "
                                         "request escalates to the next level."),
                            unit=request.handling_unit.name, due=due))
    return run
