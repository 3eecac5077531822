from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VanguardConfig(AppConfig):
    name = "ronghe.vanguard"
    label = "vanguard"
    verbose_name = _("Vanguard carriers and production problems (党员载体与生产难题)")
