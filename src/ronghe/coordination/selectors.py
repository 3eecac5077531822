"""Every read of coordination requests a page, API operation, export or report needs: scoped
by `.restrict`, related rows joined, filters shared by the list page, the API and the export,
and the statistics of a period by raising unit, addressed unit and addressee."""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from ronghe.coordination import rules
from ronghe.coordination.models import Request
from ronghe.core import clock
from ronghe.core.scoping import VIEW
from ronghe.core.workdays import Calendar
from ronghe.org.models import Person, Unit
from ronghe.org.selectors import in_unit_subtree

RELATED = ("from_unit", "to_unit", "to_person", "handling_unit", "raised_by", "raised_by_person", "task",
           "forwarded_to", "escalated_to_unit", "answered_by", "answered_by_unit")

SORTS = {
    "raised_on": ("raised_on", "id"), "-raised_on": ("-raised_on", "-id"),
    "answer_due": ("answer_due", "id"), "-answer_due": ("-answer_due", "-id"),
    "number": ("number",), "-number": ("-number",),
    "state": ("state", "-raised_on", "id"), "-state": ("-state", "-raised_on", "id"),
}
DEFAULT_SORT = "-raised_on"


def requests(user, action=VIEW):
    return Request.objects.restrict(user, action).select_related(*RELATED)


def request_for(user, pk, action=VIEW) -> Request:
    """One request inside the user's scope; Request.DoesNotExist (a 404) otherwise."""
    return requests(user, action).get(pk=pk)


def timeline(request):
    return request.events.select_related("actor", "unit").order_by("on", "at", "id")


def attachments(request):
    return request.attachments.select_related("uploaded_by").order_by("uploaded_at", "id")


@dataclass(frozen=True)
class Filters:
    """The filters every list of requests offers (page, API, export)."""

    q: str = ""
    state: str = ""            # a state, or "awaiting" (owes an answer) / "overdue" (owes it late)
    category: str = ""
    from_unit: str = ""        # unit codes; a unit includes its subtree
    to_unit: str = ""
    handling_unit: str = ""
    to_person: int | None = None
    task: int | None = None
    raised_from: dt.date | None = None
    raised_to: dt.date | None = None
    mine: str = ""             # "raised" by me, "to_me" (addressed to me or my units)
    sort: str = DEFAULT_SORT


def filtered(qs, f: Filters, user=None, as_of: dt.date | None = None):
    as_of = as_of or clock.today()
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(number__icontains=f.q) | Q(description__icontains=f.q))
    if f.state == "awaiting":
        qs = qs.filter(state__in=Request.AWAITING_ANSWER)
    elif f.state == "overdue":
        qs = qs.filter(state__in=Request.AWAITING_ANSWER, answer_due__lt=as_of)
    elif f.state:
        qs = qs.filter(state=f.state)
    if f.category:
        qs = qs.filter(category=f.category)
    for name in ("from_unit", "to_unit", "handling_unit"):
        if getattr(f, name):
            qs = in_unit_subtree(qs, name, getattr(f, name))
    if f.to_person:
        qs = qs.filter(to_person_id=f.to_person)
    if f.task:
        qs = qs.filter(task_id=f.task)
    if f.raised_from:
        qs = qs.filter(raised_on__gte=f.raised_from)
    if f.raised_to:
        qs = qs.filter(raised_on__lte=f.raised_to)
    if f.mine == "raised" and user is not None:
        qs = qs.filter(Q(raised_by_id=user.pk) | Q(raised_by_person_id=user.person_id or 0))
    elif f.mine == "to_me" and user is not None:
        qs = qs.filter(to_me(user))
    return qs.order_by(*SORTS.get(f.sort, SORTS[DEFAULT_SORT]))


def to_me(user) -> Q:
    """Requests awaiting me: addressed to me by name, or handled by a unit I may change."""
    from ronghe.core.scoping import CHANGE, scope_for

    q = Q(to_person_id=user.person_id) if user.person_id else Q(pk__in=[])
    scope = scope_for(user, CHANGE)
    if scope.everything:
        return Q()
    for path in scope.unit_paths:
        q |= Q(handling_unit__path__startswith=path)
    if scope.unit_ids:
        q |= Q(handling_unit_id__in=scope.unit_ids)
    return q


def for_task(user, task):
    return requests(user).filter(task=task).order_by("raised_on", "id")


def awaiting_count(user) -> int:
    return requests(user).filter(to_me(user), state__in=Request.AWAITING_ANSWER).count()


# --- statistics -----------------------------------------------------------------------------------

GROUPINGS = {
    "from_unit": ("from_unit_id", Unit, "code"),
    "to_unit": ("to_unit_id", Unit, "code"),
    "to_person": ("to_person_id", Person, "employee_no"),
}


@dataclass
class Row:
    key: int | None
    code: str | None   # the unit's code or the person's employee number
    name: str
    figures: rules.Figures


@dataclass
class Statistics:
    start: dt.date
    end: dt.date
    total: rules.Figures
    groups: dict[str, list[Row]]


def statistics(user, *, start: dt.date, end: dt.date, filters: Filters | None = None) -> Statistics:
    """Raised / answered / answered on time / open / overdue / average answer time (working
    days) of the requests raised in [start, end], as they stood on `end`, in all and by raising
    unit, addressed unit and addressee. One query for the rows, one per grouping for names."""
    qs = requests(user).filter(raised_on__range=(start, end))
    if filters is not None:
        qs = filtered(qs, filters, user, as_of=end)
    rows = list(qs.order_by().values_list("raised_on", "answer_due", "answered_on",
                                          *[lookup for lookup, _model, _code in GROUPINGS.values()]))
    calendar = Calendar()
    groups = {}
    total = None
    for index, (name, (_lookup, model, code)) in enumerate(GROUPINGS.items()):
        facts = [rules.Facts(group=row[3 + index], raised_on=row[0], answer_due=row[1], answered_on=row[2])
                 for row in rows]
        by_group, total = rules.statistics(facts, start=start, end=end, calendar=calendar)
        labels = {pk: (code_, name_) for pk, code_, name_ in model.objects.filter(
            pk__in=[k for k in by_group if k is not None]).values_list("pk", code, "name")}
        groups[name] = sorted((Row(key, *labels.get(key, (None, "")), figures) for key, figures in by_group.items()),
                              key=lambda r: (-r.figures.raised, r.name))
    return Statistics(start=start, end=end, total=total or rules.Figures(), groups=groups)
