"""What a notification is about. Webhook channels choose the categories they receive, and the
inbox filters by them. The list lives in code, not in a database choice, so that a module
adding its own category needs no migration of core."""
from django.utils.translation import gettext_lazy as _

SYSTEM = "system"
TASKS = "tasks"
COORDINATION = "coordination"
MEETINGS = "meetings"
ORGLIFE = "orglife"
COMPETITIONS = "competitions"

CATEGORIES = {
    TASKS: _("Key tasks (重点任务)"),
    COORDINATION: _("Coordination requests (协调事项)"),
    MEETINGS: _("Meetings (会议)"),
    ORGLIFE: _("Three meetings and one lesson (三会一课)"),
    COMPETITIONS: _("Labour competitions (劳动竞赛)"),
    SYSTEM: _("System (系统)"),
}


def choices():
    return list(CATEGORIES.items())


def label(code) -> str:
    return str(CATEGORIES.get(code, code))
