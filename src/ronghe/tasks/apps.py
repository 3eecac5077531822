from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "ronghe.tasks"
    label = "tasks"
    verbose_name = _("Five-Ones key tasks (五个一)")
