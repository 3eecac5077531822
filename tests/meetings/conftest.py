import datetime as dt
from types import SimpleNamespace

import pytest

from ronghe.meetings import services
from ronghe.org import services as org_services
from ronghe.tasks import services as task_services
from tests import factories as f

D = dt.date


@pytest.fixture
def reform(org, personas, settings):
    """The reform office's half-monthly meeting at HQ reviewing a plan with one red task (a
    milestone missed) and one on track; the plant's secretary among the invitees."""
    settings.RONGHE_TODAY = "2026-06-30"
    su = personas.superuser
    chair = f.person(org.hq, name="改革办主任")
    owner = f.person(org.area, name="赵责任")
    owner_user = f.user("owner", person_=owner)
    chair_user = f.user("chair", person_=chair)
    f.grant(chair_user, f.ROLE.ADMIN, org.hq)
    secretary = f.person(org.plant, name="一厂书记")
    org_services.position_assign(actor=su, person=secretary, kind="secretary", party_org=org.plant_po)
    plan = task_services.plan_create(actor=su, name="三项制度改革总方案", unit=org.hq, year=2026)
    red = task_services.task_create(actor=su, plan=plan, name="压减处级机构", leader=chair, lead_unit=org.plant,
                                    responsible=owner, start_date=D(2026, 3, 1), deadline=D(2026, 9, 30),
                                    milestones=[(D(2026, 4, 30), "完成方案审批")])
    task_services.task_issue(actor=su, task=red, on=D(2026, 3, 2))
    task_services.task_acknowledge(actor=su, task=red, on=D(2026, 3, 3))
    green = task_services.task_create(actor=su, plan=plan, name="完善薪酬制度", leader=chair, lead_unit=org.plant,
                                      responsible=owner, start_date=D(2026, 6, 1), deadline=D(2026, 12, 31))
    task_services.task_issue(actor=su, task=green, on=D(2026, 6, 1))
    task_services.task_acknowledge(actor=su, task=green, on=D(2026, 6, 2))
    series = services.series_create(
        actor=su, name="改革办例会", kind="reform_office", organiser_unit=org.hq, recurrence="half_monthly", day=1,
        second_day=16, starts_on=D(2026, 6, 1), place="机关301会议室", chair=chair, invitees=[chair, owner, secretary],
        units=[org.plant], plans=[plan])
    return SimpleNamespace(series=series, plan=plan, red=red, green=green, chair=chair, owner=owner,
                           owner_user=owner_user, chair_user=chair_user, secretary=secretary, su=su)
