"""The permission matrix's part for labour competitions: a competition organised by the plant
(CY1), by the sibling plant (CY2) and by the outside root (OUT), each with a participant of its
own, a hand-entered and a live indicator, a reading, a bonus item, an award and a published
first period; and a project group in each, for the bodies that name one.

HQ's competition has the two plants compete: the plant's admin takes part in it. They read
it (the leaderboard, the spreadsheet, the 通报, their own plant's breakdown, the API's detail,
rankings and scores: PARTICIPANT_READS) and nothing else of it — not the sibling's breakdown,
nor readings, items, set-up or any write, which answer them as outside their scope. Its
period is left unpublished: a published ranking names every participant to every participant
by design (docs/competitions.md), which the matrix's leak markers cannot tell from a leak;
tests/competitions/test_participants.py checks what a published one shows.

`QUERY_COUNT_LISTS` holds this module's list endpoints in the shape of
tests/test_query_counts_api.py's LISTS, for that test to merge."""
import datetime as dt

from ronghe.competitions import services
from ronghe.production.models import ProjectGroup
from ronghe.vanguard.models import Carrier
from tests.test_permission_matrix import Case, in_scope

OWNERS = {"plant": "CY1", "sibling": "CY2", "out": "OUT", "hq": "HQ"}
# Written out by hand, not asked of the code: who takes part in which competition (by key).
TAKING_PART = {"plant_admin": {"hq"}}
PARTICIPANT_PAGES = r"^competition_(detail|export|report)$"
PARTICIPANT_OPERATIONS = {"competitions_get", "competitions_rankings", "competitions_ranking",
                          "competitions_participant_scores"}
PERIOD = "2025-01-01"
PREFIX = "/api/v1/competitions"
BODY_VALUES = {"starts_on": "2025-01-01", "ends_on": "2025-12-31", "weight": 10, "indicator": "safety",
               "period_start": PERIOD, "value": 88, "points": 1}
REF_FIELDS = {PREFIX: {"organiser": "unit", "unit": "unit", "participant": "competition_participant",
                       "project_group": "competition_project_group", "carrier": "competition_carrier"}}
CHILDREN = {"participant_id": "participants", "indicator_id": "indicators", "adjustment_id": "adjustments",
            "award_id": "awards", "reading_id": "readings"}
FORM_VALUES = {"starts_on": "2025-01-01", "ends_on": "2025-12-31", "weight": "10", "value": "1", "points": "1",
               "top": "1", "period_start": PERIOD}
PAGE_REF_FIELDS = {"organiser": "unit"}


def build(world):
    org, system = world.org, world.system
    organisers = {"plant": org.plant, "sibling": org.sibling, "out": world.out_unit}
    members = {"plant": org.area, "sibling": org.area2, "out": world.out_unit}
    leaders = {"plant": "worker", "sibling": "sib_worker", "out": "out_worker"}
    out = {"competitions": {}, "participants": {}, "indicators": {}, "adjustments": {}, "awards": {}, "readings": {},
           "groups": {}, "carriers": {}}
    orgs = {"plant": world.orgs["P-CY1-B1"], "sibling": world.orgs["P-CY2-B1"], "out": world.out_org}
    hq = _hq_competition(world)
    for key, organiser in organisers.items():
        competition = services.competition_create(actor=system, name=f"矩阵竞赛{key}", organiser=organiser,
                                                  starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31))
        participant = services.participant_add(actor=system, competition=competition, unit=members[key])
        safety = services.indicator_create(actor=system, competition=competition, code="safety", name="安全",
                                           weight=40)
        services.indicator_create(actor=system, competition=competition, code="output", name="产量完成率",
                                  weight=60, source="production.output_vs_plan", normalisation="ratio", target=100)
        out["readings"][key] = services.reading_set(actor=system, indicator=safety, participant=participant,
                                                    period_start=dt.date(2025, 1, 1), value=90, evidence="矩阵佐证")
        adjustment = services.adjustment_add(actor=system, participant=participant, period_start=dt.date(2025, 1, 1),
                                             points=2, reason="矩阵加分")
        award = services.award_kind_create(actor=system, competition=competition, name="流动红旗")
        services.period_publish(actor=system, competition=competition, period_start=dt.date(2025, 1, 1))
        out["competitions"][key] = competition
        out["participants"][key] = participant
        out["indicators"][key] = safety
        out["adjustments"][key] = adjustment
        out["awards"][key] = award
        out["groups"][key] = ProjectGroup.objects.create(name=f"矩阵竞赛项目组{key}", unit=members[key],
                                                         leader=world.people[leaders[key]], year=2025)
        out["carriers"][key] = Carrier.objects.create(name=f"矩阵竞赛先锋岗{key}", kind="post", unit=members[key],
                                                      party_org=orgs[key], established_on=dt.date(2024, 1, 1))
    for name, objects in hq.items():
        out[name]["hq"] = objects
    return out


def _hq_competition(world):
    """HQ's competition between the two plants, with a reading, an item and an award, running."""
    org, system = world.org, world.system
    competition = services.competition_create(actor=system, name="矩阵竞赛hq", organiser=org.hq,
                                              starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31))
    plant = services.participant_add(actor=system, competition=competition, unit=org.plant)
    sibling = services.participant_add(actor=system, competition=competition, unit=org.sibling)
    safety = services.indicator_create(actor=system, competition=competition, code="safety", name="安全", weight=40)
    services.indicator_create(actor=system, competition=competition, code="output", name="产量完成率", weight=60,
                              source="production.output_vs_plan", normalisation="ratio", target=100)
    services.reading_set(actor=system, indicator=safety, participant=plant, period_start=dt.date(2025, 1, 1), value=91)
    reading = services.reading_set(actor=system, indicator=safety, participant=sibling,
                                   period_start=dt.date(2025, 1, 1), value=89, evidence="矩阵佐证")
    adjustment = services.adjustment_add(actor=system, participant=sibling, period_start=dt.date(2025, 1, 1),
                                         points=-1, reason="矩阵扣分")
    award = services.award_kind_create(actor=system, competition=competition, name="流动红旗")
    world.competition_hq_sibling = sibling
    return {"competitions": competition, "participants": plant, "indicators": safety, "adjustments": adjustment,
            "awards": award, "readings": reading}


def _scope(persona, key, reads=False):
    """In scope by the organiser; or, for what a participant reads, by taking part."""
    if in_scope(persona, "unit", OWNERS[key]) or (reads and key in TAKING_PART.get(persona, set())):
        return "in"
    return "out"


def child_cases(world, persona, kwarg, extra=None, reads=False):
    """A competition's participant, indicator, bonus item or award under its own competition, in
    or out of scope with it, and the sibling's one under the plant's competition, where it does
    not belong. With `reads` (a participant's own breakdown), HQ's sibling plant too: the plant's
    admin takes part in HQ's competition, but not as the sibling."""
    mine = world.competitions
    objects = mine[CHILDREN[kwarg]]
    cases = [Case({"competition_id": mine["competitions"][key].pk, kwarg: obj.pk, **(extra or {})},
                  _scope(persona, key, reads))
             for key, obj in objects.items()]
    stray = Case({"competition_id": mine["competitions"]["plant"].pk, kwarg: objects["sibling"].pk, **(extra or {})},
                 "missing")
    if reads:
        cases.append(Case({"competition_id": mine["competitions"]["hq"].pk, kwarg: world.competition_hq_sibling.pk,
                           **(extra or {})}, _scope(persona, "hq")))
    return [*cases, stray]


def competition_cases(world, persona, kwarg="competition_id", extra=None, reads=False):
    return [Case({kwarg: c.pk, **(extra or {})}, _scope(persona, key, reads))
            for key, c in world.competitions["competitions"].items()]


def path_cases(operation, world, persona, params):
    if not operation.path.startswith(PREFIX):
        return None
    reads = operation.method == "GET" and operation.id in PARTICIPANT_OPERATIONS
    if params == ("competition_id",):
        return competition_cases(world, persona, reads=reads)
    if params == ("competition_id", "period"):
        return competition_cases(world, persona, extra={"period": PERIOD}, reads=reads)
    if len(params) == 2 and params[1] in CHILDREN:
        return child_cases(world, persona, params[1], reads=reads)
    return None


def ref_value(world, persona, kind, inside):
    if kind not in ("competition_participant", "competition_project_group", "competition_carrier"):
        return None
    # "" rather than None says "none of this kind", which the matrix must not look up itself.
    wanted = [key for key, unit in OWNERS.items() if in_scope(persona, "unit", unit) == inside]
    if not wanted:
        return ""
    if kind == "competition_participant":
        return world.competitions["participants"][wanted[0]].pk
    # A competition among units takes no group nor carrier: only one outside the scope is worth sending.
    if inside:
        return ""
    return world.competitions["groups" if kind == "competition_project_group" else "carriers"][wanted[0]].pk


def item_in_scope(operation, item, persona, world):
    if operation.path.startswith(PREFIX) and "organiser" in item:
        taking_part = {world.competitions["competitions"][key].pk for key in TAKING_PART.get(persona, set())}
        return persona == "superuser" or in_scope(persona, "unit", item["organiser"]) or item["id"] in taking_part
    return None


PAGE_RULES = [
    (PARTICIPANT_PAGES, ("competition_id",), lambda w, p: competition_cases(w, p, reads=True)),
    (r"^competition_participant$", ("competition_id", "participant_id"),
     lambda w, p: child_cases(w, p, "participant_id", reads=True)),
    (r"^competition_", ("competition_id",), lambda w, p: competition_cases(w, p)),
    *[(r"^competition_", ("competition_id", kwarg), lambda w, p, kwarg=kwarg: child_cases(w, p, kwarg))
      for kwarg in CHILDREN],
]


def _more_competitions(org, personas, n):
    from tests.competitions import factories as cf

    for _ in range(n):
        cf.competition(personas.superuser, org.area)


def _more_taken_part_in(org, personas, n):
    """Competitions of HQ in which the plant competes: the plant's admin lists them as a participant."""
    from tests.competitions import factories as cf

    for _ in range(n):
        competition = cf.competition(personas.superuser, org.hq)
        services.participant_add(actor=personas.superuser, competition=competition, unit=org.plant)
        services.participant_add(actor=personas.superuser, competition=competition, unit=org.sibling)


def _readings_competition(org):
    """The plant's competition the readings list grows in, made on first use."""
    from tests import factories as f

    if not hasattr(org, "qc_competition"):
        system = f.system_user()
        org.qc_competition = services.competition_create(
            actor=system, name="质控竞赛", organiser=org.plant, starts_on=dt.date(2025, 1, 1),
            ends_on=dt.date(2025, 12, 31))
        org.qc_indicator = services.indicator_create(actor=system, competition=org.qc_competition, code="safety",
                                                     name="安全", weight=40)
    return org.qc_competition


def _more_readings(org, personas, n):
    from tests import factories as f

    competition = _readings_competition(org)
    for _ in range(n):
        participant = services.participant_add(actor=personas.superuser, competition=competition,
                                               unit=f.unit(parent=org.area))
        services.reading_set(actor=personas.superuser, indicator=org.qc_indicator, participant=participant,
                             period_start=dt.date(2025, 1, 1), value=80)


QUERY_COUNT_LISTS = {
    "competitions_list": [(_more_competitions, "competitions", {}), (_more_taken_part_in, "competitions", {})],
    "competitions_readings": [(_more_readings, lambda org: f"competitions/{_readings_competition(org).pk}/readings",
                               {"period": "2025-01-01"})],
}
