from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ronghe.core.modules import ApiRouter, NavItem


class VanguardConfig(AppConfig):
    name = "ronghe.vanguard"
    label = "vanguard"
    verbose_name = _("Vanguard carriers and production problems (党员载体与生产难题)")

    urls = [("vanguard/", "ronghe.vanguard.urls")]
    api_routers = [
        ApiRouter("/carriers", "ronghe.vanguard.api:carriers_router", "carriers",
                  "Party-member carriers (载体: 共产党员先锋岗, 党员责任区, 党员先锋工程): members and lead, annual "
                  "reviews, namings and commendations; statistics by kind, production share and member coverage."),
        ApiRouter("/problems", "ronghe.vanguard.api:problems_router", "problems",
                  "The production-problem ledger (生产难题台账): register, tackle, solve, verify by the unit or close "
                  "unsolved; benefit in oil, gas and cost saved; statistics for any period (上半年解决难题)."),
    ]
    nav = [
        NavItem("vanguard_carrier_list", _("Carriers (党员载体)"), "flag-3",
                ("vanguard_carrier", "vanguard_stats"), shown_to="scoped"),
        NavItem("vanguard_problem_list", _("Production problems (生产难题)"), "bulb", ("vanguard_problem",),
                shown_to="scoped"),
    ]
    demo = "ronghe.vanguard.demo.loader:load_vanguard_demo"
