"""Factories for tests: build rows through the services, so tests exercise the same paths
(paths, OrgChanges, audit) as the application."""
import datetime as dt
import itertools

from ronghe.accounts.models import Role, RoleAssignment, User
from ronghe.org import services
from ronghe.org.models import PartyOrg, Person, Unit

_seq = itertools.count(1)
EPOCH = dt.date(2020, 1, 1)


def system_user():
    user, _ = User.objects.get_or_create(username="system-factory", defaults={"is_superuser": True})
    return user


def unit(name=None, parent=None, code=None, **fields):
    n = next(_seq)
    fields.setdefault("effective_date", EPOCH)
    fields.setdefault("level", Unit.Level.SECTION)
    return services.unit_create(actor=system_user(), code=code or f"U{n:05d}", name=name or f"单位{n}",
                                parent=parent, **fields)


def party_org(name=None, parent=None, unit_=None, kind=PartyOrg.Kind.BRANCH, code=None, **fields):
    n = next(_seq)
    fields.setdefault("effective_date", EPOCH)
    return services.party_org_create(actor=system_user(), code=code or f"P{n:05d}", name=name or f"党组织{n}",
                                     kind=kind, unit=unit_ or unit(), parent=parent, **fields)


def person(unit_=None, party_org_=None, name=None, **fields):
    n = next(_seq)
    if party_org_ is not None:
        fields.setdefault("political_status", Person.PoliticalStatus.MEMBER)
    return services.person_create(actor=system_user(), employee_no=f"E{n:06d}", name=name or f"张{n}",
                                  unit=unit_ or unit(), party_org=party_org_, **fields)


def user(username=None, person_=None, superuser=False, **fields):
    n = next(_seq)
    u = User.objects.create_user(username=username or f"user{n}", password="pass-word-123",
                                 is_superuser=superuser, person=person_, **fields)
    return u


def grant(user_, role, target, include_subtree=True):
    kwargs = {"unit": target} if isinstance(target, Unit) else {"party_org": target}
    return RoleAssignment.objects.create(user=user_, role=role, include_subtree=include_subtree, **kwargs)


ROLE = Role
