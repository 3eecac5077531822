from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "ronghe.coordination"
    label = "coordination"
    verbose_name = _("Coordination requests (协调事项)")
