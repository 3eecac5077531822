"""Organisational scope: who may see and change what.

A user's scope is the union of their role assignments (role + unit or party org + with or
without subtree). Business models declare how they hang off the two trees through four class
attributes, and their querysets offer `.restrict(user, action)`; pages, API, exports and
reports only ever start from it.

    scope_unit_path  / scope_unit_id    lookups to the owning Unit's path / id
    scope_party_path / scope_party_id   lookups to the owning PartyOrg's path / id

Each may be a tuple of lookups when a row can hang off either of two places (a position held
in a unit or in a party org, which itself hangs off a unit).
"""
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

VIEW = "view"
CHANGE = "change"
VIEW_PERSONAL = "view_personal"
MANAGE_ROLES = "manage_roles"
IMPORT = "import"
ACTIONS = (VIEW, CHANGE, VIEW_PERSONAL, MANAGE_ROLES, IMPORT)


@dataclass
class Scope:
    everything: bool = False
    unit_paths: list[str] = field(default_factory=list)
    unit_ids: list[int] = field(default_factory=list)
    party_paths: list[str] = field(default_factory=list)
    party_ids: list[int] = field(default_factory=list)

    @property
    def empty(self):
        return not (self.everything or self.unit_paths or self.unit_ids or self.party_paths or self.party_ids)

    def q_for(self, model) -> Q | None:
        """A filter for `model` rows inside this scope; None means no restriction."""
        if self.everything:
            return None
        q = Q(pk__in=[])
        for lookup in _lookups(model, "scope_unit_path"):
            for path in self.unit_paths:
                q |= Q(**{f"{lookup}__startswith": path})
        for lookup in _lookups(model, "scope_unit_id"):
            if self.unit_ids:
                q |= Q(**{f"{lookup}__in": self.unit_ids})
        for lookup in _lookups(model, "scope_party_path"):
            for path in self.party_paths:
                q |= Q(**{f"{lookup}__startswith": path})
        for lookup in _lookups(model, "scope_party_id"):
            if self.party_ids:
                q |= Q(**{f"{lookup}__in": self.party_ids})
        return q


def _lookups(model, attribute) -> tuple[str, ...]:
    value = getattr(model, attribute, None)
    if not value:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def scope_for(user, action=VIEW) -> Scope:
    """The user's scope for an action, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser:
        return Scope(everything=True)
    cache = user.__dict__.setdefault("_ronghe_scopes", {})
    if action not in cache:
        from ronghe.accounts.roles import assignments_granting

        scope = Scope()
        for a in assignments_granting(user, action):
            if a.unit_id:
                if a.include_subtree:
                    scope.unit_paths.append(a.unit.path)
                else:
                    scope.unit_ids.append(a.unit_id)
            if a.party_org_id:
                if a.include_subtree:
                    scope.party_paths.append(a.party_org.path)
                else:
                    scope.party_ids.append(a.party_org_id)
        cache[action] = scope
    return cache[action]


def forget_scopes(user):
    user.__dict__.pop("_ronghe_scopes", None)


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user, action=VIEW):
        scope = scope_for(user, action)
        if scope.empty:
            return self.none()
        q = scope.q_for(self.model)
        return self if q is None else self.filter(q)


def on_one_tree(name: str) -> models.CheckConstraint:
    """A row that hangs off exactly one of `unit` and `party_org` (a position, a role
    assignment, an organisation change)."""
    return models.CheckConstraint(
        condition=Q(unit__isnull=False, party_org__isnull=True) | Q(unit__isnull=True, party_org__isnull=False),
        name=name,
    )


def allows(user, action, obj) -> bool:
    """Whether `obj` lies inside the user's scope for `action` (one query)."""
    return type(obj)._default_manager.restrict(user, action).filter(pk=obj.pk).exists()
