"""The task ledger (督办台账) as xlsx: exactly the tasks the task list shows with the same GET
parameters (see `views._filtered_tasks`: plan, leader, unit, person, state, view, light,
failure_mode, due_from, due_to, q, as_of), in plan and 序号 order with their lights. A value the
list would pass over (a misspelt light, a date that is not one) is refused here with 400, so
that nobody files a ledger believing it filtered. Only tasks the user may see are listed."""
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ronghe.core import clock
from ronghe.tasks import exporters, views
from ronghe.tasks.models import Task
from ronghe.tasks.rules import Light, Mode

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHOICES = {
    "light": {str(light) for light in Light},
    "failure_mode": {str(mode) for mode in Mode},
    "state": {"open", "all", *Task.State.values},
    "view": set(views.VIEWS),
}
NUMBERS = ("plan", "leader")
DATES = ("as_of", "due_from", "due_to")


def _refusal(params) -> str | None:
    """Why the filters cannot be applied as given, or None."""
    for name, allowed in CHOICES.items():
        value = params.get(name, "").strip()
        if value and value not in allowed:
            return _("“%(value)s” is not a valid %(name)s.") % {"value": value, "name": name}
    for name in NUMBERS:
        value = params.get(name, "").strip()
        if value and not value.isdigit():
            return _("“%(value)s” is not a valid %(name)s.") % {"value": value, "name": name}
    for name in DATES:
        try:
            clock.parse_as_of(params.get(name))
        except clock.BadDate as exc:
            return str(exc)
    return None


@require_GET
def ledger(request):
    refusal = _refusal(request.GET)
    if refusal:
        return HttpResponseBadRequest(refusal)
    rows, context = views._filtered_tasks(request)
    as_of = context["as_of"] or clock.today()
    content = exporters.ledger_xlsx(rows, {task.pk: task.status for task in rows}, request.user, as_of=as_of)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="ledger-{as_of.isoformat()}.xlsx"'
    return response
