"""Production drive (全员抓生产): wells, their daily production, the unit-day totals that every
chart reads, the plans output and profit are measured against, and the project groups (上产项目组)
whose measures (措施) add oil.

Daily production is the one table at the scale of tens of millions of rows: it is written only by
the bulk importer (COPY on PostgreSQL) and read only per well; everything per unit reads
`UnitDay`, which the importer keeps for every unit and all its ancestors."""
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ronghe.core.scoping import ScopedQuerySet
from ronghe.production import partitions


class Well(models.Model):
    """A well (油井) produced by a unit (a team or a plant). It is a new well in the year of its
    投产日期."""

    class Kind(models.TextChoices):
        OIL = "oil", _("Oil well (油井)")
        GAS = "gas", _("Gas well (气井)")
        INJECTION = "injection", _("Injection well (注水井)")

    class Status(models.TextChoices):
        OPEN = "open", _("Producing (开井)")
        SHUT = "shut", _("Shut in (关井)")
        ABANDONED = "abandoned", _("Abandoned (报废)")

    code = models.CharField(_("well number (井号)"), max_length=40, unique=True)
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="wells")
    kind = models.CharField(_("well type (井别)"), max_length=12, choices=Kind.choices, default=Kind.OIL)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    block = models.CharField(_("block (区块)"), max_length=60, blank=True)
    designed_on = models.DateField(_("designed on (设计日期)"), null=True, blank=True)
    drilled_on = models.DateField(_("drilled on (完钻日期)"), null=True, blank=True)
    producing_since = models.DateField(_("put on production (投产日期)"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "unit__path"
    scope_unit_id = "unit_id"

    class Meta:
        ordering = ["code"]
        verbose_name = _("well")
        verbose_name_plural = _("wells")
        indexes = [models.Index(fields=["unit", "code"]), models.Index(fields=["producing_since"])]

    def __str__(self):
        return self.code

    def clean(self):
        if self.designed_on and self.drilled_on and self.drilled_on < self.designed_on:
            raise ValidationError({"drilled_on": _("A well cannot be drilled before it is designed.")})
        if self.drilled_on and self.producing_since and self.producing_since < self.drilled_on:
            raise ValidationError({"producing_since": _("A well cannot produce before it is drilled.")})


class DailyQuerySet(ScopedQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Rows written through the ORM (tests, scripts) find their months' partitions too."""
        objs = list(objs)
        with connection.cursor() as cursor:
            partitions.ensure(cursor, {obj.date for obj in objs})
        return super().bulk_create(objs, *args, **kwargs)


class DailyProduction(models.Model):
    """One well's production on one day (日产). Written by the bulk importer only."""

    # The key (well, date) is the table's only index: every read is by well and date range, and
    # each index more costs the import of a million rows seconds (a surrogate id and a date index
    # cost 3.5 s of 7.3 at the reference scale). No foreign-key constraint on well either:
    # PostgreSQL checks one per row, in a trigger, which cost the import more than all its
    # indexes; the importer writes only the wells it has just read within scope and locks them
    # against deletion for its transaction (bulk.lock_wells), and PROTECT still guards deletion
    # through the ORM. On PostgreSQL the table is partitioned by month (production.partitions).
    pk = models.CompositePrimaryKey("well", "date")
    well = models.ForeignKey(Well, verbose_name=_("well"), on_delete=models.PROTECT, related_name="daily",
                             db_index=False, db_constraint=False)
    date = models.DateField(_("date"))
    hours = models.FloatField(_("production time (h)"), null=True, blank=True,
                              validators=[MinValueValidator(0), MaxValueValidator(24)])
    liquid_t = models.FloatField(_("liquid (t)"), null=True, blank=True, validators=[MinValueValidator(0)])
    oil_t = models.FloatField(_("oil (t)"), validators=[MinValueValidator(0)])
    gas_m3 = models.FloatField(_("gas (m³)"), null=True, blank=True, validators=[MinValueValidator(0)])
    water_cut = models.FloatField(_("water cut (%)"), null=True, blank=True,
                                  validators=[MinValueValidator(0), MaxValueValidator(100)])

    objects = DailyQuerySet.as_manager()

    scope_unit_path = "well__unit__path"
    scope_unit_id = "well__unit_id"

    class Meta:
        ordering = ["well", "date"]
        verbose_name = _("daily production")
        verbose_name_plural = _("daily production")

    def __str__(self):
        return f"{self.well_id} {self.date}"

    def save(self, *args, **kwargs):
        with connection.cursor() as cursor:
            partitions.ensure(cursor, [self.date])
        super().save(*args, **kwargs)


class UnitDay(models.Model):
    """The totals of a unit's whole subtree on one day, kept by the importer, so that no chart
    or ranking ever scans DailyProduction."""

    # The unique (unit, date) index serves every read by unit; the (unit, date, oil_t) index lets
    # the dashboards' sums of oil read the index alone, since imports scatter a unit's rows one per
    # heap page (measured at the reference scale: 47 ms → 2.5 ms for the twenty plants' sums).
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+",
                             db_index=False)
    date = models.DateField(_("date"))
    oil_t = models.FloatField(_("oil (t)"), default=0)
    liquid_t = models.FloatField(_("liquid (t)"), default=0)
    gas_m3 = models.FloatField(_("gas (m³)"), default=0)
    producing_wells = models.PositiveIntegerField(_("producing wells"), default=0)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "unit__path"
    scope_unit_id = "unit_id"

    class Meta:
        ordering = ["unit", "date"]
        verbose_name = _("unit daily total")
        verbose_name_plural = _("unit daily totals")
        constraints = [models.UniqueConstraint(fields=["unit", "date"], name="production_unitday_unit_date")]
        indexes = [models.Index(fields=["unit", "date", "oil_t"], name="production_unitday_oil")]

    def __str__(self):
        return f"{self.unit_id} {self.date}"


class UnitPlan(models.Model):
    """A unit's plan for a year (month 0) or one month: oil output (t), profit (万元), new wells;
    and, for a month, the actual profit. Output actuals come from UnitDay."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month (0 = the whole year)"), default=0,
                                             validators=[MaxValueValidator(12)])
    oil_plan_t = models.FloatField(_("oil output plan (t)"), null=True, blank=True,
                                   validators=[MinValueValidator(0)])
    profit_plan = models.FloatField(_("profit plan (万元)"), null=True, blank=True)
    profit_actual = models.FloatField(_("actual profit (万元)"), null=True, blank=True)
    new_wells_plan = models.PositiveIntegerField(_("new wells planned"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "unit__path"
    scope_unit_id = "unit_id"

    class Meta:
        ordering = ["unit", "year", "month"]
        verbose_name = _("unit plan")
        verbose_name_plural = _("unit plans")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "month"], name="production_unitplan_unit_year_month"),
            models.CheckConstraint(condition=Q(month__lte=12), name="production_unitplan_month_range"),
        ]

    def __str__(self):
        return f"{self.unit} {self.year}" + (f"-{self.month:02d}" if self.month else "")


class ProjectGroup(models.Model):
    """An output project group (上产项目组): a leader from the unit's leadership, members, the
    wells it works on and its targets."""

    name = models.CharField(_("name"), max_length=120)
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="project_groups")
    leader = models.ForeignKey("org.Person", verbose_name=_("leader"), on_delete=models.PROTECT,
                               related_name="project_groups_led")
    members = models.ManyToManyField("org.Person", verbose_name=_("members"), blank=True,
                                     related_name="project_groups")
    wells = models.ManyToManyField(Well, verbose_name=_("wells"), blank=True, related_name="project_groups")
    year = models.PositiveSmallIntegerField(_("year"))
    target_measures = models.PositiveIntegerField(_("target measures (井次)"), null=True, blank=True)
    target_increment_t = models.FloatField(_("target incremental oil (t)"), null=True, blank=True)
    targets = models.TextField(_("targets"), blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "unit__path"
    scope_unit_id = "unit_id"

    class Meta:
        ordering = ["unit", "name"]
        verbose_name = _("project group")
        verbose_name_plural = _("project groups")
        constraints = [models.UniqueConstraint(fields=["unit", "year", "name"], name="production_group_unique_name")]

    def __str__(self):
        return self.name


class Measure(models.Model):
    """A well measure (措施): planned for a month, done on a day; its actual incremental oil is
    computed from the well's daily production against its pre-measure baseline (rules.py)."""

    class Kind(models.TextChoices):
        FRACTURING = "fracturing", _("Fracturing (压裂)")
        ACIDIZING = "acidizing", _("Acidizing (酸化)")
        PERFORATION = "perforation", _("Re-perforation (补孔)")
        WORKOVER = "workover", _("Workover (大修)")
        PUMP_CHANGE = "pump_change", _("Pump change (换泵)")
        PARAMETERS = "parameters", _("Parameter adjustment (调参)")
        OTHER = "other", _("Other (其他)")

    group = models.ForeignKey(ProjectGroup, verbose_name=_("project group"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="measures")
    well = models.ForeignKey(Well, verbose_name=_("well"), on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField(_("measure type"), max_length=16, choices=Kind.choices)
    planned_month = models.DateField(_("planned month"), help_text=_("The first day of the planned month."))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    planned_increment_t = models.FloatField(_("planned incremental oil (t)"), null=True, blank=True,
                                            validators=[MinValueValidator(0)])
    cost = models.FloatField(_("cost (万元)"), null=True, blank=True, validators=[MinValueValidator(0)])
    validity_days = models.PositiveSmallIntegerField(_("validity window (days)"), default=365)
    note = models.TextField(_("note"), blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "well__unit__path"
    scope_unit_id = "well__unit_id"

    class Meta:
        ordering = ["planned_month", "id"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        indexes = [models.Index(fields=["well", "done_on"])]

    def __str__(self):
        return f"{self.well} {self.get_kind_display()}"

    def clean(self):
        if self.planned_month and self.planned_month.day != 1:
            raise ValidationError({"planned_month": _("The planned month is given by its first day.")})


class ProductionImport(models.Model):
    """One upload of daily production (日产导入): the file waits under MEDIA_ROOT while a
    background worker validates it and writes it; the page polls this row for progress. Only
    the uploader sees it."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("import", "Queued")
        VALIDATING = "validating", pgettext_lazy("import", "Validating")
        WRITING = "writing", pgettext_lazy("import", "Writing")
        TOTALS = "totals", pgettext_lazy("import", "Updating unit totals")
        DONE = "done", pgettext_lazy("import", "Done")
        FAILED = "failed", pgettext_lazy("import", "Failed")

    actor = models.ForeignKey("accounts.User", verbose_name=_("uploaded by"), on_delete=models.CASCADE,
                              related_name="+")
    file_name = models.CharField(_("file"), max_length=255)
    stored_as = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    dry_run = models.BooleanField(_("validate only"), default=False)
    language = models.CharField(max_length=16, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows processed"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    replaced = models.PositiveIntegerField(_("replaced"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    message = models.TextField(blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("daily production import")
        verbose_name_plural = _("daily production imports")

    def __str__(self):
        return self.file_name

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        share = min(1.0, self.rows_done / self.rows_total)
        # Validation reads the file, writing loads it; the totals are the short tail.
        if self.status == self.Status.VALIDATING:
            return int(share * 60)
        if self.status == self.Status.WRITING:
            return 60 + int(share * 30)
        if self.status == self.Status.TOTALS:
            return 92
        return 0
