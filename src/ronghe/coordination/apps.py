from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ronghe.core.modules import ApiRouter, NavItem
from ronghe.core.scheduler import Job


class CoordinationConfig(AppConfig):
    name = "ronghe.coordination"
    label = "coordination"
    verbose_name = _("Coordination requests (协调事项)")

    urls = [("coordination/", "ronghe.coordination.urls")]
    api_routers = [
        ApiRouter("/coordination", "ronghe.coordination.api:router", "coordination",
                  "Coordination requests (协调事项 / 诉求) raised upward and their life: 提出, 答复, 转办, 确认办结, "
                  "重新办理, 上报; statistics of answers by unit and addressee."),
    ]
    nav = [NavItem("coordination_list", _("Coordination requests (协调事项)"), "messages", ("coordination_",))]
    jobs = [
        Job("escalate_requests", hour="8", minute="10"),
        Job("send_request_reminders", hour="8", minute="40"),
    ]
    demo = "ronghe.coordination.demo.loader:load_coordination_demo"
