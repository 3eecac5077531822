import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from ronghe.core.scoping import ScopedQuerySet, on_one_tree


class User(AbstractUser):
    """A login. Linked to the Person it belongs to, when there is one."""

    person = models.OneToOneField("org.Person", verbose_name=_("person"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="user")
    language = models.CharField(_("language"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        full = f"{self.last_name}{self.first_name}".strip()
        return full or self.username


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer (查看)")
    SECRETARY = "secretary", _("Party secretary (党组织书记)")
    ADMIN = "admin", _("Administrator (管理员)")


class RoleAssignment(models.Model):
    """A role over a unit or a party org, with or without its subtree."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="role_assignments")
    party_org = models.ForeignKey("org.PartyOrg", verbose_name=_("party organisation"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="role_assignments")
    include_subtree = models.BooleanField(_("with subtree"), default=True)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "unit__path"
    scope_unit_id = "unit_id"
    scope_party_path = "party_org__path"
    scope_party_id = "party_org_id"

    class Meta:
        constraints = [
            on_one_tree("role_on_one_tree"),
        ]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self):
        target = self.unit or self.party_org
        return f"{self.user} · {self.get_role_display()} · {target}{' ⊂' if self.include_subtree else ''}"


class ApiToken(models.Model):
    """A personal bearer token. Only its SHA-256 is stored; the token is shown once."""

    PREFIX = "rh_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.hint}… ({self.user})"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def new_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)


class LoginFailure(models.Model):
    """Failed logins, counted to throttle password guessing."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.username}@{self.address} {self.at:%Y-%m-%d %H:%M}"
