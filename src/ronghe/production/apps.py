from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ronghe.core.modules import ApiRouter, NavItem
from ronghe.core.scheduler import Job


class ProductionConfig(AppConfig):
    name = "ronghe.production"
    label = "production"
    verbose_name = _("Production drive (全员抓生产)")

    urls = [("production/data/", "ronghe.production.urls_data"), ("production/", "ronghe.production.urls")]
    api_routers = [
        ApiRouter("/wells", "ronghe.production.api_data:wells_router", "wells",
                  "Wells (油井) and their daily production (日产)."),
        ApiRouter("/unit-plans", "ronghe.production.api_data:plans_router", "unit-plans",
                  "Output, profit and new-well plans per unit and month, and actual profit (产量/利润计划)."),
        ApiRouter("/production", "ronghe.production.api:router", "production",
                  "Output against plan by unit, 百吨台阶 (hundred-ton steps), project groups (上产项目组), "
                  "measures (措施) and new wells."),
    ]
    nav = [NavItem("production_home", _("Production (生产)"), "chart-line", ("production_",)),
           NavItem("well_list", _("Wells and daily data (油井与日产)"), "database", ("well_", "daily_", "unit_plan_"))]
    demo = "ronghe.production.demo.loader:load_production_demo"
    jobs = [Job("expire_production_imports", minute="*/10")]

    def ready(self):
        # Unit-day totals follow moves and merges of units, in the org change's transaction.
        from ronghe.org.signals import unit_moved, units_merged
        from ronghe.production import org_sync

        unit_moved.connect(org_sync.on_unit_moved, dispatch_uid="production.org_sync.moved")
        units_merged.connect(org_sync.on_units_merged, dispatch_uid="production.org_sync.merged")
