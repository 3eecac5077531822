"""The permission matrix's part for labour competitions: a competition organised by the plant
(CY1), by the sibling plant (CY2) and by the outside root (OUT), each with a participant of its
own, a hand-entered and a live indicator, a reading, a bonus item, an award and a published
first period; and a project group in each, for the bodies that name one.

`QUERY_COUNT_LISTS` holds this module's list endpoints in the shape of
tests/test_query_counts_api.py's LISTS, for that test to merge."""
import datetime as dt

from ronghe.competitions import services
from ronghe.production.models import ProjectGroup
from ronghe.vanguard.models import Carrier
from tests.test_permission_matrix import Case, in_scope

OWNERS = {"plant": "CY1", "sibling": "CY2", "out": "OUT"}
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
    return out


def _scope(persona, key):
    return "in" if in_scope(persona, "unit", OWNERS[key]) else "out"


def child_cases(world, persona, kwarg, extra=None):
    """A competition's participant, indicator, bonus item or award under its own competition, in
    or out of scope with it, and the sibling's one under the plant's competition, where it does
    not belong."""
    mine = world.competitions
    objects = mine[CHILDREN[kwarg]]
    cases = [Case({"competition_id": mine["competitions"][key].pk, kwarg: obj.pk, **(extra or {})}, _scope(persona, key))
             for key, obj in objects.items()]
    stray = Case({"competition_id": mine["competitions"]["plant"].pk, kwarg: objects["sibling"].pk, **(extra or {})},
                 "missing")
    return [*cases, stray]


def competition_cases(world, persona, kwarg="competition_id", extra=None):
    return [Case({kwarg: c.pk, **(extra or {})}, _scope(persona, key))
            for key, c in world.competitions["competitions"].items()]


def path_cases(operation, world, persona, params):
    if not operation.path.startswith(PREFIX):
        return None
    if params == ("competition_id",):
        return competition_cases(world, persona)
    if params == ("competition_id", "period"):
        return competition_cases(world, persona, extra={"period": PERIOD})
    if len(params) == 2 and params[1] in CHILDREN:
        return child_cases(world, persona, params[1])
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
        return persona == "superuser" or in_scope(persona, "unit", item["organiser"])
    return None


PAGE_RULES = [
    (r"^competition_", ("competition_id",), lambda w, p: competition_cases(w, p)),
    *[(r"^competition_", ("competition_id", kwarg), lambda w, p, kwarg=kwarg: child_cases(w, p, kwarg))
      for kwarg in CHILDREN],
]


def _more_competitions(org, personas, n):
    from tests.competitions import factories as cf

    for _ in range(n):
        cf.competition(personas.superuser, org.area)


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
    "competitions_list": [(_more_competitions, "competitions", {})],
    "competitions_readings": [(_more_readings, lambda org: f"competitions/{_readings_competition(org).pk}/readings",
                               {"period": "2025-01-01"})],
}
