from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrglifeConfig(AppConfig):
    name = "ronghe.orglife"
    label = "orglife"
    verbose_name = _("Organisation life (三会一课)")
