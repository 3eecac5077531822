from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ronghe.core.modules import ApiRouter, NavItem


class CompetitionsConfig(AppConfig):
    name = "ronghe.competitions"
    label = "competitions"
    verbose_name = _("Labour competitions (劳动竞赛)")

    urls = [("competitions/", "ronghe.competitions.urls")]
    api_routers = [
        ApiRouter("/competitions", "ronghe.competitions.api:router", "competitions",
                  "Labour competitions (劳动竞赛): participants, indicators (live or entered by hand) with weights, "
                  "bonus and deduction items, rankings by period with rank changes, publishing (通报) and awards "
                  "(流动红旗)."),
    ]
    nav = [NavItem("competition_list", _("Labour competitions (劳动竞赛)"), "trophy", ("competition_",),
                   shown_to="scoped")]
    demo = "ronghe.competitions.demo.loader:load_competitions_demo"
