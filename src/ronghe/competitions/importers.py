"""Readings of a competition's hand-entered indicators from a spreadsheet (竞赛指标录入表): one row
per participant, indicator and period, with its evidence. The importer is made for one
competition (its participants and indicators are the drop-downs of the template), so it is
reached from the competition's readings page rather than the general import page."""
import datetime as dt

from django.utils.translation import gettext as _

from ronghe.competitions import selectors
from ronghe.competitions.models import Reading
from ronghe.core.tabular import CHOICE, DATE, DECIMAL, TEXT, Column, Importer


class ReadingImporter(Importer):
    kind = "competition_readings"
    title = "竞赛指标录入"
    sheet_title = "指标录入"
    key = None
    audit_object_type = "competitions.competition"

    def __init__(self, competition, actor=None, dry_run=False):
        self.competition = competition
        self.participants = selectors.participants_of(competition)
        self.indicators = [i for i in selectors.indicators_of(competition) if i.is_manual]
        self.periods = {p.start for p in selectors.periods_of(competition)}
        self.columns = self.columns_for(self.participants, self.indicators)
        super().__init__(actor=actor, dry_run=dry_run)

    @staticmethod
    def columns_for(participants, indicators):
        return [
            Column("period_start", "周期开始日", ("period", "period_start"), DATE, required=True,
                   help="该考核周期的第一天，如 2026-01-01", example=dt.date(2026, 1, 1)),
            Column("participant", "参赛单位", ("participant",), CHOICE, required=True,
                   choices=tuple((str(p.pk), p.label, p.unit.code) for p in participants),
                   help="参赛单位名称（或单位编码）", example=participants[0].label if participants else None),
            Column("indicator", "指标", ("indicator",), CHOICE, required=True,
                   choices=tuple((i.code, i.name) for i in indicators),
                   help="手工录入的指标名称（或指标代码）", example=indicators[0].name if indicators else None),
            Column("value", "完成值", ("value",), DECIMAL, required=True, example=95),
            Column("plan", "计划值", ("plan",), DECIMAL, help="按计划比计分时填写"),
            Column("evidence", "佐证材料", ("evidence",), TEXT, max_length=2000, help="佐证说明或文件编号"),
        ]

    def template(self) -> bytes:
        from ronghe.core.tabular import writers

        return writers.template_xlsx(self.columns, sheet_title=self.sheet_title)

    def audit_scope(self) -> dict:
        return {"unit": self.competition.organiser}

    def validate(self, records):
        seen = {}
        for record in records:
            day = record["period_start"]
            if record.ok("period_start") and day not in self.periods:
                self.error(record, "period_start", _("%(day)s does not start a scoring period of this competition.")
                           % {"day": day})
            key = (record["period_start"], record["participant"], record["indicator"])
            if None not in key:
                if key in seen:
                    self.error(record, "indicator", _("Same participant, indicator and period as row %(row)d.")
                               % {"row": seen[key]})
                seen.setdefault(key, record.row)

    def save(self, records) -> dict:
        indicators = {i.code: i for i in self.indicators}
        existing = {(r.indicator_id, r.participant_id, r.period_start): r for r in Reading.objects.filter(
            indicator__in=self.indicators, period_start__in={r["period_start"] for r in records})}
        created, changed, unchanged = [], [], 0
        for record in records:
            indicator = indicators[record["indicator"]]
            participant_id = int(record["participant"])
            value = float(record["value"])
            plan = float(record["plan"]) if record["plan"] is not None else None
            evidence = record["evidence"] or ""
            found = existing.get((indicator.pk, participant_id, record["period_start"]))
            if found is None:
                created.append(Reading(indicator=indicator, participant_id=participant_id,
                                       period_start=record["period_start"], value=value, plan=plan,
                                       evidence=evidence, updated_by=self.actor))
            elif (found.value, found.plan, found.evidence) == (value, plan, evidence):
                unchanged += 1
            else:
                found.value, found.plan, found.evidence, found.updated_by = value, plan, evidence, self.actor
                changed.append(found)
        Reading.objects.bulk_create(created)
        Reading.objects.bulk_update(changed, ["value", "plan", "evidence", "updated_by"])
        return {"created": len(created), "updated": len(changed), "unchanged": unchanged}
