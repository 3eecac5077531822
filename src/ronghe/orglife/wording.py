"""How the statuses of the compliance engine look and read, and the one-character names of the
meeting kinds the matrix's small badges carry."""
from django.utils.translation import gettext_lazy as _

from ronghe.orglife.models import Kind
from ronghe.orglife.rules import Status

# Status → (badge classes, chart colour, word)
LOOKS = {
    Status.HELD: ("bg-green text-green-fg", "#2fb344", _("Held on time")),
    Status.LATE: ("bg-orange text-orange-fg", "#f76707", _("Made up late")),
    Status.MISSING: ("bg-red text-red-fg", "#d63939", _("Missing")),
    Status.PENDING: ("bg-azure-lt", "#4299e1", _("Under way")),
    Status.FUTURE: ("bg-light text-secondary", "#e6e7e9", _("Not begun")),
    Status.EXEMPT: ("bg-secondary-lt", "#9ba3af", _("Exempt")),
    Status.INACTIVE: ("bg-light text-secondary", "#f1f3f5", _("Not applicable")),
}
SHORT = {Kind.GENERAL_MEETING: "大", Kind.COMMITTEE: "委", Kind.GROUP_MEETING: "组", Kind.LESSON: "课",
         Kind.THEME_DAY: "日"}


def status_look(status) -> dict:
    css, colour, label = LOOKS[Status(status)]
    return {"code": str(status), "css": css, "colour": colour, "label": label}
