"""The task ledger (督办台账) as xlsx. It takes the task list's filters as GET parameters:
`plan` (a plan's id), `light` (grey, green, blue, yellow, red, done, cancelled), `failure_mode`
(no_response, no_progress, blocked, overdue, due_soon), `as_of` (YYYY-MM-DD, default today) and
`q` (words in the task's name or its 序号). Only tasks the user may see are listed."""
from django.db.models import Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ronghe.core import clock
from ronghe.core.workdays import Calendar
from ronghe.tasks import exporters, selectors
from ronghe.tasks.rules import Light, Mode

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BadFilter(ValueError):
    pass


def _choice(request, name, allowed):
    value = request.GET.get(name, "").strip()
    if value and value not in allowed:
        raise BadFilter(_("“%(value)s” is not a valid %(name)s.") % {"value": value, "name": name})
    return value or None


def _filtered(request):
    """The user's tasks narrowed by the GET filters, the date and the light filters to apply."""
    as_of = clock.parse_as_of(request.GET.get("as_of")) or clock.today()
    light = _choice(request, "light", {str(light) for light in Light})
    failure_mode = _choice(request, "failure_mode", {str(mode) for mode in Mode})
    tasks = selectors.tasks(request.user)
    plan = request.GET.get("plan", "").strip()
    if plan:
        if not plan.isdigit():
            raise BadFilter(_("“%(value)s” is not a valid %(name)s.") % {"value": plan, "name": "plan"})
        tasks = tasks.filter(plan_id=int(plan))
    for word in request.GET.get("q", "").split():
        tasks = tasks.filter(Q(name__icontains=word) | Q(number__startswith=word))
    return selectors.with_facts(tasks), as_of, light, failure_mode


@require_GET
def ledger(request):
    try:
        tasks, as_of, light, failure_mode = _filtered(request)
    except (BadFilter, clock.BadDate) as exc:
        return HttpResponseBadRequest(str(exc))
    rows = list(tasks)
    statuses = selectors.statuses(rows, as_of, Calendar())
    rows = selectors.matching(rows, statuses, light=light, failure_mode=failure_mode)
    content = exporters.ledger_xlsx(rows, statuses, request.user)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="ledger-{as_of.isoformat()}.xlsx"'
    return response
