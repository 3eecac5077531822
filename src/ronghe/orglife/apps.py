from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ronghe.core.modules import ApiRouter, NavItem
from ronghe.core.scheduler import Job


class OrglifeConfig(AppConfig):
    name = "ronghe.orglife"
    label = "orglife"
    verbose_name = _("Organisation life (三会一课)")

    urls = [("orglife/", "ronghe.orglife.urls")]
    api_routers = [
        ApiRouter("/orglife", "ronghe.orglife.api:router", "orglife",
                  "三会一课: records of 支部党员大会, 支委会, 党小组会, 党课 and 主题党日 with attendance and photos; the "
                  "rules of how often each is owed; the compliance matrix (按时 / 补开 / 未开) as of any date, its "
                  "rates, the missing meetings and members' attendance."),
    ]
    nav = [NavItem("orglife_matrix", _("Three meetings and one lesson (三会一课)"), "calendar-check", ("orglife_",),
                   shown_to="scoped")]
    jobs = [Job("send_orglife_reminders", hour="8", minute="40")]
    demo = "ronghe.orglife.demo.loader:load_orglife_demo"

    def ready(self):
        from django.db.models.signals import post_migrate

        from ronghe.orglife.models import ensure_default_rules

        # Reference data, like content types: there after every migrate, and after a test flush.
        post_migrate.connect(ensure_default_rules, sender=self, dispatch_uid="orglife_default_rules")
