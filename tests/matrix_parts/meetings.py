"""The meetings module's part of the permission matrix: a standing meeting of the plant, of the
sibling plant and of the outside root, each with a generated meeting, an agenda item, an
invitee and a decision, all owned by the organiser unit."""
import datetime as dt
from types import SimpleNamespace

from tests.meetings.test_queries import grow_decisions, grow_meetings, grow_series
from tests.test_permission_matrix import Case, in_scope, owned_cases, page_ref, pick_in, picks_out

OWNERS = {"plant": "CY1", "sibling": "CY2", "out": "OUT"}
PEOPLE = {"plant": "worker", "sibling": "sib_worker", "out": "out_worker"}


def build(world):
    from ronghe.meetings import services

    system = world.system
    organisers = {"plant": world.units["CY1"], "sibling": world.units["CY2"], "out": world.out_unit}
    series, meetings, items, attendance, decisions = {}, {}, {}, {}, {}
    for key, unit in organisers.items():
        person = world.people[PEOPLE[key]]
        series[key] = services.series_create(
            actor=system, name=f"矩阵例会{key}", kind="reform_office", organiser_unit=unit, recurrence="monthly",
            day=10, starts_on=dt.date(2026, 1, 1), chair=person, invitees=[person], plans=[world.plans[key]])
        meetings[key] = services.generate_meetings(actor=system, until=dt.date(2026, 1, 31), series=series[key])[0]
        items[key] = services.agenda_item_add(actor=system, meeting=meetings[key], task=world.tasks[key])
        attendance[key] = meetings[key].attendance.get()
        decisions[key] = services.decision_create(actor=system, meeting=meetings[key], item=items[key],
                                                  text=f"矩阵议定{key}", owner=person, lead_unit=unit,
                                                  deadline=dt.date(2030, 6, 30))
    # An item of a meeting that no path names: a reference to it is always to another meeting's.
    stray_meeting = services.meeting_create(actor=system, organiser_unit=organisers["plant"], title="矩阵专题会",
                                            date=dt.date(2026, 2, 1), start_time=dt.time(9), end_time=dt.time(10))
    stray = services.agenda_item_add(actor=system, meeting=stray_meeting, title="矩阵议题")
    return SimpleNamespace(series=series, meetings=meetings, items=items, attendance=attendance,
                           decisions=decisions, stray_item=stray)


def _child_cases(world, persona, kwarg, objects):
    """A meeting's agenda item or attendance row under its own meeting, and one of another
    meeting under the plant's meeting's id, where it does not belong."""
    m = world.meetings
    cases = [Case({"meeting_id": m.meetings[key].pk, kwarg: obj.pk},
                  "in" if in_scope(persona, "unit", OWNERS[key]) else "out") for key, obj in objects.items()]
    return [*cases, Case({"meeting_id": m.meetings["plant"].pk, kwarg: objects["sibling"].pk}, "missing")]


PAGE_RULES = [
    (r"^meeting_series_", ("series_id",), lambda w, p: owned_cases(p, "series_id", w.meetings.series, OWNERS)),
    (r"^meeting_decision_", ("decision_id",),
     lambda w, p: owned_cases(p, "decision_id", w.meetings.decisions, OWNERS)),
    (r"^meeting_", ("meeting_id",), lambda w, p: owned_cases(p, "meeting_id", w.meetings.meetings, OWNERS)),
    (r"^meeting_", ("meeting_id", "item_id"), lambda w, p: _child_cases(w, p, "item_id", w.meetings.items)),
    (r"^meeting_", ("meeting_id", "attendance_id"),
     lambda w, p: _child_cases(w, p, "attendance_id", w.meetings.attendance)),
]


def path_cases(operation, world, persona, params):
    if not operation.path.startswith(("/api/v1/meeting-series", "/api/v1/meetings", "/api/v1/meeting-decisions")):
        return None
    m = world.meetings
    if params == ("series_id",):
        return owned_cases(persona, "series_id", m.series, OWNERS)
    if params == ("meeting_id",):
        return owned_cases(persona, "meeting_id", m.meetings, OWNERS)
    if params == ("meeting_id", "item_id"):
        return _child_cases(world, persona, "item_id", m.items)
    if params == ("meeting_id", "attendance_id"):
        return _child_cases(world, persona, "attendance_id", m.attendance)
    if params == ("decision_id",):
        return owned_cases(persona, "decision_id", m.decisions, OWNERS)
    if params == ("key",):
        # The feed is opened by its secret, not by a login: an unknown secret is unauthorised
        # for everyone alike; tests/meetings/test_api.py reads feeds with their secrets.
        return [Case({"key": "no-such-feed"}, "missing")] if persona == "anonymous" else []
    return None


REF_FIELDS = {
    "/api/v1/meeting-series": {"organiser_unit": "unit", "chair": "person", "invitees": "people",
                               "units": "units", "plans": "plans", "task_plan": "plan"},
    "/api/v1/meetings": {"organiser_unit": "unit", "chair": "person", "invitees": "people", "series": "meeting_series",
                         "task": "task", "decision": "meeting_decision", "request": "coordination_request",
                         "presenter": "person", "owner": "person", "lead_unit": "unit", "item": "agenda_item",
                         "people": "people", "substitute": "person", "to_unit": "unit", "to_person": "person"},
    "/api/v1/meeting-decisions": {"owner": "person", "lead_unit": "unit", "leader": "person"},
}


def _owned_id(world, persona, objects, inside):
    wanted = "in" if inside else "out"
    return next((obj.pk for key, obj in objects.items()
                 if ("in" if in_scope(persona, "unit", OWNERS[key]) else "out") == wanted), "")


def ref_value(world, persona, kind, inside):
    m = getattr(world, "meetings", None)
    if kind == "people":
        one = page_ref(world, persona, "person", inside)
        return [one] if one else ""
    if kind == "units":
        key = pick_in(persona, "unit") if inside else (picks_out(persona, "unit") or [None])[0]
        return [key] if key else ""
    if kind == "plans":
        from tests.test_permission_matrix import five_ones_cases

        wanted = "in" if inside else "out"
        found = [c.kwargs["pk"] for c in five_ones_cases(world, persona, "pk", "plan") if c.label == wanted]
        return found[:1] or ""
    if kind == "meeting_series":
        return _owned_id(world, persona, m.series, inside)
    if kind == "meeting_decision":
        return _owned_id(world, persona, m.decisions, inside)
    if kind == "agenda_item":
        # Inside: the plant meeting's own item; outside: an item of a meeting no path names.
        return m.items["plant"].pk if inside else m.stray_item.pk
    if kind == "coordination_request":
        return ""
    return None


def item_in_scope(operation, item, persona, world):
    if not operation.path.startswith(("/api/v1/meeting-series", "/api/v1/meetings", "/api/v1/meeting-decisions")):
        return None
    units_in = world_units_in(persona)
    unit = item.get("organiser_unit") or item.get("lead_unit")
    return unit["code"] in units_in if unit else None


def world_units_in(persona):
    from tests.test_permission_matrix import SCOPE

    return SCOPE.get(persona, SCOPE["outsider"])[0]


QUERY_VALUES = {"kind": "reform_office", "date_from": "2025-01-01", "date_to": "2026-12-31"}
BODY_VALUES = {"title": "矩阵会议", "date": "2026-07-01", "start_time": "09:00", "end_time": "10:00",
               "starts_on": "2026-01-01", "until": "2026-03-31", "description": "矩阵诉求"}
FORM_VALUES = {"title": "矩阵会议", "date": "2026-07-01", "start_time": "09:00", "end_time": "10:00",
               "starts_on": "2026-01-01", "deadline": "2030-06-30", "text": "矩阵议定"}
PAGE_REF_FIELDS = {"organiser_unit": "unit", "owner": "person", "presenter": "person", "substitute": "person"}


QUERY_COUNT_LISTS = {
    "meeting_series_list": [(grow_series, "meeting-series", {})],
    "meetings_list": [(grow_meetings, "meetings", {"date_from": "2026-01-01"})],
    "meeting_decisions_list": [(grow_decisions, "meeting-decisions", {}),
                               (grow_decisions, "meeting-decisions", {"state": "open"})],
}
