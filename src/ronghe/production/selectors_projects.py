"""Reads of the project groups (上产项目组) and their measures (措施) as the pages, their exports and
the API list them: one filter per list, so a question asked of the page and of the API answers
the same rows. Built on production.selectors' scoped querysets; a unit named outside the
user's scope raises Http404, which the API answers and the pages turn into an empty list."""
from django.db.models import Q

from ronghe.core.scoping import CHANGE
from ronghe.production import selectors

GROUP_ORDER = ("-year", "unit__code", "name")
MEASURE_ORDER = ("-planned_month", "id")
DONE, PLANNED = "done", "planned"


def filter_groups(user, *, unit=None, year=None, q=""):
    """The groups within the user's scope: of the unit `unit` (a code) and the units under it,
    of a year, whose name contains `q`."""
    qs = selectors.groups(user)
    if unit:
        qs = qs.filter(unit__path__startswith=selectors.unit_or_404(user, unit).path)
    if year:
        qs = qs.filter(year=year)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


def filter_measures(user, *, unit=None, group=None, kind=None, year=None, well=None, state=None):
    """The measures on wells within the user's scope: on the wells of the unit `unit` (a code)
    and the units under it, of a group (its id), of a kind, planned or done in a year, on a well
    (its 井号), and `done` or still `planned`."""
    qs = selectors.measures(user)
    if unit:
        qs = qs.filter(well__unit__path__startswith=selectors.unit_or_404(user, unit).path)
    if group:
        qs = qs.filter(group_id=group)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(Q(planned_month__year=year) | Q(done_on__year=year))
    if well:
        qs = qs.filter(well__code=well)
    if state == DONE:
        qs = qs.filter(done_on__isnull=False)
    elif state == PLANNED:
        qs = qs.filter(done_on__isnull=True)
    return qs


def group_members(user, group):
    """The members of `group` the user may see, by name."""
    return selectors.people(user).filter(pk__in=group.members.values("pk")).order_by("name", "employee_no")


def group_wells(user, group):
    """The wells of `group` the user may see, by 井号."""
    return selectors.wells(user).filter(project_groups=group).order_by("code")


def group_choices(user):
    """The groups a measure may be put in, newest year first."""
    return selectors.groups(user).order_by("-year", "name")


def unit_choices(user):
    """The units a group may belong to: current ones the user may change."""
    return selectors.units(user, CHANGE).order_by("path")


def leader_choices(user):
    """The people who may lead a group: those the user may see who hold a position somewhere
    (the service checks it is in the group's unit's leadership)."""
    return selectors.people(user).filter(positions__isnull=False).distinct().order_by("name", "employee_no")
