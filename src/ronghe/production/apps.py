from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductionConfig(AppConfig):
    name = "ronghe.production"
    label = "production"
    verbose_name = _("Production drive (全员抓生产)")
