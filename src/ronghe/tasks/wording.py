"""How lights, completions and failure modes are named, the same on pages, in the ledger and in
reminders."""
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy

from ronghe.tasks.rules import Completion, Light, Mode

LIGHT_LABELS = {
    Light.RED: gettext_lazy("Red (红灯)"),
    Light.YELLOW: gettext_lazy("Yellow (黄灯)"),
    Light.BLUE: gettext_lazy("Blue (蓝灯)"),
    Light.GREEN: gettext_lazy("Green (绿灯)"),
    Light.GREY: gettext_lazy("Not started (未启动)"),
    Light.DONE: gettext_lazy("Done (已办结)"),
    Light.CANCELLED: gettext_lazy("Cancelled (已作废)"),
}
COMPLETION_LABELS = {
    Completion.ON_TIME: gettext_lazy("Done on time (按期办结)"),
    Completion.LATE: gettext_lazy("Done late (逾期办结)"),
}
MODE_LABELS = {
    Mode.NO_RESPONSE: gettext_lazy("No response (有部署无回音)"),
    Mode.NO_PROGRESS: gettext_lazy("No progress (有计划无进展)"),
    Mode.BLOCKED: gettext_lazy("Blocked (有安排实施不了)"),
    Mode.OVERDUE: gettext_lazy("Overdue (已逾期)"),
    Mode.DUE_SOON: gettext_lazy("Due soon (临近到期)"),
}


def reader_text(message, /, **params):
    """A message (marked with gettext_noop) each recipient reads in their own language:
    notifications translate lazy text per recipient."""
    return lazy(lambda: gettext(message) % params, str)()
