"""Carriers and the problem ledger in the permission matrix: a carrier of the plant's branch, one
of the sibling plant's branch and one outside, each with a problem and an attachment. A carrier
or problem is within a persona's scope through its unit or through its (carrier's) Party
organisation, so the branch secretary of the sibling plant reaches theirs."""
import datetime as dt
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from ronghe.vanguard import services
from ronghe.vanguard.models import ProblemAttachment
from tests.test_permission_matrix import Case, in_scope
from tests.vanguard.test_queries import LISTS

HOSTS = {"plant": ("CY1-A1", "P-CY1-B1", "worker"), "sibling": ("CY2-A1", "P-CY2-B1", "sib_worker"),
         "out": ("OUT", "P-OUT", "out_worker")}
ATTACHMENT = "vanguard/matrix/attachment.txt"


def build(world):
    carriers, problems, attachments = {}, {}, {}
    if not default_storage.exists(ATTACHMENT):
        default_storage.save(ATTACHMENT, ContentFile(b"matrix"))
    for key, (unit, org, person) in HOSTS.items():
        lead = world.people[person]
        carriers[key] = services.carrier_create(
            actor=world.system, name=f"矩阵先锋岗{key}", kind="post", unit=world.units[unit], party_org=world.orgs[org],
            established_on=dt.date(2024, 1, 1), lead=lead)
        problems[key] = services.problem_create(actor=world.system, title=f"矩阵难题{key}", unit=world.units[unit],
                                                raised_by=lead, category="technical", carrier=carriers[key])
        attachments[key] = ProblemAttachment.objects.create(problem=problems[key], file=ATTACHMENT,
                                                            name="matrix.txt", size=6)
    return SimpleNamespace(carriers=carriers, problems=problems, attachments=attachments)


def _reaches(persona, key):
    unit, org, _person = HOSTS[key]
    return in_scope(persona, "unit", unit) or in_scope(persona, "party_org", org)


def _cases(world, persona, kwarg, objects):
    return [Case({kwarg: obj.pk}, "in" if _reaches(persona, key) else "out") for key, obj in objects.items()]


def _attachment_cases(world, persona):
    v = world.vanguard
    cases = [Case({"problem_id": v.problems[key].pk, "attachment_id": a.pk}, "in" if _reaches(persona, key) else "out")
             for key, a in v.attachments.items()]
    return [*cases, Case({"problem_id": v.problems["plant"].pk, "attachment_id": v.attachments["sibling"].pk},
                         "missing")]


PAGE_RULES = [
    (r"^vanguard_problem_attachment", ("problem_id", "attachment_id"), _attachment_cases),
    (r"^vanguard_problem_", ("problem_id",), lambda w, p: _cases(w, p, "problem_id", w.vanguard.problems)),
    (r"^vanguard_carrier_", ("carrier_id",), lambda w, p: _cases(w, p, "carrier_id", w.vanguard.carriers)),
]


def path_cases(operation, world, persona, params):
    if not operation.path.startswith(("/api/v1/carriers", "/api/v1/problems")):
        return None
    if params == ("carrier_id",):
        return _cases(world, persona, "carrier_id", world.vanguard.carriers)
    if params == ("problem_id",):
        return _cases(world, persona, "problem_id", world.vanguard.problems)
    if params == ("problem_id", "attachment_id"):
        return _attachment_cases(world, persona)
    return None


REF_FIELDS = {
    "/api/v1/carriers": {"lead": "person"},
    "/api/v1/problems": {"raised_by": "person", "carrier": "vanguard_carrier"},
}


def ref_value(world, persona, kind, inside):
    if kind == "vanguard_carrier":
        # Always an id: one of the other side when the persona has none on this one (every
        # carrier lies inside the superuser's scope; an outsider has none), or one that does not exist.
        keys = [key for key in HOSTS if _reaches(persona, key) == inside] or [
            key for key in HOSTS if _reaches(persona, key) != inside]
        return world.vanguard.carriers[keys[0]].pk if inside else (
            world.vanguard.carriers[keys[0]].pk if not _reaches(persona, keys[0]) else 10**9)
    return None


BODY_VALUES = {"established_on": "2024-06-01", "year": 2025, "title": "矩阵标题", "granted_on": "2025-06-01",
               "solution": "矩阵方案", "note": "矩阵意见"}


# The shared query-count test asks every growth to show every row it adds, which the module's
# filtered variants (a share of the rows grown) do not; those run in tests/vanguard.
QUERY_COUNT_LISTS = {operation: variants[:1] for operation, variants in LISTS.items()}
