"""Writes about users: login throttling, API tokens, role assignments."""
import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ronghe.accounts.models import ApiToken, LoginFailure, RoleAssignment, User
from ronghe.core import audit
from ronghe.core.errors import OutOfScope
from ronghe.core.scoping import MANAGE_ROLES, allows, forget_scopes

# How precisely a token's last use is kept: at most one write per token in this time.
TOKEN_USE_RESOLUTION = dt.timedelta(minutes=5)


def login_is_locked(*, username: str, address: str) -> bool:
    since = timezone.now() - dt.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    failures = LoginFailure.objects.filter(username=username.lower(), address=address, at__gte=since).count()
    return failures >= settings.LOGIN_MAX_FAILURES


def login_failed(*, username: str, address: str) -> None:
    LoginFailure.objects.create(username=username.lower(), address=address)


def login_succeeded(*, username: str, address: str) -> None:
    LoginFailure.objects.filter(username=username.lower(), address=address).delete()


@transaction.atomic
def api_token_create(*, actor, user, name="", expires_at=None) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the only copy of the plain key."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash(key), hint=key[:8],
                                    expires_at=expires_at)
    audit.record(actor=actor, action="api_token.create", obj=token, after={"user": user.username, "name": name})
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="api_token.revoke", obj=token)


def api_token_authenticate(key: str):
    """The active user owning `key`, when the token is neither revoked nor expired; else None.

    Every API request runs this, so it is one hand-written query (building it through the ORM
    took longer than the database took to answer it): the user's columns, and whether the
    token's last use is older than TOKEN_USE_RESOLUTION and so worth writing down."""
    if not key or not key.startswith(ApiToken.PREFIX):
        return None
    now = timezone.now()
    columns = _user_columns(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns.sql}, t.id, CASE WHEN t.last_used_at IS NULL OR t.last_used_at < %s THEN 1 ELSE 0 END "
            f"FROM {User._meta.db_table} u JOIN {ApiToken._meta.db_table} t ON t.user_id = u.id "
            "WHERE t.key_hash = %s AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > %s) "
            "AND u.is_active", [now - TOKEN_USE_RESOLUTION, ApiToken.hash(key), now])
        row = cursor.fetchone()
    if row is None:
        return None
    user = columns.user(row)
    token_id, stale = row[-2:]
    if stale:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return user


class _UserColumns:
    """The user table's columns for a hand-written query, and the user made of a row of them
    with the converters the ORM would apply (SQLite's cursor gives booleans and dates raw)."""

    def __init__(self, connection):
        self.connection = connection
        fields = User._meta.concrete_fields
        self.sql = ", ".join(f'u."{field.column}"' for field in fields)
        self.names = [field.attname for field in fields]
        cols = [field.get_col("u") for field in fields]
        self.converters = [(i, col, [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)])
                           for i, col in enumerate(cols)]
        self.converters = [entry for entry in self.converters if entry[2]]

    def user(self, row):
        values = list(row[:len(self.names)])
        for i, col, converters in self.converters:
            for convert in converters:
                values[i] = convert(values[i], col, self.connection)
        return User.from_db(self.connection.alias, self.names, values)


def _user_columns(connection) -> _UserColumns:
    columns = _USER_COLUMNS.get(connection.alias)
    if columns is None:
        columns = _USER_COLUMNS[connection.alias] = _UserColumns(connection)
    return columns


_USER_COLUMNS: dict[str, _UserColumns] = {}


def _role_target_scope(unit, party_org):
    return {"unit": unit if unit else party_org.unit, "party_org": party_org}


@transaction.atomic
def role_grant(*, actor, user, role, unit=None, party_org=None, include_subtree=True):
    """Grant `role` over a unit or a party org. The actor must manage roles over that target."""

    target = unit or party_org
    if (unit is None) == (party_org is None):
        raise ValidationError(_("Choose either a unit or a Party organisation."))
    if not allows(actor, MANAGE_ROLES, target):
        raise ValidationError(_("No such organisation within your scope."))
    assignment = RoleAssignment(user=user, role=role, unit=unit, party_org=party_org,
                                include_subtree=include_subtree, granted_by=actor)
    assignment.full_clean()
    assignment.save()
    forget_scopes(user)
    audit.record(actor=actor, action="role.grant", obj=assignment,
                 after={"user": user.username, "role": role, "unit": getattr(unit, "code", None),
                        "party_org": getattr(party_org, "code", None), "include_subtree": include_subtree},
                 **_role_target_scope(unit, party_org))
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment):

    target = assignment.unit or assignment.party_org
    if not allows(actor, MANAGE_ROLES, target):
        raise OutOfScope()
    audit.record(actor=actor, action="role.revoke", obj=assignment,
                 before={"user": assignment.user.username, "role": assignment.role,
                         "unit": getattr(assignment.unit, "code", None),
                         "party_org": getattr(assignment.party_org, "code", None),
                         "include_subtree": assignment.include_subtree},
                 **_role_target_scope(assignment.unit, assignment.party_org))
    assignment.delete()
    forget_scopes(assignment.user)


@transaction.atomic
def user_create(*, actor, username, password, person=None, is_superuser=False):
    """Create a login, optionally for a person; only superusers create superusers, and a
    person's login can be made only by someone who manages roles over that person."""

    if is_superuser and not getattr(actor, "is_superuser", False):
        raise ValidationError(_("Only a system administrator can create a system administrator."))
    if person is not None and not allows(actor, MANAGE_ROLES, person):
        raise ValidationError({"person": _("No such person within your scope.")})
    if person is None and not getattr(actor, "is_superuser", False):
        raise ValidationError({"person": _("Choose the person this login belongs to.")})
    user = User(username=username, person=person, is_superuser=is_superuser, is_staff=is_superuser)
    if person is not None:
        user.last_name, user.email = person.name, person.email
    user.set_password(password)
    user.full_clean()
    user.save()
    audit.record(actor=actor, action="user.create", obj=user,
                 after={"username": username, "person": person.pk if person else None, "is_superuser": is_superuser},
                 unit=person.unit if person else None)
    return user
