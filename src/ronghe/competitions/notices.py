"""Telling people that a period's ranking is published (通报) or published again: each
participant's people hear their own standing — rank, total and awards — and the organiser's
staff hear the ranking's head and its awards, through core.notifications (inbox, email and the
units' group robots, category “competitions”), with a link to that period's leaderboard.

Who hears of a participant: a unit's or team's leaders (head, deputies, leaders in charge), a
project group's leader and members, a carrier's members. The organiser's staff: the users who
run competitions at the organiser unit itself (a role there that changes it). Every message is
keyed to the publication's rows (one Standing per participant and version, the Publication for
the staff), so a version is announced once however often this runs, and a new version is
announced again. It runs inside the publishing transaction: a rollback sends nothing."""
from django.urls import reverse
from django.utils.translation import gettext_lazy

from ronghe.accounts.models import RoleAssignment
from ronghe.accounts.roles import roles_granting
from ronghe.core.notifications.categories import COMPETITIONS
from ronghe.core.notifications.services import notify
from ronghe.core.scoping import CHANGE
from ronghe.core.templatetags.ronghe import cndate
from ronghe.org.models import Position
from ronghe.production.models import ProjectGroup
from ronghe.vanguard.models import CarrierMember

RULE = "competitions.published"
LEADER_KINDS = (Position.Kind.HEAD, Position.Kind.DEPUTY, Position.Kind.IN_CHARGE)
HEAD_OF_SUMMARY = 3  # the staff's message names the first few ranks; the leaderboard has the rest

TITLE = gettext_lazy("Ranking published: %(competition)s, %(period)s")
TITLE_AGAIN = gettext_lazy("Ranking published again: %(competition)s, %(period)s")
STANDING = gettext_lazy("%(participant)s ranks %(rank)s of %(count)s with %(total)s points.")
AWARDED = gettext_lazy(" Awarded: %(awards)s.")
SUMMARY = gettext_lazy("%(count)s participants ranked; first: %(first)s.")
AWARDS = gettext_lazy(" Awards: %(awards)s.")
REPLACES = gettext_lazy(" This is version %(version)s; it replaces version %(previous)s of %(day)s, which no longer "
                        "stands.")


class _Text:
    """Pieces of text (a lazy template and its words) read in each recipient's language when
    notify reads them; a word may be a function, for dates written in that language."""

    def __init__(self, *pieces):
        self.pieces = [p for p in pieces if p is not None]

    def __str__(self):
        return "".join(str(template) % {k: v() if callable(v) else v for k, v in words.items()}
                       for template, words in self.pieces)


def _points(value) -> str:
    return f"{round(value, 2):g}"


def people_of(participants) -> dict[int, list]:
    """{participant id: the people who hear of its standing}. Three queries whatever the number
    of participants."""
    units = {p.unit_id for p in participants if not p.project_group_id and not p.carrier_id}
    groups = {p.project_group_id for p in participants if p.project_group_id}
    carriers = {p.carrier_id for p in participants if p.carrier_id}
    by_unit, by_group, by_carrier = {}, {}, {}
    if units:
        for position in (Position.objects.filter(unit_id__in=units, kind__in=LEADER_KINDS).select_related("person")
                         .order_by("sort_order", "id")):
            by_unit.setdefault(position.unit_id, []).append(position.person)
    if groups:
        for group in ProjectGroup.objects.filter(pk__in=groups).select_related("leader").prefetch_related("members"):
            by_group[group.pk] = [group.leader, *group.members.all()]
    if carriers:
        for seat in CarrierMember.objects.filter(carrier_id__in=carriers).select_related("person"):
            by_carrier.setdefault(seat.carrier_id, []).append(seat.person)
    out = {}
    for p in participants:
        if p.project_group_id:
            out[p.pk] = by_group.get(p.project_group_id, [])
        elif p.carrier_id:
            out[p.pk] = by_carrier.get(p.carrier_id, [])
        else:
            out[p.pk] = by_unit.get(p.unit_id, [])
    return out


def staff_of(competition) -> list:
    """The users who run competitions at the organiser unit itself."""
    return [a.user for a in RoleAssignment.objects.filter(unit_id=competition.organiser_id,
                                                          role__in=roles_granting(CHANGE), user__is_active=True)
            .select_related("user").order_by("id")]


def announce(*, competition, publication, standings, awards, participants, previous=None, day) -> int:
    """Announce `publication`: its `standings` as written (best first), `awards` {participant id:
    award names}, the competition's `participants`; `previous` the version it replaces. The
    number of messages sent."""
    link = f"{reverse('competition_detail', args=[competition.pk])}?period={publication.period_start.isoformat()}"
    head = {"competition": competition.name,
            "period": lambda: f"{cndate(publication.period_start)}–{cndate(publication.period_end)}"}
    title = _Text((TITLE_AGAIN if previous else TITLE, head))
    replaces = (REPLACES, {"version": publication.version, "previous": previous.version,
                           "day": lambda: cndate(previous.published_at)}) if previous else None
    standings = sorted(standings, key=lambda s: (s.rank, s.name))
    people, units = people_of(participants), {p.pk: p.unit_id for p in participants}
    count = len(standings)
    sent = 0
    for standing in standings:
        recipients = people.get(standing.participant_id, [])
        if not recipients:
            continue
        won = awards.get(standing.participant_id, [])
        body = _Text((STANDING, {"participant": standing.name, "rank": standing.rank, "count": count,
                                 "total": _points(standing.total)}),
                     (AWARDED, {"awards": "、".join(won)}) if won else None, replaces)
        sent += len(notify(rule=RULE, obj=standing, day=day, recipients=recipients, title=title, body=body,
                           link=link, category=COMPETITIONS,
                           units_for_webhooks=[units[standing.participant_id]]).messages)
    staff = staff_of(competition)
    if staff:
        first = "；".join(f"{s.rank}. {s.name} {_points(s.total)}" for s in standings[:HEAD_OF_SUMMARY])
        awarded = "；".join(f"{award}：{s.name}" for s in standings for award in awards.get(s.participant_id, []))
        body = _Text((SUMMARY, {"count": count, "first": first}), (AWARDS, {"awards": awarded}) if awarded else None,
                     replaces)
        sent += len(notify(rule=RULE, obj=publication, day=day, recipients=staff, title=title, body=body, link=link,
                           category=COMPETITIONS, units_for_webhooks=[competition.organiser_id]).messages)
    return sent
