"""Reminders (催办) of 三会一课, run daily by the scheduler: within the last five working days of
a month or quarter, the secretary of every organisation whose meeting for that period is still
missing is told which ones. Sent through core.notifications.notify keyed by the organisation
and the period's last day, so an organisation's secretary hears once per period however often
the job runs."""
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop

from ronghe.core.notifications.categories import ORGLIFE
from ronghe.core.notifications.services import notify
from ronghe.core.workdays import Calendar
from ronghe.org.models import PartyMembership, PartyOrg, Position
from ronghe.orglife import rules, selectors
from ronghe.orglife.models import Kind

LEAD_WORKING_DAYS = 5
RULE = "orglife.due"
# 党内职务 of those who run an organisation's meetings.
SECRETARY_POSTS = ("党支部书记", "党总支书记", "党委书记", "党小组长")


@dataclass
class Run:
    as_of: dt.date
    dry_run: bool
    sent: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    unreached: list = field(default_factory=list)  # organisations with nobody to tell


def _text(message, **params):
    return lazy(lambda: gettext(message) % params, str)()


def _kinds_text(kinds):
    return lazy(lambda: "、".join(str(Kind(k).label) for k in kinds), str)()


def secretaries(orgs) -> dict[int, list]:
    """The people who run each organisation's meetings: its secretary (a Position) or the member
    holding a secretary's or group leader's 党内职务; a 党小组 without one reaches its branch's."""
    orgs = list(orgs)
    wanted = {o.pk for o in orgs} | {o.parent_id for o in orgs if o.parent_id}
    found = defaultdict(list)
    for position in Position.objects.filter(party_org_id__in=wanted, kind=Position.Kind.SECRETARY).select_related(
            "person"):
        found[position.party_org_id].append(position.person)
    for membership in PartyMembership.objects.filter(
            Q(party_org_id__in=wanted) & Q(party_post__in=SECRETARY_POSTS), person__is_active=True).select_related(
            "person"):
        if membership.person not in found[membership.party_org_id]:
            found[membership.party_org_id].append(membership.person)
    out = {}
    for org in orgs:
        people = found.get(org.pk) or (found.get(org.parent_id) if org.kind == PartyOrg.Kind.GROUP else None)
        out[org.pk] = [p for p in people or [] if p.is_active]
    return out


def send_reminders(*, as_of: dt.date, dry_run=False) -> Run:
    run = Run(as_of=as_of, dry_run=dry_run)
    calendar = Calendar()
    if not calendar.is_working_day(as_of):
        return run
    orgs = list(selectors.orgs_in(None, None, as_of.year).filter(abolished_on__isnull=True))
    due = defaultdict(list)  # (org id, period end) → meeting kinds still missing
    for cell in selectors.cells_for(orgs, as_of.year, as_of):
        if cell.status == rules.Status.PENDING and rules.reminder_due(cell.period, as_of, calendar, LEAD_WORKING_DAYS):
            due[(cell.org_id, cell.period.end)].append(cell.meeting_kind)
    if not due:
        return run
    by_id = {o.pk: o for o in orgs}
    people = secretaries(by_id[org_id] for org_id, _end in due)
    link = reverse("orglife_matrix")
    with transaction.atomic():
        for (org_id, end), kinds in sorted(due.items()):
            org = by_id[org_id]
            recipients = people[org_id]
            if not recipients:
                run.unreached.append(org)
                continue
            result = notify(
                rule=RULE, obj=org, day=end, recipients=recipients, category=ORGLIFE, dry_run=dry_run,
                title=_text(gettext_noop("Meetings due (三会一课): %(org)s"), org=org.name),
                body=_text(gettext_noop("%(org)s has not yet held: %(kinds)s. The period ends on %(end)s."),
                           org=org.name, kinds=_kinds_text(sorted(kinds)), end=end.isoformat()),
                link=f"{link}?party_org={org.parent.code if org.parent_id else org.code}&year={end.year}",
                units_for_webhooks=[org.unit])
            run.sent[RULE] += len(result.messages)
            run.skipped[RULE] += len(result.skipped)
    return run
