"""Load the generated demo oilfield: the rows through the real spreadsheet importers, then the
leadership positions, this year's reform, and the demo accounts through the services, all as
the `system` superuser and in one transaction, so a failure leaves nothing behind."""
import time
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from ronghe.accounts import services as account_services
from ronghe.accounts.models import User
from ronghe.core import clock
from ronghe.org import services
from ronghe.org.demo import generator
from ronghe.org.demo import oilfield as of
from ronghe.org.importers import PartyOrgImporter, PersonImporter, UnitImporter
from ronghe.org.models import PartyOrg, Person, Position, Unit

SYSTEM_USERNAME = "system"


class DemoLoadError(Exception):
    """The demo rows did not import; `lines` says why, one problem a line."""

    def __init__(self, lines):
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass
class LoadReport:
    loaded: bool
    message: str
    counts: dict = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    seconds: float = 0.0


def system_actor() -> User:
    """The superuser that writes demo data and other system changes; it cannot log in."""
    user = User.objects.filter(username=SYSTEM_USERNAME).first()
    if user is None:
        user = User(username=SYSTEM_USERNAME, last_name=_("System"), is_superuser=True, is_staff=False)
        user.set_unusable_password()
        user.save()
    return user


def load_demo(*, seed: int = 2026, size: str = "full", if_empty: bool = False) -> LoadReport:
    if if_empty and Unit.objects.exists():
        return LoadReport(False, _("The database already holds units; the demo data was not loaded."))
    if Unit.objects.filter(code=of.COMPANY_CODE).exists():
        return LoadReport(False, _("The demo oilfield (%(code)s) is already loaded; nothing changed.")
                          % {"code": of.COMPANY_CODE})
    started = time.monotonic()
    data = generator.generate(seed=seed, size=size, today=clock.today())
    with transaction.atomic():
        actor = system_actor()
        lines = _import_rows(actor, data)
        _assign_positions(actor, data.positions)
        _apply_reform(actor, data.reform)
        lines += _create_accounts(actor, data.accounts)
    counts = {
        "units": Unit.objects.count(),
        "active_units": Unit.objects.filter(abolished_on=None).count(),
        "party_orgs": PartyOrg.objects.count(),
        "people": Person.objects.count(),
        "party_members": Person.objects.filter(political_status__in=Person.PARTY_STATUSES).count(),
        "probationary": Person.objects.filter(political_status=Person.PoliticalStatus.PROBATIONARY).count(),
        "positions": Position.objects.count(),
        "reform_steps": len(data.reform),
    }
    return LoadReport(True, _("The demo oilfield is loaded."), counts, lines, time.monotonic() - started)


def _import_rows(actor, data) -> list[str]:
    lines = []
    for importer, rows, name in ((UnitImporter, data.units, "demo-units"),
                                 (PartyOrgImporter, data.party_orgs, "demo-party-orgs"),
                                 (PersonImporter, data.people, "demo-people")):
        result = importer(actor=actor).run_rows(rows, source_name=name)
        if not result.ok:
            raise DemoLoadError([f"{name}: {line}" for line in result.as_text_lines()])
        lines.append(_("%(name)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                     % {"name": name, **result.counts})
    return lines


def _by_code(model, codes):
    return {node.code: node for node in model.objects.filter(code__in=set(codes))}


def _assign_positions(actor, plans):
    people = {p.employee_no: p for p in Person.objects.filter(employee_no__in={p.employee_no for p in plans})}
    units = _by_code(Unit, [p.unit for p in plans if p.unit])
    party_orgs = _by_code(PartyOrg, [p.party_org for p in plans if p.party_org])
    for plan in plans:
        services.position_assign(actor=actor, person=people[plan.employee_no], kind=plan.kind, title=plan.title,
                                 unit=units.get(plan.unit), party_org=party_orgs.get(plan.party_org),
                                 sort_order=plan.sort_order)


def _node(tree, code):
    return (Unit if tree == "unit" else PartyOrg).objects.get(code=code)


def _apply_reform(actor, steps):
    for step in steps:
        common = {"actor": actor, "effective_date": step.date, "reason": step.reason}
        args = step.args
        if step.op == "unit_create":
            services.unit_create(**common, code=step.code, name=args["name"], parent=_node("unit", args["parent"]),
                                 level=args["level"], kind=args["kind"], staffing=args["staffing"],
                                 sort_order=args["sort_order"], established_on=step.date)
        elif step.op == "party_org_create":
            services.party_org_create(**common, code=step.code, name=args["name"], kind=args["kind"],
                                      parent=_node("party_org", args["parent"]), unit=_node("unit", args["unit"]),
                                      established_on=step.date)
        elif step.op == "positions_end":
            for position in Position.objects.filter(**{step.tree: _node(step.tree, step.code)}):
                services.position_remove(actor=actor, position=position)
        elif step.op == "reassign":
            _reassign(actor, step)
        elif step.op == "rename":
            services.node_rename(**common, node=_node(step.tree, step.code), name=args["name"])
        elif step.op == "edit":
            services.node_edit(**common, node=_node(step.tree, step.code), **args)
        elif step.op == "move":
            services.node_move(**common, node=_node(step.tree, step.code),
                               new_parent=_node(step.tree, args["new_parent"]))
        elif step.op == "merge":
            services.node_merge(**common, node=_node(step.tree, step.code), into=_node(step.tree, args["into"]))
        elif step.op == "abolish":
            services.node_abolish(**common, node=_node(step.tree, step.code))
        else:
            raise ValueError(f"unknown reform step {step.op!r}")


def _reassign(actor, step):
    person = Person.objects.get(employee_no=step.code)
    for position in Position.objects.filter(person=person):
        services.position_remove(actor=actor, position=position)
    changes = dict(step.args["changes"])
    if "unit" in changes:
        changes["unit"] = _node("unit", changes["unit"])
    if not person.is_party_member:
        changes.pop("party_org", None)
        changes.pop("party_post", None)
    elif "party_org" in changes:
        changes["party_org"] = _node("party_org", changes["party_org"])
    services.person_update(actor=actor, person=person, **changes)
    for spec in step.args["positions"]:
        target = {k: _node(k, spec[k]) for k in ("unit", "party_org") if k in spec}
        services.position_assign(actor=actor, person=person, kind=spec["kind"], title=spec["title"],
                                 sort_order=spec.get("sort_order", 0), **target)


def _create_accounts(actor, accounts) -> list[str]:
    lines = []
    for account in accounts:
        if User.objects.filter(username=account.username).exists():
            lines.append(_("Account “%(username)s” already exists; left as it is.") % {"username": account.username})
            continue
        person = Person.objects.get(employee_no=account.employee_no) if account.employee_no else None
        user = account_services.user_create(actor=actor, username=account.username,
                                            password=generator.DEMO_PASSWORD, person=person,
                                            is_superuser=account.superuser)
        for role, tree, code, include_subtree in account.grants:
            account_services.role_grant(actor=actor, user=user, role=role, include_subtree=include_subtree,
                                        **{tree: _node(tree, code)})
        lines.append(_("Account “%(username)s”: %(description)s.")
                     % {"username": account.username, "description": account.description})
    return lines
