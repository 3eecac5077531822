import datetime as dt
from types import SimpleNamespace

import pytest

from ronghe.competitions import services
from tests.competitions import factories as cf

D = dt.date


@pytest.fixture
def contest(org, personas, settings):
    """HQ's monthly oil competition between the two plants on output against plan (live, 60)
    and safety (by hand, rank points, 40), tie broken by output; 流动红旗 to the first."""
    settings.RONGHE_TODAY = "2026-04-10"
    su = personas.superuser
    competition = cf.competition(su, org.hq, name="2026年原油上产劳动竞赛", starts_on=D(2026, 1, 1),
                                 ends_on=D(2026, 12, 31))
    plant = services.participant_add(actor=su, competition=competition, unit=org.plant)
    sibling = services.participant_add(actor=su, competition=competition, unit=org.sibling)
    output = services.indicator_create(actor=su, competition=competition, code="output", name="产量完成率",
                                       source="production.output_vs_plan", weight=60, normalisation="ratio",
                                       target=100)
    safety = services.indicator_create(actor=su, competition=competition, code="safety", name="安全环保",
                                       weight=40, normalisation="rank", unit_label="分")
    services.competition_update(actor=su, competition=competition, tie_breaker=output)
    services.award_kind_create(actor=su, competition=competition, name="流动红旗", top=1)
    for unit, per_day in ((org.plant, 105.0), (org.sibling, 95.0)):
        cf.plan(unit, 2026, 0, 36500)  # 100 t a day over the year
        cf.unit_days(unit, D(2026, 1, 1), D(2026, 4, 9), per_day)
    return SimpleNamespace(competition=competition, plant=plant, sibling=sibling, output=output, safety=safety,
                           actor=su)
