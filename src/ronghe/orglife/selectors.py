"""Reads of 三会一课: scoped records, and compliance — the engine's cells for any subtree and
year, rolled up per row of the matrix — in a fixed number of queries whatever the number of
organisations."""
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from ronghe.core.scoping import VIEW
from ronghe.org.models import PartyMembership, PartyOrg
from ronghe.orglife import rules
from ronghe.orglife.models import Attendance, Record, Rule

A = Attendance.Status


def records(user, action=VIEW):
    return Record.objects.restrict(user, action).select_related("party_org", "party_org__unit", "host", "lecturer")


def engine_rules() -> list[rules.Rule]:
    return [rules.Rule(r.pk, r.org_kind, r.meeting_kind, rules.Frequency(r.frequency), r.min_count,
                       r.exempt_below_members) for r in Rule.objects.filter(active=True)]


def member_counts(orgs) -> dict[int, int]:
    """Active Party members of each organisation's subtree (one grouped query)."""
    wanted = {org.pk for org in orgs}
    counts = dict.fromkeys(wanted, 0)
    if not wanted:
        return counts
    prefixes = _covering_paths([org.path for org in orgs])
    q = Q()
    for prefix in prefixes:
        q |= Q(party_org__path__startswith=prefix)
    for path, n in (PartyMembership.objects.filter(q, person__is_active=True).values_list("party_org__path")
                    .annotate(n=Count("id")).values_list("party_org__path", "n")):
        for part in path.split("/"):
            if part and int(part) in wanted:
                counts[int(part)] += n
    return counts


def _covering_paths(paths) -> list[str]:
    """The fewest prefixes covering every path (drop those inside another)."""
    out = []
    for path in sorted(set(paths)):
        if not out or not path.startswith(out[-1]):
            out.append(path)
    return out


def org_facts(orgs) -> list[rules.Org]:
    counts = member_counts(orgs)
    return [rules.Org(o.pk, o.kind, counts[o.pk], o.established_on, o.abolished_on) for o in orgs]


def meetings(org_ids, year: int, as_of: dt.date) -> list[rules.Meeting]:
    """The meetings that may count for `year`: held in it, or made up for it later."""
    rows = (Record.objects.filter(party_org_id__in=org_ids, held_on__lte=as_of)
            .filter(Q(held_on__year=year) | Q(makeup_for__year=year))
            .values_list("party_org_id", "kind", "held_on", "makeup_for"))
    return [rules.Meeting(*row) for row in rows]


def orgs_in(user, root: PartyOrg | None, year: int):
    """The visible organisations of `root`'s subtree (all visible ones without a root) that
    existed at some time in `year`. No user means the system itself (commands, reminders)."""
    qs = PartyOrg.objects.all() if user is None else PartyOrg.objects.restrict(user, VIEW)
    qs = qs.select_related("unit", "parent")
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    return (qs.filter(Q(abolished_on__isnull=True) | Q(abolished_on__gt=dt.date(year, 1, 1)))
            .exclude(established_on__gt=dt.date(year, 12, 31)).order_by("path"))


def cells_for(orgs, year: int, as_of: dt.date) -> list[rules.Cell]:
    orgs = list(orgs)
    return rules.evaluate(org_facts(orgs), engine_rules(), meetings([o.pk for o in orgs], year, as_of), year, as_of)


# --- the matrix ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    key: str
    frequency: rules.Frequency
    period: rules.Period


def columns(year: int) -> list[Column]:
    """1月 2月 3月 Q1 4月 … : each quarter after its months."""
    out = []
    quarters = rules.periods_of_year(year, rules.Frequency.QUARTER)
    for period in rules.periods_of_year(year, rules.Frequency.MONTH):
        out.append(Column(period.key, rules.Frequency.MONTH, period))
        if period.start.month % 3 == 0:
            quarter = quarters[period.start.month // 3 - 1]
            out.append(Column(quarter.key, rules.Frequency.QUARTER, quarter))
    return out


@dataclass
class Row:
    org: PartyOrg
    depth: int
    has_children: bool
    own: dict = field(default_factory=lambda: defaultdict(list))       # column key → [Cell]
    subtree: dict = field(default_factory=lambda: defaultdict(rules.Rates))  # column key → Rates
    rates: rules.Rates = field(default_factory=rules.Rates)           # the subtree's whole year
    members: int = 0


def matrix(user, *, year: int, as_of: dt.date, parent: PartyOrg | None = None) -> list[Row]:
    """Rows of the compliance matrix: the visible children of `parent` (the top of the user's
    visible forest without one), each with its own requirements by column and its subtree's
    counts by column, so that a committee's row says how its branches stand and opens lazily."""
    subtree = list(orgs_in(user, parent, year))
    by_id = {o.pk: o for o in subtree}
    if parent is not None:
        heads = [o for o in subtree if o.parent_id == parent.pk]
    else:
        heads = [o for o in subtree if not any(int(a) in by_id for a in o.path.split("/")[:-2] if a)]
    cells = cells_for(subtree, year, as_of)
    counts = member_counts(heads)
    rows = {o.pk: Row(o, 0, any(x.parent_id == o.pk for x in subtree), members=counts[o.pk]) for o in heads}
    head_of = {}
    for org in subtree:
        for part in org.path.split("/"):
            if part and int(part) in rows:
                head_of[org.pk] = int(part)
    for cell in cells:
        row = rows.get(head_of.get(cell.org_id))
        if row is None:
            continue
        if cell.org_id == row.org.pk:
            row.own[cell.period.key].append(cell)
        row.subtree[cell.period.key].add(cell.status)
        row.rates.add(cell.status)
    return sorted(rows.values(), key=lambda r: (r.org.sort_order, r.org.code))


@dataclass
class Gap:
    org: PartyOrg
    cell: rules.Cell


def gaps(user, *, year: int, as_of: dt.date, root: PartyOrg | None = None,
         statuses=(rules.Status.MISSING,)) -> list[Gap]:
    """The requirements of `year` in a given status on `as_of` (missing ones by default), by
    organisation and period."""
    orgs = list(orgs_in(user, root, year))
    by_id = {o.pk: o for o in orgs}
    found = [Gap(by_id[c.org_id], c) for c in cells_for(orgs, year, as_of) if c.status in statuses]
    return sorted(found, key=lambda g: (g.org.path, g.cell.period.start, g.cell.meeting_kind))


def summary(user, *, year: int, as_of: dt.date, root: PartyOrg | None = None) -> dict:
    """Rates of the subtree over the year, by meeting kind and by period (for charts)."""
    orgs = list(orgs_in(user, root, year))
    cells = cells_for(orgs, year, as_of)
    by_kind, by_period = defaultdict(rules.Rates), defaultdict(rules.Rates)
    total = rules.Rates()
    for cell in cells:
        by_kind[cell.meeting_kind].add(cell.status)
        by_period[cell.period.key].add(cell.status)
        total.add(cell.status)
    return {"total": total, "by_kind": dict(by_kind), "by_period": dict(by_period), "orgs": len(orgs)}


# --- attendance ------------------------------------------------------------------------------------

def _attendance_counts(qs, *group):
    return qs.values(*group).annotate(
        total=Count("id"), present=Count("id", filter=Q(status=A.PRESENT)),
        leave=Count("id", filter=Q(status=A.LEAVE)), absent=Count("id", filter=Q(status=A.ABSENT)))


def attendance(user, *, year: int, as_of: dt.date, root: PartyOrg | None = None):
    """The attendance rows of the year's records up to `as_of` within scope (and `root`'s subtree)."""
    qs = Attendance.objects.restrict(user, VIEW).filter(record__held_on__year=year, record__held_on__lte=as_of)
    if root is not None:
        qs = qs.filter(record__party_org__path__startswith=root.path)
    return qs


def member_attendance(user, *, year: int, as_of: dt.date, root: PartyOrg | None = None):
    """Per member: meetings listed, present, on leave, absent; by employee number."""
    return (_attendance_counts(attendance(user, year=year, as_of=as_of, root=root),
                               "person_id", "person__employee_no", "person__name",
                               "person__membership__party_org__code", "person__membership__party_org__name")
            .order_by("person__employee_no"))


def attendance_totals(user, *, year: int, as_of: dt.date, root: PartyOrg | None = None) -> dict:
    row = attendance(user, year=year, as_of=as_of, root=root).aggregate(
        total=Count("id"), present=Count("id", filter=Q(status=A.PRESENT)),
        leave=Count("id", filter=Q(status=A.LEAVE)), absent=Count("id", filter=Q(status=A.ABSENT)))
    return row


def rate(part, whole) -> float | None:
    return part / whole if whole else None
