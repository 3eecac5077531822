import datetime as dt
from types import SimpleNamespace

import pytest

from ronghe.tasks import services
from tests import factories as f

D = dt.date


@pytest.fixture
def five_ones(org, personas, settings):
    """A master plan of HQ with one key task led by the plant's head and owned by a worker."""
    settings.RONGHE_TODAY = "2026-06-30"
    leader = f.person(org.hq, name="万总")
    owner = f.person(org.area, name="赵责任")
    teammate = f.person(org.team, name="钱组员")
    leader_user = f.user("leader", person_=leader)
    owner_user = f.user("owner", person_=owner)
    teammate_user = f.user("teammate", person_=teammate)
    plan = services.plan_create(actor=personas.superuser, name="三项制度改革总方案", unit=org.hq, leader=leader,
                                year=2026)
    task = services.task_create(
        actor=personas.superuser, plan=plan, number="1", name="压减处级机构", leader=leader, lead_unit=org.plant,
        responsible=owner, start_date=D(2026, 3, 1), deadline=D(2026, 9, 30), co_units=[org.dept],
        team=[(teammate, "组员")], milestones=[(D(2026, 4, 30), "完成方案审批"), (D(2026, 8, 31), "完成机构调整")])
    return SimpleNamespace(plan=plan, task=task, leader=leader_user, owner=owner_user, teammate=teammate_user)
