from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitionsConfig(AppConfig):
    name = "ronghe.competitions"
    label = "competitions"
    verbose_name = _("Labour competitions (劳动竞赛)")
