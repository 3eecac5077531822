from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ronghe.core.modules import NavItem
from ronghe.core.scheduler import Job


class CoordinationConfig(AppConfig):
    name = "ronghe.coordination"
    label = "coordination"
    verbose_name = _("Coordination requests (协调事项)")

    urls = [("coordination/", "ronghe.coordination.urls")]
    nav = [NavItem("coordination_list", _("Coordination requests (协调事项)"), "messages", ("coordination_",))]
    jobs = [
        Job("escalate_requests", hour="8", minute="10"),
        Job("send_request_reminders", hour="8", minute="40"),
    ]
