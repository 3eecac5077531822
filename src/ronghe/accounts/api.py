"""Who am I, my API tokens, and the role assignments I manage."""
import datetime as dt
from typing import Annotated, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from ronghe.accounts import services
from ronghe.accounts.models import ApiToken, Role, RoleAssignment, User
from ronghe.core.api_support import (
    PageQuery,
    get_or_404,
    invalid,
    named,
    page_schema,
    paginate,
    require_any,
    responses,
)
from ronghe.core.scoping import MANAGE_ROLES, VIEW
from ronghe.org.models import PartyOrg, Unit

RoleName = Literal[tuple(Role.values)]
ROLES_DESCRIPTION = "; ".join(f"{value} = {label}" for value, label in Role.choices)


class RoleOut(Schema):
    id: int = Field(..., description="Id of the assignment, for revoking it (授权编号).")
    user: str = Field(..., description="Username (用户名).")
    role: str = Field(..., description=f"Role (角色): {ROLES_DESCRIPTION}.")
    unit: str | None = Field(None, description="Code of the unit it applies to (单位编码).")
    party_org: str | None = Field(None, description="Code of the Party organisation it applies to (党组织编码).")
    target_name: str = Field(..., description="Name of that unit or Party organisation (范围).")
    include_subtree: bool = Field(..., description="Whether it covers the whole subtree (含下级).")
    granted_by: str | None = Field(None, description="Username of whoever granted it (授权人).")
    granted_at: dt.datetime = Field(..., description="When it was granted (授权时间).")


class MeOut(Schema):
    username: str = Field(..., description="Username (用户名).")
    name: str = Field(..., description="Display name (姓名).")
    is_superuser: bool = Field(..., description="System administrator: sees and changes everything (系统管理员).")
    employee_no: str | None = Field(None, description="Employee number of the person this login belongs to (工号).")
    language: str = Field(..., description="Preferred interface language, empty for the default (界面语言).")
    roles: list[RoleOut] = Field(..., description="My role assignments (我的角色).")


class TokenOut(Schema):
    id: int = Field(..., description="Id of the token, for revoking it (令牌编号).")
    name: str = Field(..., description="What the token is for (用途).")
    hint: str = Field(..., description="The token's first characters, to recognise it (令牌前缀).")
    created_at: dt.datetime = Field(..., description="Created (创建时间).")
    last_used_at: dt.datetime | None = Field(None, description="Last used, to within five minutes (最近使用).")
    expires_at: dt.datetime | None = Field(None, description="Expires; empty for never (过期时间).")
    revoked_at: dt.datetime | None = Field(None, description="Revoked (吊销时间).")
    active: bool = Field(..., description="Neither revoked nor expired (有效).")


class TokenCreated(TokenOut):
    key: str = Field(..., description="The token itself, shown only this once: send it as "
                                      "`Authorization: Bearer <key>` (令牌, 仅显示一次).")


class TokenIn(Schema):
    name: str = Field("", max_length=100, description="What the token is for (用途).", examples=["报表同步"])
    expires_at: dt.datetime | None = Field(None, description="When it stops working; empty for never (过期时间).")


class RoleFilters(Schema):
    user: str = Field("", description="Username (用户名).")
    role: RoleName | None = Field(None, description=f"Role (角色): {ROLES_DESCRIPTION}.")
    unit: str = Field("", description="Code of the unit (单位编码).")
    party_org: str = Field("", description="Code of the Party organisation (党组织编码).")


class RoleIn(Schema):
    user: str = Field(..., description="Username of whoever receives the role (用户名).")
    role: RoleName = Field(..., description=f"Role (角色): {ROLES_DESCRIPTION}.")
    unit: str | None = Field(None, description="Code of the unit it applies to; give this or party_org (单位编码).")
    party_org: str | None = Field(None, description="Code of the Party organisation it applies to (党组织编码).")
    include_subtree: bool = Field(True, description="Whether it covers the whole subtree (含下级).")


TokenPage = page_schema(TokenOut, "TokenPage")
RolePage = page_schema(RoleOut, "RolePage")


def _role_row(a: RoleAssignment) -> dict:
    target = a.unit or a.party_org
    return {"id": a.pk, "user": a.user.username, "role": a.role, "unit": a.unit.code if a.unit_id else None,
            "party_org": a.party_org.code if a.party_org_id else None, "target_name": target.name,
            "include_subtree": a.include_subtree, "granted_by": a.granted_by.username if a.granted_by_id else None,
            "granted_at": a.granted_at}


def _token_row(t: ApiToken) -> dict:
    active = t.revoked_at is None and (t.expires_at is None or t.expires_at > timezone.now())
    return {"id": t.pk, "name": t.name, "hint": t.hint, "created_at": t.created_at, "last_used_at": t.last_used_at,
            "expires_at": t.expires_at, "revoked_at": t.revoked_at, "active": active}


def _assignments(qs=None):
    qs = RoleAssignment.objects.all() if qs is None else qs
    return qs.select_related("user", "unit", "party_org", "granted_by").order_by("id")


me_router = Router(tags=["me"])


@me_router.get("", response=responses({200: MeOut}), **named("me_get"), summary="Who am I")
def me(request):
    """The authenticated user and their role assignments (当前用户)."""
    user = request.auth
    person = user.person if user.person_id else None
    return {"username": user.username, "name": str(user), "is_superuser": user.is_superuser,
            "employee_no": person.employee_no if person else None, "language": user.language,
            "roles": [_role_row(a) for a in _assignments().filter(user=user)]}


@me_router.get("/tokens", response=responses({200: TokenPage}), **named("tokens_list"),
               summary="My API tokens")
def tokens_list(request, page: Query[PageQuery]):
    """My personal tokens, newest first; the keys themselves are never shown again (我的令牌)."""
    return paginate(ApiToken.objects.filter(user=request.auth), page, lambda chunk: [_token_row(t) for t in chunk])


@me_router.post("/tokens", response=responses({201: TokenCreated}), **named("tokens_create"),
                summary="Create an API token")
def tokens_create(request, payload: TokenIn):
    """A new personal token with my own rights. The answer is the only time the key is shown (新建令牌)."""
    if payload.expires_at is not None and payload.expires_at <= timezone.now():
        raise invalid("expires_at", _("The expiry must be in the future."))
    token, key = services.api_token_create(actor=request.auth, user=request.auth, name=payload.name,
                                           expires_at=payload.expires_at)
    return Status(201, {**_token_row(token), "key": key})


@me_router.delete("/tokens/{token_id}", response=responses({204: None}), **named("tokens_revoke"),
                  summary="Revoke an API token")
def tokens_revoke(request, token_id: Annotated[int, Path(description="Id of the token (令牌编号).")]):
    """Revoke one of my tokens; it stops working at once (吊销令牌)."""
    token = get_or_404(ApiToken.objects.filter(user=request.auth), pk=token_id)
    if token.revoked_at is None:
        services.api_token_revoke(actor=request.auth, token=token)
    return Status(204, None)


roles_router = Router(tags=["roles"])


@roles_router.get("", response=responses({200: RolePage}), **named("roles_list"),
                  summary="Role assignments I manage")
def roles_list(request, filters: Query[RoleFilters], page: Query[PageQuery]):
    """Assignments over the units and Party organisations whose roles you manage (角色授权)."""
    qs = _assignments(RoleAssignment.objects.restrict(request.auth, MANAGE_ROLES))
    if filters.user:
        qs = qs.filter(user__username=filters.user)
    if filters.role:
        qs = qs.filter(role=filters.role)
    if filters.unit:
        qs = qs.filter(unit__code=filters.unit)
    if filters.party_org:
        qs = qs.filter(party_org__code=filters.party_org)
    return paginate(qs, page, lambda chunk: [_role_row(a) for a in chunk])


@roles_router.post("", response=responses({201: RoleOut}), **named("roles_grant"), summary="Grant a role")
def roles_grant(request, payload: RoleIn):
    """Grant a role over a unit or a Party organisation whose roles you manage, with or without
    its subtree (授予角色)."""
    actor = request.auth
    require_any(actor, MANAGE_ROLES)
    user = User.objects.filter(username=payload.user, is_active=True).first()
    if user is None:
        raise invalid("user", _("No active user “%(username)s”.") % {"username": payload.user})
    if bool(payload.unit) == bool(payload.party_org):
        raise invalid("unit", _("Choose either a unit or a Party organisation."))
    unit = party_org = None
    if payload.unit:
        unit = Unit.objects.restrict(actor, VIEW).filter(code=payload.unit).first()
        if unit is None:
            raise invalid("unit", _("No unit with code “%(code)s” within your scope.") % {"code": payload.unit})
    else:
        party_org = PartyOrg.objects.restrict(actor, VIEW).filter(code=payload.party_org).first()
        if party_org is None:
            raise invalid("party_org", _("No Party organisation with code “%(code)s” within your scope.") % {
                "code": payload.party_org})
    assignment = services.role_grant(actor=actor, user=user, role=payload.role, unit=unit, party_org=party_org,
                                     include_subtree=payload.include_subtree)
    return Status(201, _role_row(_assignments().get(pk=assignment.pk)))


@roles_router.delete("/{assignment_id}", response=responses({204: None}), **named("roles_revoke"),
                     summary="Revoke a role")
def roles_revoke(request, assignment_id: Annotated[int, Path(description="Id of the assignment (授权编号).")]):
    """Take back a role assignment over a unit or Party organisation whose roles you manage (撤销角色)."""
    actor = request.auth
    require_any(actor, MANAGE_ROLES)
    assignment = get_or_404(_assignments(RoleAssignment.objects.restrict(actor, MANAGE_ROLES)), pk=assignment_id)
    services.role_revoke(actor=actor, assignment=assignment)
    return Status(204, None)
