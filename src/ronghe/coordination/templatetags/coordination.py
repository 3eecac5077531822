"""The coordination card of the task page: a task's requests and whether the viewer may raise
one from it."""
from types import SimpleNamespace

from django import template

from ronghe.coordination import selectors, services
from ronghe.coordination.views import present
from ronghe.core import clock
from ronghe.core.workdays import Calendar

register = template.Library()


@register.simple_tag(takes_context=True)
def task_coordination(context, task):
    user = context["request"].user
    requests = present(list(selectors.for_task(user, task)), clock.today(), Calendar())
    can_raise = (task.state in services.OPEN_TASK_STATES) and services.can_raise_from_task(user, task)
    return SimpleNamespace(requests=requests, can_raise=can_raise)
