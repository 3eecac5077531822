"""Request and response shapes of the 三会一课 API. Party organisations are named by code (党组织
编码), people by employee number (工号), records, rules and photos by id."""
import datetime as dt
from typing import Literal

from ninja import Field, Schema

from ronghe.core.api_support import page_schema
from ronghe.org.models import PartyOrg
from ronghe.orglife.models import Attendance, Kind
from ronghe.orglife.rules import Frequency, Status


def _describe(choices) -> str:
    return "; ".join(f"{value} = {label}" for value, label in choices.choices)


KindChoice = Literal[tuple(Kind.values)]
AttendanceChoice = Literal[tuple(Attendance.Status.values)]
FrequencyChoice = Literal[tuple(f.value for f in Frequency)]
KINDS = _describe(Kind)
STATUSES = ("held = 按时召开 (green); late = 补开, made up after the period (amber); missing = 未开 (red); "
            "pending = the period is under way; future = not begun; exempt = 免 (e.g. a branch of fewer than "
            "seven members owes no 支委会); inactive = the organisation did not exist for the whole period")
DATE = {"json_schema_extra": {"format": "date"}}


class AttendanceIn(Schema):
    person: str = Field(..., description="Employee number of a member of the organisation or its sub-organisations "
                                          "(工号).")
    status: AttendanceChoice = Field(Attendance.Status.PRESENT.value,
                                     description=f"Attendance (出席情况): {_describe(Attendance.Status)}.")


class AttendanceOut(Schema):
    person: str = Field(..., description="Employee number (工号).")
    name: str = Field(..., description="Name (姓名).")
    status: str = Field(..., description=f"Attendance (出席情况): {_describe(Attendance.Status)}.")


class AttendanceCounts(Schema):
    present: int = Field(..., description="Present (出席).")
    leave: int = Field(..., description="On leave (请假).")
    absent: int = Field(..., description="Absent (缺席).")


class PhotoOut(Schema):
    id: int = Field(..., description="Id of the photo (照片编号).")
    caption: str = Field(..., description="Caption (说明).")
    url: str = Field(..., description="Where the picture is served, to those who may see the record (地址).")


class RecordRow(Schema):
    id: int = Field(..., description="Id of the record (记录编号).")
    party_org: str = Field(..., description="Code of the Party organisation (党组织编码).")
    party_org_name: str = Field(..., description="Name of the Party organisation (党组织).")
    kind: str = Field(..., description=f"Kind (类型): {KINDS}.")
    held_on: dt.date = Field(..., description="Date held (召开日期).")
    makeup_for: dt.date | None = Field(None, description="For a make-up (补开): a day of the earlier period it makes "
                                                          "up for; it counts for that period only.")
    topic: str = Field(..., description="Topic (主题).")
    location: str = Field(..., description="Location (地点).")
    host: str | None = Field(None, description="Employee number of the host (主持人工号).")
    host_name: str | None = Field(None, description="Host (主持人).")
    lecturer: str | None = Field(None, description="For a Party lesson: employee number of the lecturer (授课人工号).")
    lecturer_name: str | None = Field(None, description="Lecturer (授课人).")
    attendance_counts: AttendanceCounts = Field(..., description="Attendance by status (出席统计).")
    created_at: dt.datetime = Field(..., description="Recorded (录入时间).")


class RecordOut(RecordRow):
    minutes: str = Field(..., description="Minutes (会议记录).")
    attendance: list[AttendanceOut] = Field(..., description="Everyone expected and whether they came (参会人员).")
    photos: list[PhotoOut] = Field(..., description="Photos (照片).")


RecordPage = page_schema(RecordRow, "RecordPage")


class RecordFilters(Schema):
    q: str = Field("", description="Words of the topic (主题).")
    party_org: str = Field("", description="Code of a Party organisation: its own records (党组织编码).")
    party_org_subtree: str = Field("", description="Code of a Party organisation: records of it and all "
                                                   "organisations under it (含下级).")
    kind: KindChoice | None = Field(None, description=f"Kind (类型): {KINDS}.")
    held_from: str | None = Field(None, description="Held on or after (起始日期).", **DATE)
    held_to: str | None = Field(None, description="Held on or before (截止日期).", **DATE)
    sort: Literal["held_on", "-held_on", "party_org", "kind"] = Field(
        "-held_on", description="Order: held_on, -held_on (newest first), party_org, kind (排序).")


class RecordIn(Schema):
    party_org: str = Field(..., description="Code of the Party organisation, within your scope (党组织编码).")
    kind: KindChoice = Field(..., description=f"Kind (类型): {KINDS}.")
    held_on: dt.date = Field(..., description="Date held, not in the future (召开日期).")
    topic: str = Field(..., max_length=300, description="Topic (主题).")
    location: str = Field("", max_length=200, description="Location (地点).")
    host: str | None = Field(None, description="Employee number of the host (主持人工号).")
    lecturer: str | None = Field(None, description="Employee number of the lecturer; required for a Party lesson "
                                                   "(授课人工号).")
    minutes: str = Field("", description="Minutes (会议记录).")
    makeup_for: dt.date | None = Field(None, description="A day of the earlier period this meeting makes up for "
                                                         "(补开所属日期).")
    attendance: list[AttendanceIn] = Field([], description="Everyone expected and whether they came (参会人员).")


class RecordPatch(Schema):
    """Only the fields sent change; `attendance`, when sent, replaces the whole list."""

    party_org: str | None = Field(None, description="Code of the Party organisation (党组织编码).")
    kind: KindChoice | None = Field(None, description=f"Kind (类型): {KINDS}.")
    held_on: dt.date | None = Field(None, description="Date held (召开日期).")
    topic: str | None = Field(None, max_length=300, description="Topic (主题).")
    location: str | None = Field(None, max_length=200, description="Location (地点).")
    host: str | None = Field(None, description="Employee number of the host; null for none (主持人工号).")
    lecturer: str | None = Field(None, description="Employee number of the lecturer; null for none (授课人工号).")
    minutes: str | None = Field(None, description="Minutes (会议记录).")
    makeup_for: dt.date | None = Field(None, description="Day of the period made up for; null for none (补开所属日期).")
    attendance: list[AttendanceIn] | None = Field(None, description="The whole attendance list (参会人员).")


class DeleteQuery(Schema):
    reason: str = Field("", max_length=500, description="Why the record is removed, kept in the audit trail (原因).")


# --- rules -----------------------------------------------------------------------------------------

class RuleOut(Schema):
    id: int = Field(..., description="Id of the rule (规则编号).")
    org_kind: str = Field(..., description=f"Organisation type it binds (党组织类型): {_describe(PartyOrg.Kind)}.")
    meeting_kind: str = Field(..., description=f"Meeting owed (会议类型): {KINDS}.")
    frequency: str = Field(..., description="At least once a month or quarter (周期): month, quarter.")
    min_count: int = Field(..., description="Meetings owed per period (每期次数).")
    exempt_below_members: int | None = Field(None, description="Organisations with fewer members are exempt "
                                                               "(少于该人数免开).")
    active: bool = Field(..., description="In force (生效).")


class RulePatch(Schema):
    frequency: FrequencyChoice | None = Field(None, description="month or quarter (周期).")
    min_count: int | None = Field(None, ge=1, le=31, description="Meetings owed per period (每期次数).")
    exempt_below_members: int | None = Field(None, ge=0, le=1000, description="Exempt below this many members; "
                                                                              "0 for none (免开人数).")
    active: bool | None = Field(None, description="In force (生效).")


# --- compliance ------------------------------------------------------------------------------------

class ComplianceQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="Year; default that of `as_of` (年度).")
    as_of: str | None = Field(None, description="Judge on this date (YYYY-MM-DD), default today; meetings held "
                                                "later are ignored (查看时点).", **DATE)
    party_org: str = Field("", description="Code of a Party organisation: its sub-organisations are the rows; "
                                           "default the top of what you may see (党组织编码).")


class ColumnOut(Schema):
    key: str = Field(..., description="Period: 2026-03 for a month, 2026-Q1 for a quarter (期间).")
    start: dt.date = Field(..., description="First day (起).")
    end: dt.date = Field(..., description="Last day (止).")


class CellOut(Schema):
    meeting_kind: str = Field(..., description=f"Meeting owed (会议类型): {KINDS}.")
    status: str = Field(..., description=f"Status (状态): {STATUSES}.")
    held: int = Field(..., description="Meetings held inside the period (按期召开次数).")
    made_up: int = Field(..., description="Make-ups held after it (补开次数).")


class StatusCounts(Schema):
    held: int = Field(..., description="Held on time (按时).")
    late: int = Field(..., description="Made up late (补开).")
    missing: int = Field(..., description="Missing (未开).")
    pending: int = Field(..., description="Under way (进行中).")
    future: int = Field(..., description="Not begun (未到期).")
    exempt: int = Field(..., description="Exempt (免开).")
    inactive: int = Field(..., description="Organisation not in existence (不适用).")


class RatesOut(Schema):
    counts: StatusCounts = Field(..., description="Requirements by status (按状态统计).")
    due: int = Field(..., description="Requirements owed by `as_of`: held, late or missing (应开).")
    compliance_rate: float | None = Field(None, description="Held on time ÷ owed (按时落实率).")
    completion_rate: float | None = Field(None, description="Held on time or made up ÷ owed (落实率).")


class MatrixRow(Schema):
    party_org: str = Field(..., description="Code of the Party organisation (党组织编码).")
    name: str = Field(..., description="Name (名称).")
    kind: str = Field(..., description=f"Type (类型): {_describe(PartyOrg.Kind)}.")
    members: int = Field(..., description="Party members of its subtree (党员数).")
    has_children: bool = Field(..., description="Whether it has sub-organisations: ask again with its code to see "
                                                "them (有下级).")
    cells: dict[str, list[CellOut]] = Field(..., description="Its own requirements by period key (本级).")
    subtree: dict[str, StatusCounts] = Field(..., description="Requirements of it and all below it by period key "
                                                              "(含下级).")
    rates: RatesOut = Field(..., description="Its subtree's rates over the year (全年).")


class MatrixOut(Schema):
    year: int = Field(..., description="Year (年度).")
    as_of: dt.date = Field(..., description="Judged on (查看时点).")
    parent: str | None = Field(None, description="Code of the organisation whose sub-organisations are the rows.")
    columns: list[ColumnOut] = Field(..., description="Periods: each month, each quarter after its months (期间).")
    rows: list[MatrixRow] = Field(..., description="One per organisation (行).")


class ComplianceSummaryOut(Schema):
    year: int = Field(..., description="Year (年度).")
    as_of: dt.date = Field(..., description="Judged on (查看时点).")
    organisations: int = Field(..., description="Organisations counted (党组织数).")
    total: RatesOut = Field(..., description="All requirements (合计).")
    by_kind: dict[str, RatesOut] = Field(..., description="By meeting kind (按会议类型).")
    by_period: dict[str, RatesOut] = Field(..., description="By period key (按期间).")
    attendance: AttendanceCounts = Field(..., description="Attendance of the year's records up to `as_of` (出勤).")
    attendance_rate: float | None = Field(None, description="Present ÷ listed (出勤率).")


class GapOut(Schema):
    party_org: str = Field(..., description="Code of the Party organisation (党组织编码).")
    party_org_name: str = Field(..., description="Name (党组织).")
    meeting_kind: str = Field(..., description=f"Meeting owed (会议类型): {KINDS}.")
    period: str = Field(..., description="Period key (期间).")
    period_start: dt.date = Field(..., description="First day (起).")
    period_end: dt.date = Field(..., description="Last day (止).")
    status: str = Field(..., description=f"Status (状态): {STATUSES}.")


GapPage = page_schema(GapOut, "GapPage")


class GapQuery(ComplianceQuery):
    status: Literal["missing", "late", "pending"] = Field("missing", description="Which requirements: missing "
                                                                                 "(未开), late (补开) or pending "
                                                                                 "(进行中).")


class MemberAttendanceOut(Schema):
    person: str = Field(..., description="Employee number (工号).")
    name: str = Field(..., description="Name (姓名).")
    party_org: str | None = Field(None, description="Code of the member's Party organisation (所在党组织编码).")
    party_org_name: str | None = Field(None, description="The member's Party organisation (所在党组织).")
    listed: int = Field(..., description="Meetings the member was expected at (应到).")
    present: int = Field(..., description="Present (出席).")
    leave: int = Field(..., description="On leave (请假).")
    absent: int = Field(..., description="Absent (缺席).")
    rate: float | None = Field(None, description="Present ÷ expected (出勤率).")


MemberAttendancePage = page_schema(MemberAttendanceOut, "MemberAttendancePage")
STATUS_NAMES = [s.value for s in Status]
