"""What each role may do. A role is granted over a unit or party org (with or without its
subtree); the actions below then apply to everything hanging off that part of the trees."""
from ronghe.accounts.models import Role, RoleAssignment
from ronghe.core import scoping as s

ROLE_ACTIONS = {
    Role.VIEWER: {s.VIEW},
    Role.SECRETARY: {s.VIEW, s.CHANGE, s.VIEW_PERSONAL},
    Role.ADMIN: {s.VIEW, s.CHANGE, s.VIEW_PERSONAL, s.MANAGE_ROLES, s.IMPORT},
}


def roles_granting(action):
    return [role for role, actions in ROLE_ACTIONS.items() if action in actions]


def assignments_granting(user, action):
    return list(
        RoleAssignment.objects.filter(user=user, role__in=roles_granting(action)).select_related("unit", "party_org")
    )
