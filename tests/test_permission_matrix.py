"""The permission matrix: every URL pattern of the project and every operation of the API, as
anonymous, a superuser, a company-wide viewer, one plant's admin, a branch secretary in a
sibling subtree and an outsider without any role.

It proves that anonymous callers reach only the public pages; that nobody reads outside their
scope (an object outside answers 404, lists and pages hold nothing from outside); that nobody
writes outside it (the database is unchanged after any attempt on an object, or with a
reference, outside); and that viewers cannot write at all.

URL patterns and API operations are discovered, not listed: a page or operation added later is
walked automatically, and one whose parameters the walker does not know how to fill fails the
test until a rule is added below. The scopes themselves are written out by hand, so the test
does not trust the code it checks.

Each business module adds its part in tests/matrix_parts/<module>.py, so that modules grow the
matrix without editing this file. A part may define (all optional):
- ``build(world)``: creates the module's objects; the result is stored as ``world.<module>``;
- ``PAGE_RULES``: like PAGE_RULES below, tried before them;
- ``path_cases(operation, world, persona, params)``: cases for an API path's parameters, or None;
- ``REF_FIELDS``: ``{"/api/v1/<prefix>": {body field: kind}}`` for references in request bodies;
- ``ref_value(world, persona, kind, inside)``: what a body sends for a reference of its own kind;
- ``item_in_scope(operation, item, persona, world)``: True / False, or None when not its item;
- ``BODY_VALUES``, ``QUERY_VALUES``, ``FORM_VALUES``, ``PAGE_REF_FIELDS``: merged into those below.
Part modules import helpers from this one (Case, in_scope, owned_cases …)."""
import datetime as dt
import importlib
import io
import json
import pkgutil
import re
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from types import SimpleNamespace

import openpyxl
import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import tests.matrix_parts
from ronghe.accounts.models import ApiToken, Role
from ronghe.api import api
from ronghe.core.models import Notification
from ronghe.core.notifications import services as notification_services
from ronghe.org import services as org_services
from ronghe.org.models import PartyOrg, Person, Unit
from tests import factories as f
from tests.api.support import ApiClient, token_for
from tests.conftest import build_org, build_personas
from tests.once import built_once

PERSONAS = ("anonymous", "superuser", "viewer", "plant_admin", "secretary", "outsider")
READ_ONLY = {"viewer", "outsider"}  # no right to change anything anywhere

ALL_UNITS = {"HQ", "HQ-ZZB", "CY1", "CY1-A1", "CY1-A1-T1", "CY2", "CY2-A1", "OUT"}
ALL_ORGS = {"P-ROOT", "P-CY1", "P-CY1-B1", "P-CY1-B1-G1", "P-CY2", "P-CY2-B1", "P-OUT"}
ALL_PEOPLE = {"worker", "sib_worker", "out_worker"}

# What each persona may see: unit codes, party org codes, people (fixture names). Changing
# follows seeing for everyone with a role that changes; MANAGE lists who manages roles where.
SCOPE = {
    "anonymous": (set(), set(), set()),
    "superuser": (ALL_UNITS, ALL_ORGS, ALL_PEOPLE),
    "viewer": (ALL_UNITS - {"OUT"}, ALL_ORGS - {"P-OUT"}, {"worker", "sib_worker"}),
    "plant_admin": ({"CY1", "CY1-A1", "CY1-A1-T1"}, {"P-CY1", "P-CY1-B1", "P-CY1-B1-G1"}, {"worker"}),
    "secretary": (set(), {"P-CY2-B1"}, {"sib_worker"}),
    "outsider": (set(), set(), set()),
}
MANAGE = {
    "superuser": SCOPE["superuser"],
    "plant_admin": SCOPE["plant_admin"],
}

# Objects picked as "inside" and "outside" a persona's scope, in order of preference: a
# sibling subtree, an ancestor, another root, and (for those who see nothing) the plant.
IN_CANDIDATES = {"unit": ["CY1-A1", "CY2-A1"], "party_org": ["P-CY1-B1", "P-CY2-B1"],
                 "person": ["worker", "sib_worker"]}
OUT_CANDIDATES = {"unit": ["CY2-A1", "HQ", "OUT", "CY1-A1"], "party_org": ["P-CY2-B1", "P-ROOT", "P-OUT", "P-CY1-B1"],
                  "person": ["sib_worker", "out_worker", "worker"]}
# References sent in request bodies when they are meant to be valid: the plant's own nodes.
REF_IN_CANDIDATES = {"unit": ["CY1", "CY2-A1"], "party_org": ["P-CY1", "P-CY2-B1"]}

SCOPE_INDEX = {"unit": 0, "party_org": 1, "person": 2}
AS_OF = "2021-01-01"


def parts():
    """The modules' parts of the matrix (tests/matrix_parts), imported on first use so that they
    can import this module's helpers."""
    return [importlib.import_module(f"{tests.matrix_parts.__name__}.{m.name}")
            for m in pkgutil.iter_modules(tests.matrix_parts.__path__)]


def merged(name, base):
    """`base` with the same-named dict of every part merged in."""
    out = dict(base)
    for part in parts():
        out.update(getattr(part, name, {}))
    return out


def from_parts(function, *args):
    """The first answer other than None of the parts' `function`."""
    for part in parts():
        if hasattr(part, function):
            answer = getattr(part, function)(*args)
            if answer is not None:
                return answer
    return None


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker):
    # Every test of the matrix only reads the world (each attempt to write is rolled back), so
    # it is built once for the module: tests.once explains how each test still starts afresh.
    def build():
        org = build_org()
        return build_world(org, build_personas(org))

    with built_once(django_db_blocker, build) as world:
        yield world


@pytest.fixture
def world(built_world, db):
    return built_world


def build_world(org, personas):
    """The shared organisation plus a second root outside the company-wide viewer's scope, API
    tokens for everyone, and role assignments to revoke."""
    out_unit = f.unit("外部单位", code="OUT", level="division")
    out_org = f.party_org("外部党委", unit_=out_unit, kind=PartyOrg.Kind.COMMITTEE, code="P-OUT")
    out_worker = f.person(out_unit, out_org, name="外部人员", mobile="13700003333")
    users = {name: getattr(personas, name) for name in PERSONAS if name != "anonymous"}
    keys = {name: token_for(user) for name, user in users.items()}
    tokens = {name: ApiToken.objects.get(key_hash=ApiToken.hash(key)) for name, key in keys.items()}
    grantee = f.user("grantee")
    assignments = {"team": f.grant(grantee, Role.VIEWER, org.team),
                   "sib": f.grant(grantee, Role.VIEWER, org.sib_branch),
                   "out": f.grant(grantee, Role.VIEWER, out_unit)}
    people = {"worker": org.worker, "sib_worker": org.sib_worker, "out_worker": out_worker}
    system = f.system_user()
    positions = {
        "area": org_services.position_assign(actor=system, person=org.worker, kind="head", unit=org.area),
        "sib_branch": org_services.position_assign(actor=system, person=org.sib_worker, kind="secretary",
                                                   party_org=org.sib_branch),
        "out": org_services.position_assign(actor=system, person=out_worker, kind="head", unit=out_unit),
    }
    inbox = {name: Notification.objects.create(recipient=user, title=f"矩阵通知 {name}", category="system")
             for name, user in users.items()}
    channels = {key: notification_services.webhook_channel_create(
        actor=system, unit=unit, kind="wecom", name=f"矩阵群 {key}", url="http://127.0.0.1:9/hook?key=matrix")
        for key, unit in (("plant", org.plant), ("sib", org.area2), ("out", out_unit))}
    plans, tasks = five_ones_world(org, out_unit, people)
    world = SimpleNamespace(org=org, users=users, keys=keys, tokens=tokens, assignments=assignments, people=people,
                            positions=positions, inbox=inbox, channels=channels, plans=plans, tasks=tasks,
                            out_unit=out_unit, out_org=out_org, system=system,
                            units={u.code: u for u in Unit.objects.all()},
                            orgs={o.code: o for o in PartyOrg.objects.all()})
    for part in parts():
        if hasattr(part, "build"):
            setattr(world, part.__name__.rsplit(".", 1)[1], part.build(world))
    return world


def five_ones_world(org, out_unit, people):
    """A plan per scope (HQ's, the sibling plant's, the outside root's) and a task in each whose
    lead unit is the plant's area, the sibling's area or the outside unit. Keys: the unit codes'
    owners as in TASK_UNITS."""
    from ronghe.tasks import services as task_services
    from ronghe.tasks.models import Extension

    system = f.system_user()
    plans = {
        "plant": task_services.plan_create(actor=system, name="一厂方案", unit=org.plant),
        "sibling": task_services.plan_create(actor=system, name="二厂方案", unit=org.sibling),
        "out": task_services.plan_create(actor=system, name="外部方案", unit=out_unit),
    }
    tasks = {key: task_services.task_create(
        actor=system, plan=plans[key], name=f"{plans[key].name}任务", leader=people["worker"], lead_unit=lead,
        responsible=people["worker"], deadline=dt.date(2030, 12, 31), milestones=[(dt.date(2030, 6, 30), "矩阵节点")])
        for key, lead in (("plant", org.area), ("sibling", org.area2), ("out", out_unit))}
    for task in tasks.values():
        Extension.objects.create(task=task, requested_on=dt.date(2024, 6, 1), reason="矩阵延期",
                                 new_deadline=dt.date(2031, 6, 30), percent=10)
    return plans, tasks


# Which unit a plan belongs to and which unit leads each task, to decide scope by SCOPE's units.
PLAN_UNITS = {"plant": "CY1", "sibling": "CY2", "out": "OUT"}
TASK_UNITS = {"plant": "CY1-A1", "sibling": "CY2-A1", "out": "OUT"}


def five_ones_cases(world, persona, kwarg, kind):
    """Plans (kind "plan") or tasks ("task") in and out of the persona's unit scope."""
    objects, units = (world.plans, PLAN_UNITS) if kind == "plan" else (world.tasks, TASK_UNITS)
    return [Case({kwarg: obj.pk}, "in" if in_scope(persona, "unit", units[key]) else "out")
            for key, obj in objects.items()]


def owned_cases(persona, kwarg, objects, owners, tree="unit"):
    """Objects (by key) that belong to a unit or party org (`owners`: key → its code), in or out
    of the persona's scope by SCOPE; for the ids of any module's objects."""
    return [Case({kwarg: obj.pk}, "in" if in_scope(persona, tree, owners[key]) else "out")
            for key, obj in objects.items()]


def five_ones_child_cases(world, persona, kwarg, related):
    """A task's milestone or extension ("milestones", "extensions") under its own task, in or out
    of scope with it, and one under another task's id, where it does not belong."""
    cases = [Case({"task_id": task.pk, kwarg: getattr(task, related).get().pk},
                  "in" if in_scope(persona, "unit", TASK_UNITS[key]) else "out")
             for key, task in world.tasks.items()]
    stray = getattr(world.tasks["sibling"], related).get()
    return [*cases, Case({"task_id": world.tasks["plant"].pk, kwarg: stray.pk}, "missing")]


# --- scope helpers -------------------------------------------------------------------------------

def in_scope(persona, kind, key, scope=SCOPE):
    sets = scope.get(persona, SCOPE["outsider"])
    return key in sets[SCOPE_INDEX[kind]]


def pick_in(persona, kind, candidates=IN_CANDIDATES):
    return next((key for key in candidates[kind] if in_scope(persona, kind, key)), None)


def picks_out(persona, kind, limit=2):
    return [key for key in OUT_CANDIDATES[kind] if not in_scope(persona, kind, key)][:limit]


def public_value(world, kind, key):
    """What a URL or a body names an object by."""
    return world.people[key].employee_no if kind == "person" else key


def leak_markers(world, persona):
    """Names, codes and employee numbers of everything outside the persona's scope, except what
    in-scope objects refer to (their parents and ancestors, a person's unit and Party
    organisation): those may be shown as context; anything else showing up is a leak."""
    units_in, orgs_in, people_in = SCOPE[persona]
    context_nodes = [world.units[c] for c in units_in] + [world.orgs[c] for c in orgs_in]
    context_nodes += [world.orgs[c].unit for c in orgs_in]
    for key in people_in:
        person = Person.objects.select_related("unit", "membership__party_org").get(pk=world.people[key].pk)
        context_nodes.append(person.unit)
        if hasattr(person, "membership"):
            context_nodes.append(person.membership.party_org)
    context = set()
    for node in context_nodes:
        for n in [node, *type(node).objects.filter(pk__in=node.ancestor_ids())]:
            context |= {n.name, n.code}
    for key in people_in:
        context |= {world.people[key].name, world.people[key].employee_no}
    everything = {x for u in world.units.values() for x in (u.name, u.code)}
    everything |= {x for o in world.orgs.values() for x in (o.name, o.code)}
    everything |= {x for p in world.people.values() for x in (p.name, p.employee_no)}
    return everything - context


def text_markers(markers):
    """For pages: Chinese names and employee numbers are distinctive enough to look for as
    substrings; short Latin codes such as HQ are not."""
    return {m for m in markers if not re.fullmatch(r"[A-Z0-9-]+", m) or re.fullmatch(r"E\d{6}", m)}


def fingerprint():
    """Every row of every Ronghe model, minus bookkeeping that reads touch (last login, last
    use of a token) and login failures. Read as raw rows, one SELECT a table: the matrix takes
    this picture around every attempt, and building model values for each row cost most of its
    time."""
    volatile = {("accounts.User", "last_login"), ("accounts.ApiToken", "last_used_at")}
    quote = connection.ops.quote_name
    out = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if not model.__module__.startswith("ronghe.") or model._meta.label == "accounts.LoginFailure":
                continue
            columns = ", ".join(quote(fd.column) for fd in model._meta.concrete_fields
                                if fd.column and (model._meta.label, fd.attname) not in volatile)
            cursor.execute(f"SELECT {columns} FROM {quote(model._meta.db_table)} "
                           f"ORDER BY {', '.join(quote(fd.column) for fd in model._meta.pk_fields)}")
            out[model._meta.label] = cursor.fetchall()
    return out


def attempt(send):
    """Send a request that may write, note the database afterwards, and roll back whatever it
    wrote so that the next attempt starts from the same state."""
    with transaction.atomic():
        response = send()
        after = fingerprint()
        transaction.set_rollback(True)
    return response, after


def response_text(response) -> str:
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        content = b"".join(response.streaming_content) if response.streaming else response.content
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
                         if v is not None)
    if response.streaming or not any(t in content_type for t in ("html", "json", "text", "csv")):
        return ""
    return response.content.decode(errors="replace")


def json_strings(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from json_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from json_strings(v)
    elif isinstance(value, str):
        yield value


# --- URL patterns ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Route:
    route: str
    name: str
    namespace: str
    kwargs: tuple

    @property
    def id(self):
        return f"{self.namespace + ':' if self.namespace else ''}{self.name or self.route}"


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            if getattr(p.pattern, "regex", None) is not None and not hasattr(p.pattern, "_route"):
                kwargs = tuple(p.pattern.regex.groupindex)
                route = "REGEX:" + route
            else:
                kwargs = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
            yield Route(route, p.name or "", namespace or "", kwargs)


def all_routes():
    return list(_walk(get_resolver().url_patterns))


PAGE_ROUTES = [r for r in all_routes() if r.namespace != "api"]
API_ROUTES = [r for r in all_routes() if r.namespace == "api"]
PUBLIC_PAGES = {"login", "healthz", "set_language", "api_unknown"}
SESSION_PAGES = {"login", "logout", "set_language"}  # change the session, not data
SELF_SERVICE_PAGES = {"token_list", "token_revoke",  # one's own API tokens
                      "inbox_read", "inbox_read_all"}  # one's own inbox


@dataclass
class Case:
    kwargs: dict
    label: str  # "in", "out", "none" (nothing scoped in the URL) or "missing" (nothing there)
    tree: str | None = None
    notes: dict = field(default_factory=dict)


def node_cases(world, persona, kind, *, kwarg="code", scope=SCOPE, extra=None):
    cases = []
    inside = next((k for k in IN_CANDIDATES[kind] if in_scope(persona, kind, k, scope)), None)
    if inside:
        cases.append(Case({kwarg: public_value(world, kind, inside), **(extra or {})}, "in", kind))
    for key in [k for k in OUT_CANDIDATES[kind] if not in_scope(persona, kind, k, scope)][:2]:
        cases.append(Case({kwarg: public_value(world, kind, key), **(extra or {})}, "out", kind))
    return cases


def token_cases(world, persona, kwarg):
    if persona == "anonymous":
        return [Case({kwarg: world.tokens["viewer"].pk}, "out")]
    other = "viewer" if persona != "viewer" else "plant_admin"
    return [Case({kwarg: world.tokens[persona].pk}, "in"), Case({kwarg: world.tokens[other].pk}, "out")]


def assignment_cases(world, persona, kwarg):
    managed = {"team"} if persona in MANAGE else set()
    if persona == "superuser":
        managed = set(world.assignments)
    return [Case({kwarg: a.pk}, "in" if key in managed else "out") for key, a in world.assignments.items()]


def position_cases(world, persona, kwarg):
    changeable = {"superuser": {"area", "sib_branch", "out"}, "plant_admin": {"area"},
                  "secretary": {"sib_branch"}}.get(persona, set())
    return [Case({kwarg: p.pk}, "in" if key in changeable else "out") for key, p in world.positions.items()]


def inbox_cases(world, persona, kwarg):
    if persona == "anonymous":
        return [Case({kwarg: world.inbox["viewer"].pk}, "out")]
    other = "viewer" if persona != "viewer" else "plant_admin"
    return [Case({kwarg: world.inbox[persona].pk}, "in"), Case({kwarg: world.inbox[other].pk}, "out")]


def channel_cases(world, persona, kwarg):
    changeable = {"superuser": set(world.channels), "plant_admin": {"plant"}}.get(persona, set())
    return [Case({kwarg: c.pk}, "in" if key in changeable else "out") for key, c in world.channels.items()]


def import_kind_cases(world, persona):
    from ronghe.core.tabular import all_importers

    return [Case({"kind": kind}, "none") for kind in all_importers()] + [
        Case({"kind": "no-such-kind"}, "missing")]


PAGE_RULES = [
    # (URL name, the kwargs it takes, the cases to try)
    (r"^unit_", ("code",), lambda w, p: node_cases(w, p, "unit")),
    (r"^party_org_", ("code",), lambda w, p: node_cases(w, p, "party_org")),
    (r"^person_", ("employee_no",), lambda w, p: node_cases(w, p, "person", kwarg="employee_no")),
    (r"^role_grant$", ("tree", "code"), lambda w, p: (
        node_cases(w, p, "unit", scope=MANAGE, extra={"tree": "unit"})
        + node_cases(w, p, "party_org", scope=MANAGE, extra={"tree": "party_org"}))),
    (r"^role_revoke$", ("pk",), lambda w, p: assignment_cases(w, p, "pk")),
    (r"^token_", ("pk",), lambda w, p: token_cases(w, p, "pk")),
    (r"^import_error_file$", ("token",), lambda w, p: [Case({"token": uuid.uuid4()}, "missing")]),
    (r"^import_", ("kind",), import_kind_cases),
    (r"^position_remove$", ("pk",), lambda w, p: position_cases(w, p, "pk")),
    (r"^inbox_", ("pk",), lambda w, p: inbox_cases(w, p, "pk")),
    (r"^webhook_channel_", ("pk",), lambda w, p: channel_cases(w, p, "pk")),
    (r"^api_unknown$", ("rest",), lambda w, p: [Case({"rest": "v1/no-such-endpoint"}, "missing")]),
    (r"^plan_", ("plan_id",), lambda w, p: five_ones_cases(w, p, "plan_id", "plan")),
    (r"^task_", ("task_id",), lambda w, p: five_ones_cases(w, p, "task_id", "task")),
]


def page_cases(route, world, persona):
    if not route.kwargs:
        return [Case({}, "none")]
    for name_re, kwargs, make in [rule for part in parts() for rule in getattr(part, "PAGE_RULES", [])] + PAGE_RULES:
        if re.search(name_re, route.name) and set(kwargs) == set(route.kwargs):
            return make(world, persona)
    pytest.fail(f"The permission matrix does not know how to fill {route.route} ({route.id}): add a rule to "
                f"PAGE_RULES in {__file__} naming which objects its parameters {route.kwargs} stand for.")


def build_url(route, kwargs):
    if route.route.startswith("REGEX:"):
        pytest.fail(f"{route.route}: the permission matrix fills path() routes only; use path() or teach it.")
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route.route)


def tree_of_page(route):
    if route.name.startswith("unit_"):
        return "unit"
    if route.name.startswith("party_org_"):
        return "party_org"
    return None


PAGE_REF_FIELDS = {"parent": None, "new_parent": None, "into": None, "unit": "unit", "party_org": "party_org",
                   "person": "person"}  # None: the page's own tree
FORM_VALUES = {"name": "矩阵测试", "code": "MX-1", "employee_no": "MX0001", "effective_date": "2024-06-01",
               "reason": "permission matrix", "username": "grantee-2", "password": "Matrix-pass-123",
               "role": "admin", "include_subtree": "on", "level": "section", "political_status": "member"}
REPLACED_FORM_VALUES = {"code", "employee_no", "username", "password"}  # new objects need new keys


class PostForms(HTMLParser):
    """The fields of the POST forms of a page, with the values the page fills in."""

    def __init__(self):
        super().__init__()
        self.forms, self.form, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.form = {"method": (a.get("method") or "get").lower(), "action": a.get("action") or "", "fields": {}}
            self.forms.append(self.form)
        elif self.form is None or not a.get("name") and tag != "option":
            return
        elif tag == "input" and (a.get("type") or "text").lower() not in ("submit", "button", "file", "image"):
            if (a.get("type") or "").lower() not in ("checkbox", "radio") or "checked" in a:
                self.form["fields"][a["name"]] = a.get("value") or ""
        elif tag == "select":
            self.select = a["name"]
            self.form["fields"].setdefault(self.select, None)
        elif tag == "option" and self.select and (self.form["fields"][self.select] is None or "selected" in a):
            self.form["fields"][self.select] = a.get("value") or ""
        elif tag == "textarea":
            self.textarea = a["name"]
            self.form["fields"][self.textarea] = ""

    def handle_data(self, data):
        if self.textarea:
            self.form["fields"][self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def post_form(response, url):
    """The fields of the page's own POST form (one posting back to the page), or None."""
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return None
    parser = PostForms()
    parser.feed(response.content.decode(errors="replace"))
    for form in parser.forms:
        if form["method"] == "post" and form["action"].split("?")[0] in ("", url):
            return {k: v for k, v in form["fields"].items() if v is not None and k != "csrfmiddlewaretoken"}
    return None


def page_ref(world, persona, kind, inside):
    if inside:
        key = pick_in(persona, kind, IN_CANDIDATES if kind == "person" else REF_IN_CANDIDATES)
    else:
        key = (picks_out(persona, kind) or [None])[0]
    return public_value(world, kind, key) if key else ""


def page_variants(world, persona, tree, form):
    """("in", data) as the page's own form would send it, with new keys and every reference
    inside the persona's scope, then ("out:<field>", data) with one reference outside it. A page
    that showed no form gets a guess: every field we know, references inside, then outside
    ("blind": whether the page reads them is unknown)."""
    tree = tree or "unit"
    kinds = {name: kind or tree for name, kind in merged("PAGE_REF_FIELDS", PAGE_REF_FIELDS).items()}
    form_values = merged("FORM_VALUES", FORM_VALUES)
    if form is None:
        guess = {**form_values, "kind": "branch" if tree == "party_org" else "grassroots"}
        return [("in", {**guess, **{n: page_ref(world, persona, k, True) for n, k in kinds.items()}}),
                ("blind", {**guess, **{n: page_ref(world, persona, k, False) for n, k in kinds.items()}})]
    data = dict(form)
    for name, value in form_values.items():
        if name in data and (name in REPLACED_FORM_VALUES or not data[name]):
            data[name] = value
    refs = [name for name in data if name in kinds]
    for name in refs:
        data[name] = page_ref(world, persona, kinds[name], True) or data[name]
    variants = [("in", data)]
    for name in refs:
        outside = page_ref(world, persona, kinds[name], False)
        if outside:
            variants.append((f"out:{name}", {**data, name: outside}))
    return variants


def client_for(world, persona):
    client = Client()
    if persona != "anonymous":
        client.force_login(world.users[persona])
    return client


def assert_no_leak(text, markers, where):
    leaked = sorted(m for m in markers if m in text)
    assert not leaked, f"{where} shows what lies outside the scope: {leaked}"


@pytest.mark.parametrize("route", PAGE_ROUTES, ids=[r.id for r in PAGE_ROUTES])
def test_every_page_keeps_to_the_scope(route, world):
    before = fingerprint()
    for persona in PERSONAS:
        client = client_for(world, persona)
        markers = text_markers(leak_markers(world, persona)) if persona != "anonymous" else set()
        for case in page_cases(route, world, persona):
            url = build_url(route, case.kwargs)
            page = None
            for query in ({}, {"as_of": AS_OF}):
                response = client.get(url, query)
                page = page or response
                status = response.status_code
                where = f"{persona} GET {url} {query} ({case.label})"
                if persona == "anonymous":
                    if route.name in PUBLIC_PAGES:
                        assert not (status == 302 and "/accounts/login/" in response["Location"]), where
                    else:
                        assert status == 302 and response["Location"].startswith("/accounts/login/"), where
                    continue
                assert status < 500, where
                if case.label == "out":
                    assert status in (404, 405), f"{where}: {status}"
                elif case.label == "missing":
                    assert status in (403, 404, 405), f"{where}: {status}"
                elif persona == "superuser":
                    assert status in (200, 302, 405), f"{where}: {status}"
                else:
                    assert status in (200, 302, 403, 404, 405), f"{where}: {status}"
                if status == 200:
                    assert_no_leak(response_text(response), markers, where)

            if route.name in SESSION_PAGES:
                continue
            tree = case.tree if case.tree in ("unit", "party_org") else tree_of_page(route)
            for variant, data in page_variants(world, persona, tree, post_form(page, url)):
                response, after = attempt(lambda: client.post(url, data))  # noqa: B023
                status = response.status_code
                where = f"{persona} POST {url} ({case.label}, {variant}) {data}"
                assert status < 500, where
                if persona == "anonymous":
                    assert after == before, f"{where} changed the database"
                    assert route.name in PUBLIC_PAGES or status == 302, where
                elif case.label in ("out", "missing"):
                    assert status in (403, 404, 405), f"{where}: {status}"
                    assert after == before, f"{where} changed the database"
                elif route.name in SELF_SERVICE_PAGES:
                    continue
                elif persona in READ_ONLY or (variant.startswith("out:") and persona != "superuser"):
                    assert after == before, f"{where} changed the database"


def test_every_api_route_is_an_operation_in_the_schema(db):
    paths = set(api.get_openapi_schema()["paths"])
    for route in API_ROUTES:
        if route.name in {"openapi-json", "openapi-view", "api-root"}:
            continue
        openapi_path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route.route)
        assert openapi_path in paths, f"{route.route} is served but not in the OpenAPI schema, so the matrix misses it"


def test_anonymous_callers_reach_the_api_docs_and_schema_only(db):
    client = Client()
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200
    assert client.get("/api/v1/").status_code == 404  # Ninja's root: nothing there but a pointer to the docs


def test_static_files_are_public(db):
    response = Client().get("/static/ninja/swagger-ui.css")
    assert not (response.status_code == 302 and "/accounts/login/" in response["Location"])


# --- API operations ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    op: dict

    @property
    def id(self):
        return self.op["operationId"]

    @property
    def tree(self):
        m = re.match(r"^/api/v1/(units|party-orgs)\b", self.path)
        return {"units": "unit", "party-orgs": "party_org"}[m.group(1)] if m else None


SCHEMA = api.get_openapi_schema()
OPERATIONS = [Operation(method.upper(), path, op) for path, ops in SCHEMA["paths"].items() for method, op in ops.items()]
SELF_SERVICE_TAGS = {"me"}

REF_FIELDS = {"unit": "unit", "party_org": "party_org"}  # plus parent / into: the operation's own tree
BODY_VALUES = {"code": "MX-1", "name": "矩阵测试", "employee_no": "MX0001", "effective_date": "2024-06-01",
               "reason": "permission matrix", "user": "grantee",
               "deadline": "2030-06-30", "new_deadline": "2031-12-31", "percent": 50, "text": "矩阵反馈",
               "evidence": "矩阵佐证"}
QUERY_VALUES = {"from": "2019-01-01"}


def path_cases(operation, world, persona):
    params = tuple(re.findall(r"{(\w+)}", operation.path))
    if not params:
        return [Case({}, "none", operation.tree)]
    contributed = from_parts("path_cases", operation, world, persona, params)
    if contributed is not None:
        return contributed
    if params == ("code",) and operation.tree:
        return node_cases(world, persona, operation.tree)
    if params == ("employee_no",) and operation.path.startswith("/api/v1/people/"):
        return node_cases(world, persona, "person", kwarg="employee_no")
    if params == ("token_id",):
        return token_cases(world, persona, "token_id")
    if params == ("plan_id",):
        return five_ones_cases(world, persona, "plan_id", "plan")
    if params == ("task_id",):
        return five_ones_cases(world, persona, "task_id", "task")
    if params == ("task_id", "milestone_id"):
        return five_ones_child_cases(world, persona, "milestone_id", "milestones")
    if params == ("task_id", "extension_id"):
        return five_ones_child_cases(world, persona, "extension_id", "extensions")
    if params == ("assignment_id",):
        return assignment_cases(world, persona, "assignment_id")
    if params == ("object_type", "object_id"):
        cases = []
        for kind, object_type, objects in (("unit", "org.unit", world.units), ("party_org", "org.partyorg", world.orgs)):
            for case in node_cases(world, persona, kind):
                cases.append(Case({"object_type": object_type, "object_id": objects[case.kwargs["code"]].pk},
                                  case.label, kind))
        return cases
    pytest.fail(f"The permission matrix does not know how to fill {operation.method} {operation.path}: add a rule "
                f"to path_cases in {__file__} naming which objects {params} stand for.")


def resolve(schema):
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def enum_of(prop):
    for option in [prop, *prop.get("anyOf", [])]:
        option = resolve(option)
        if option.get("enum"):
            return option["enum"]
    return None


def request_body(operation):
    content = operation.op.get("requestBody", {}).get("content", {}).get("application/json")
    return resolve(content["schema"]) if content else None


# References in the bodies of the Five-Ones API: plans and tasks by id, people by employee number.
FIVE_ONES_REF_FIELDS = {"plan": "plan", "parent": "task", "parent_task": "task", "lead_unit": "unit",
                        "leader": "person", "responsible": "person"}


def ref_kind(operation, name):
    for part in parts():
        for prefix, fields in getattr(part, "REF_FIELDS", {}).items():
            if operation.path.startswith(prefix) and name in fields:
                return fields[name]
    if operation.path.startswith(("/api/v1/plans", "/api/v1/tasks")) and name in FIVE_ONES_REF_FIELDS:
        return FIVE_ONES_REF_FIELDS[name]
    if name in ("parent", "into"):
        if operation.tree is None:
            pytest.fail(f"{operation.id}: which tree does “{name}” refer to? Teach ref_kind.")
        return operation.tree
    return REF_FIELDS.get(name)


def body_variants(operation, world, persona):
    """("in", body) with every reference inside the persona's scope where it has one, then
    ("out:<field>", body) with one reference outside it."""
    schema = request_body(operation)
    if schema is None:
        return [("in", None)]
    props, required = schema.get("properties", {}), set(schema.get("required", []))
    body_values = merged("BODY_VALUES", BODY_VALUES)
    plain = {}
    for name, prop in props.items():
        if ref_kind(operation, name) or (name not in required and name != "name"):
            continue
        if name in body_values:
            plain[name] = body_values[name]
        elif "default" in prop:
            plain[name] = prop["default"]
        elif enum_of(prop):
            plain[name] = enum_of(prop)[0]
        else:
            pytest.fail(f"{operation.id}: the permission matrix does not know what to send as “{name}”; "
                        f"add it to BODY_VALUES.")
    refs = {name: ref_kind(operation, name) for name in props if ref_kind(operation, name)}
    refs_in = {}
    for name, kind in refs.items():
        value = ref_value(world, persona, kind, True) or (name in required and ref_value(world, persona, kind, False))
        if value:
            refs_in[name] = value
    variants = [("in", {**plain, **refs_in})]
    for name, kind in refs.items():
        outside = ref_value(world, persona, kind, False)
        if outside:
            kept = {k: v for k, v in refs_in.items() if k in required}
            variants.append((f"out:{name}", {**plain, **kept, name: outside}))
    return variants


def ref_value(world, persona, kind, inside):
    """What a body sends to name an object of `kind` inside (or outside) the persona's scope:
    a code, an employee number or a plan's or task's id; None when there is none."""
    contributed = from_parts("ref_value", world, persona, kind, inside)
    if contributed is not None:
        return contributed
    if kind in ("plan", "task"):
        wanted = "in" if inside else "out"
        return next((c.kwargs["pk"] for c in five_ones_cases(world, persona, "pk", kind) if c.label == wanted), None)
    return page_ref(world, persona, kind, inside) or None


def query_for(operation):
    query, query_values = {}, merged("QUERY_VALUES", QUERY_VALUES)
    for param in operation.op.get("parameters", []):
        if param["in"] == "query" and param.get("required"):
            if param["name"] not in query_values:
                pytest.fail(f"{operation.id}: the permission matrix does not know what to send as "
                            f"“{param['name']}”; add it to QUERY_VALUES.")
            query[param["name"]] = query_values[param["name"]]
    return query


def item_in_scope(operation, item, persona, world):
    """Whether one row of a list belongs to the persona's scope; None when the row carries
    nothing to tell (the leak markers still apply)."""
    if persona == "superuser":
        return True
    contributed = from_parts("item_in_scope", operation, item, persona, world)
    if contributed is not None:
        return contributed
    units_in, orgs_in, people_in = SCOPE[persona]
    if operation.path.startswith("/api/v1/people"):
        return item["employee_no"] in {world.people[k].employee_no for k in people_in}
    if operation.tree == "unit" and "code" in item:
        return item["code"] in units_in
    if operation.tree == "party_org" and "code" in item:
        return item["code"] in orgs_in
    if operation.path.startswith("/api/v1/tasks") and "lead_unit" in item:
        return item["lead_unit"] in units_in
    if operation.path.startswith("/api/v1/me/tokens"):
        return item["id"] == world.tokens[persona].pk or item["id"] not in {t.pk for t in world.tokens.values()}
    if "unit" in item or "party_org" in item:
        return item.get("unit") in units_in or item.get("party_org") in orgs_in
    return None


def call(client, operation, path, query, body):
    if operation.method == "GET":
        return client.get(path, **query)
    method = operation.method.lower()
    return getattr(client, method)(path) if body is None else getattr(client, method)(path, body)


def fill_path(operation, kwargs):
    return re.sub(r"{(\w+)}", lambda m: str(kwargs[m.group(1)]), operation.path)


@pytest.mark.parametrize("operation", OPERATIONS, ids=[o.id for o in OPERATIONS])
def test_every_api_operation_keeps_to_the_scope(operation, world):
    before = fingerprint()
    self_service = bool(set(operation.op.get("tags", [])) & SELF_SERVICE_TAGS)
    query_names = {p["name"] for p in operation.op.get("parameters", []) if p["in"] == "query"}
    for persona in PERSONAS:
        client = ApiClient(world.keys.get(persona))
        markers = leak_markers(world, persona) if persona != "anonymous" else set()
        for case in path_cases(operation, world, persona):
            path = fill_path(operation, case.kwargs)
            if operation.method == "GET":
                queries = [query_for(operation)]
                if "as_of" in query_names:
                    queries.append({**queries[0], "as_of": AS_OF})
                for query in queries:
                    response = client.get(path, **query)
                    where = f"{persona} GET {path} {query} ({case.label})"
                    if persona == "anonymous":
                        assert response.status_code == 401, where
                        continue
                    expected = 404 if case.label in ("out", "missing") else 200
                    assert response.status_code == expected, f"{where}: {response.status_code} {response.content[:300]}"
                    if expected != 200:
                        continue
                    body = response.json()
                    leaked = sorted(set(json_strings(body)) & markers)
                    assert not leaked, f"{where} shows what lies outside the scope: {leaked}"
                    for item in body.get("items", []) if isinstance(body, dict) else []:
                        assert item_in_scope(operation, item, persona, world) is not False, f"{where} lists {item}"
                continue

            for variant, payload in body_variants(operation, world, persona):
                response, after = attempt(lambda: call(client, operation, path, {}, payload))  # noqa: B023
                status = response.status_code
                where = f"{persona} {operation.method} {path} ({case.label}, {variant}) {json.dumps(payload)}"
                assert status < 500, f"{where}: {response.content[:300]}"
                if persona == "anonymous":
                    assert status == 401 and after == before, where
                elif case.label in ("out", "missing"):
                    assert status in (403, 404, 422), f"{where}: {status}"
                    assert after == before, f"{where} changed the database"
                elif variant.startswith("out:"):
                    assert status in (403, 404, 422), f"{where}: {status}"
                    assert after == before, f"{where} changed the database"
                elif self_service:
                    assert status < 400, f"{where}: {status} {response.content[:300]}"
                elif persona in READ_ONLY:
                    assert status in (403, 404), f"{where}: {status}"
                    assert after == before, f"{where} changed the database"
                elif persona == "superuser":
                    assert status not in (401, 403, 404), f"{where}: {status} {response.content[:300]}"


def test_the_matrix_covers_every_persona_the_issue_names(world):
    assert set(SCOPE) == set(PERSONAS)
    for persona, user in world.users.items():
        units_in, orgs_in, people_in = SCOPE[persona]
        assert set(Unit.objects.restrict(user).values_list("code", flat=True)) == units_in, persona
        assert set(PartyOrg.objects.restrict(user).values_list("code", flat=True)) == orgs_in, persona
        assert set(Person.objects.restrict(user).values_list("pk", flat=True)) == {
            world.people[k].pk for k in people_in}, persona

