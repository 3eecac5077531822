"""The organisation: the administrative Unit tree, the PartyOrg tree, people and party
membership, leadership positions, and OrgChange — the dated history of both trees."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ronghe.core.scoping import ScopedQuerySet, on_one_tree

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$",
    _("A code may hold only letters, digits, “-”, “_” and “.”, and starts with a letter or digit."),
)

# Words the pages use as path segments beside codes (/units/new/, /units/list/ …).
RESERVED_CODES = frozenset({"new", "list", "changes"})


def not_reserved(value):
    if value.lower() in RESERVED_CODES:
        raise ValidationError(_("“%(code)s” is a reserved word and cannot be used as a code.") % {"code": value},
                              code="reserved")


class TreeNode(models.Model):
    """A node of a dated tree kept as a materialized path of ids ("1/5/23/"): the subtree of a
    node is one prefix match. Nodes are never deleted; they are abolished on a date."""

    code = models.CharField(_("code"), max_length=64, unique=True, validators=[code_validator, not_reserved])
    name = models.CharField(_("name"), max_length=200, db_index=True)
    parent = models.ForeignKey("self", verbose_name=_("parent"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=512, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    abolished_on = models.DateField(_("abolished on"), null=True, blank=True, db_index=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        return self.abolished_on is None

    def ancestor_ids(self):
        return [int(p) for p in self.path.split("/") if p][:-1]

    def is_descendant_of(self, other) -> bool:
        return self.path.startswith(other.path) and self.pk != other.pk


class Unit(TreeNode):
    class Level(models.TextChoices):
        DIVISION = "division", _("Division level (处级)")
        SECTION = "section", _("Section level (科级)")
        OTHER = "other", _("Other (其他)")

    class Kind(models.TextChoices):
        HQ_DEPARTMENT = "hq_department", _("HQ department (机关部门)")
        SECONDARY = "secondary", _("Secondary unit (二级单位)")
        GRASSROOTS = "grassroots", _("Grassroots unit (基层单位)")
        SECTION_OFFICE = "office", _("Office (科室)")
        TEAM = "team", _("Team (班组)")

    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.OTHER)
    kind = models.CharField(_("unit type"), max_length=16, choices=Kind.choices, blank=True)
    staffing = models.PositiveIntegerField(_("management staffing"), null=True, blank=True,
                                           help_text=_("管理人员编制"))

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "path"
    scope_unit_id = "id"

    class Meta(TreeNode.Meta):
        verbose_name = _("unit")
        verbose_name_plural = _("units")


class PartyOrg(TreeNode):
    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Party committee (党委)")
        GENERAL_BRANCH = "general_branch", _("General branch (党总支)")
        BRANCH = "branch", _("Branch (党支部)")
        GROUP = "group", _("Party group (党小组)")

    kind = models.CharField(_("organisation type"), max_length=16, choices=Kind.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="party_orgs")
    renewed_on = models.DateField(_("term renewed on"), null=True, blank=True, help_text=_("换届日期"))

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "unit__path"
    scope_unit_id = "unit_id"
    scope_party_path = "path"
    scope_party_id = "id"

    class Meta(TreeNode.Meta):
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")


class Person(models.Model):
    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class PoliticalStatus(models.TextChoices):
        MEMBER = "member", _("CPC member (中共党员)")
        PROBATIONARY = "probationary", _("Probationary member (中共预备党员)")
        LEAGUE = "league", _("Youth League member (共青团员)")
        MASSES = "masses", _("Masses (群众)")

    PARTY_STATUSES = (PoliticalStatus.MEMBER, PoliticalStatus.PROBATIONARY)

    employee_no = models.CharField(_("employee number"), max_length=32, unique=True, validators=[code_validator, not_reserved])
    name = models.CharField(_("name"), max_length=64, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people")
    post = models.CharField(_("post"), max_length=100, blank=True)
    title = models.CharField(_("position"), max_length=100, blank=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    political_status = models.CharField(_("political status"), max_length=16, choices=PoliticalStatus.choices,
                                        default=PoliticalStatus.MASSES)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "unit__path"
    scope_unit_id = "unit_id"
    scope_party_path = "membership__party_org__path"
    scope_party_id = "membership__party_org_id"

    class Meta:
        ordering = ["employee_no"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return f"{self.name}（{self.employee_no}）"

    @property
    def is_party_member(self):
        return self.political_status in self.PARTY_STATUSES


class PartyMembership(models.Model):
    """Makes a person a Party member (正式 or 预备) of one party organisation."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="membership")
    party_org = models.ForeignKey(PartyOrg, verbose_name=_("party organisation"), on_delete=models.PROTECT,
                                  related_name="memberships")
    joined_on = models.DateField(_("joined the Party on"), null=True, blank=True)
    confirmed_on = models.DateField(_("full membership on"), null=True, blank=True)
    party_post = models.CharField(_("party post"), max_length=64, blank=True, help_text=_("党内职务"))

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "person__unit__path"
    scope_unit_id = "person__unit_id"
    scope_party_path = "party_org__path"
    scope_party_id = "party_org_id"

    class Meta:
        verbose_name = _("party membership")
        verbose_name_plural = _("party memberships")

    def __str__(self):
        return f"{self.person} @ {self.party_org}"


class Position(models.Model):
    """A leadership position: a unit's head, deputy or 分管领导, a party org's 书记 …"""

    class Kind(models.TextChoices):
        HEAD = "head", _("Head")
        DEPUTY = "deputy", _("Deputy head")
        IN_CHARGE = "in_charge", _("Leader in charge (分管领导)")
        SECRETARY = "secretary", _("Secretary (书记)")
        DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary (副书记)")
        COMMITTEE_MEMBER = "committee_member", _("Committee member (委员)")

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="positions")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="positions")
    party_org = models.ForeignKey(PartyOrg, verbose_name=_("party organisation"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="positions")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=64, blank=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = ("unit__path", "party_org__unit__path")
    scope_unit_id = ("unit_id", "party_org__unit_id")
    scope_party_path = "party_org__path"
    scope_party_id = "party_org_id"

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [
            on_one_tree("position_on_one_tree"),
        ]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self):
        return f"{self.title or self.get_kind_display()}: {self.person.name}"


class OrgChange(models.Model):
    """One dated change of a unit or party org. `state` is the node's whole state after the
    change, so the tree as of any date is the latest change of each node on or before it."""

    class Kind(models.TextChoices):
        ESTABLISH = "establish", _("Establish")
        EDIT = "edit", _("Edit")
        RENAME = "rename", _("Rename")
        MOVE = "move", _("Move")
        MERGE = "merge", _("Merge")
        ABOLISH = "abolish", _("Abolish")

    ENDING_KINDS = (Kind.MERGE, Kind.ABOLISH)

    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="changes")
    party_org = models.ForeignKey(PartyOrg, null=True, blank=True, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(_("change"), max_length=16, choices=Kind.choices)
    effective_date = models.DateField(_("effective date"), db_index=True)
    state = models.JSONField(_("state after"))
    before = models.JSONField(_("state before"), null=True, blank=True)
    merged_into_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    merged_into_party_org = models.ForeignKey(PartyOrg, null=True, blank=True, on_delete=models.PROTECT,
                                              related_name="+")
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "unit__path"
    scope_unit_id = "unit_id"
    scope_party_path = "party_org__path"
    scope_party_id = "party_org_id"

    class Meta:
        ordering = ["effective_date", "id"]
        indexes = [
            models.Index(fields=["unit", "effective_date"]),
            models.Index(fields=["party_org", "effective_date"]),
        ]
        constraints = [
            on_one_tree("orgchange_on_one_tree"),
        ]
        verbose_name = _("organisation change")
        verbose_name_plural = _("organisation changes")

    def __str__(self):
        return f"{self.effective_date} {self.get_kind_display()} {self.state.get('name', '')}"

    @property
    def node(self):
        return self.unit or self.party_org
