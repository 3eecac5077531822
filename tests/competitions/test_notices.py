"""Publishing a period tells the participants' people their standing and the organiser's staff
the ranking's head, once per publication version, and nothing when the publishing rolls back."""
import datetime as dt

import pytest
from django.core import mail
from django.db import transaction

from ronghe.competitions import notices, services
from ronghe.competitions.models import Publication
from ronghe.core.models import Delivery, Notification
from ronghe.core.notifications import services as notification_services
from ronghe.org import services as org_services
from tests import factories as f
from tests.competitions import factories as cf

D = dt.date
JAN = D(2026, 1, 1)


@pytest.fixture
def people(contest, org, personas):
    """The plant's head (a login reading English), the sibling plant's head (no login: email
    only), HQ's competition admin (the organiser's staff) and the plant's group robot."""
    system = f.system_user()
    plant_head = f.user("plant-head", person_=f.person(org.plant, name="一厂厂长", email="head1@example.cn"),
                        language="en")
    org_services.position_assign(actor=system, person=plant_head.person, kind="head", unit=org.plant)
    sibling_head = f.person(org.sibling, name="二厂厂长", email="head2@example.cn")
    org_services.position_assign(actor=system, person=sibling_head, kind="deputy", unit=org.sibling)
    staff = f.user("contest-office", language="en", email="office@example.cn")
    f.grant(staff, f.ROLE.ADMIN, org.hq, include_subtree=False)
    channel = notification_services.webhook_channel_create(
        actor=system, unit=org.plant, kind="wecom", name="一厂群", url="http://127.0.0.1:9/hook?key=t",
        categories=["competitions"])
    return plant_head, sibling_head, staff, channel


def _publish(contest, reason=""):
    return services.period_publish(actor=contest.actor, competition=contest.competition, period_start=JAN,
                                   reason=reason)


def test_publishing_tells_each_participant_its_standing_and_the_staff_the_head(
        contest, people, personas, django_capture_on_commit_callbacks):
    plant_head, sibling_head, staff, channel = people
    with django_capture_on_commit_callbacks(execute=True):
        publication = _publish(contest)
    link = f"/competitions/{contest.competition.pk}/?period=2026-01-01"
    mine = Notification.objects.get(recipient=plant_head)
    assert (mine.category, mine.link) == ("competitions", link)
    assert mine.title.startswith("Ranking published: 2026年原油上产劳动竞赛, ")
    assert mine.body.startswith("采油一厂 ranks 1 of 2 with ") and mine.body.endswith(" Awarded: 流动红旗.")
    office = Notification.objects.get(recipient=staff)
    assert office.body.startswith("2 participants ranked; first: 1. 采油一厂 ") and "2. 采油二厂" in office.body
    assert office.body.endswith("Awards: 流动红旗：采油一厂.")
    assert not Notification.objects.filter(recipient__in=[personas.plant_admin, contest.actor]).exists()
    [to_sibling] = [m for m in mail.outbox if m.to == ["head2@example.cn"]]  # no login: by email, in Chinese
    assert "采油二厂在2个参赛单位中排名第2" in to_sibling.body and "获得" not in to_sibling.body
    robot = Delivery.objects.get(medium="webhook")
    assert (robot.channel, robot.category, robot.link) == (channel, "competitions", link)
    assert "采油一厂" in robot.body and "一厂厂长" in robot.body
    assert set(Delivery.objects.values_list("object_type", flat=True)) == {"competitions.standing",
                                                                           "competitions.publication"}
    assert Delivery.objects.filter(object_type="competitions.publication",
                                   object_id=str(publication.pk)).count() == 2  # the staff's inbox and email


def test_a_version_is_announced_once_and_a_new_version_says_it_replaces_the_earlier(
        contest, people, django_capture_on_commit_callbacks):
    plant_head, _sibling_head, staff, _channel = people
    with django_capture_on_commit_callbacks(execute=True):
        first = _publish(contest)
    before = Delivery.objects.count()
    again = notices.announce(competition=contest.competition, publication=first, standings=list(first.standings.all()),
                             awards={contest.plant.pk: ["流动红旗"]}, participants=[contest.plant, contest.sibling],
                             day=D(2026, 4, 10))
    assert again == 0 and Delivery.objects.count() == before

    services.reading_set(actor=contest.actor, indicator=contest.safety, participant=contest.sibling,
                         period_start=JAN, value=99)
    with django_capture_on_commit_callbacks(execute=True):
        second = _publish(contest, reason="补录安全环保得分")
    assert second.version == 2 and Publication.objects.get(pk=first.pk).is_current is False
    latest = Notification.objects.filter(recipient=plant_head).order_by("-id").first()
    assert latest.title.startswith("Ranking published again: 2026年原油上产劳动竞赛")
    assert " This is version 2; it replaces version 1 of " in latest.body and "补录" not in latest.body
    assert Notification.objects.filter(recipient=plant_head).count() == 2
    assert Notification.objects.filter(recipient=staff).count() == 2


def test_nothing_is_sent_when_the_publishing_rolls_back(contest, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            _publish(contest)
            raise RuntimeError("the caller's transaction fails after publishing")
    assert not Publication.objects.exists()
    assert not Notification.objects.exists() and not Delivery.objects.exists() and mail.outbox == []


def test_a_groups_leader_and_members_and_a_carriers_members_hear_of_their_standing(org, personas):
    groups = cf.competition(personas.superuser, org.hq, kind="groups")
    group = cf.group(org.area)
    member = f.person(org.area)
    group.members.add(member)
    in_group = services.participant_add(actor=personas.superuser, competition=groups, project_group=group)
    carriers = cf.competition(personas.superuser, org.hq, kind="carriers")
    post = cf.carrier(org.team, org.group)
    post.members.create(person=org.worker, is_lead=True)
    on_post = services.participant_add(actor=personas.superuser, competition=carriers, carrier=post)
    bare = services.participant_add(actor=personas.superuser, competition=cf.competition(personas.superuser, org.hq),
                                    unit=org.area2)  # a unit without leaders on record
    heard = notices.people_of([in_group, on_post, bare])
    assert heard == {in_group.pk: [group.leader, member], on_post.pk: [org.worker], bare.pk: []}
