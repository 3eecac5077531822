"""Request and response shapes of the meetings API (会议). Series, meetings, agenda items,
attendance rows and decisions are named by their ids; people by employee number (工号), units
by code (单位编码), as everywhere in the API."""
import datetime as dt
from typing import Literal

from ninja import Field, Schema

from ronghe.core.api_support import page_schema
from ronghe.meetings.models import AgendaItem, Attendance, Decision, HolidayRule, Kind, Meeting, Recurrence


def _choices(choices):
    return Literal[tuple(choices.values)]


def _describe(choices) -> str:
    return "; ".join(f"{value} = {label}" for value, label in choices.choices)


KindChoice = _choices(Kind)
RecurrenceChoice = _choices(Recurrence)
HolidayChoice = _choices(HolidayRule)
MeetingState = _choices(Meeting.State)
AttendanceStatus = _choices(Attendance.Status)
Outcome = _choices(AgendaItem.Outcome)
DecisionState = _choices(Decision.State)
Closing = Literal[Decision.State.DONE.value, Decision.State.DROPPED.value]

KIND = f"Kind of meeting (会议类型): {_describe(Kind)}."
TIME = "Time of day, HH:MM (时间)."


class MeetingPersonRef(Schema):
    employee_no: str = Field(..., description="Employee number (工号).")
    name: str = Field(..., description="Name (姓名).")


class MeetingUnitRef(Schema):
    code: str = Field(..., description="Code (单位编码).")
    name: str = Field(..., description="Name (单位名称).")


# --- series --------------------------------------------------------------------------------------

class MeetingSeriesFilters(Schema):
    q: str = Field("", description="Part of the name (名称).")
    unit: str = Field("", description="Code of the organiser unit (主办单位编码).")
    kind: KindChoice | None = Field(None, description=KIND)
    include_inactive: bool = Field(False, description="Also list series that no longer meet (含已停用).")


class MeetingSeriesIn(Schema):
    name: str = Field(..., max_length=200, description="Name, e.g. 改革办例会 (名称).")
    kind: KindChoice = Field("other", description=KIND)
    organiser_unit: str = Field(..., description="Code of the organiser unit, one you may change (主办单位编码).")
    recurrence: RecurrenceChoice = Field("monthly", description=f"Recurrence (周期): {_describe(Recurrence)}.")
    day: int = Field(1, ge=1, le=31, description="Day of the month; past the month's end means its last day (日).")
    second_day: int | None = Field(None, ge=16, le=31, description="Half-monthly: the day in the second half of "
                                                                   "the month, default 15 days after `day` (下半月日).")
    month_of_quarter: int = Field(1, ge=1, le=3, description="Quarterly: 1 = January, April, July, October (季度第几月).")
    holiday_rule: HolidayChoice = Field("next", description=f"A date that is not a working day (遇节假日): "
                                                            f"{_describe(HolidayRule)}.")
    starts_on: dt.date = Field(..., description="First date the rule may give (起始日期).")
    ends_on: dt.date | None = Field(None, description="Last date the rule may give (截止日期).")
    start_time: str = Field("09:00", description=TIME)
    duration_minutes: int = Field(120, ge=10, le=720, description="Length in minutes (时长, 分钟).")
    place: str = Field("", max_length=200, description="Usual place (地点).")
    chair: str | None = Field(None, description="Employee number of the usual chair (主持人工号).")
    invitees: list[str] = Field([], description="Employee numbers of the usual invitees (参会人员工号).")
    units: list[str] = Field([], description="Codes of the attending units whose Party secretaries the attendance "
                                             "statistics count (参会单位编码).")
    plans: list[int] = Field([], description="Ids of the plans whose red and blocked tasks are proposed for the "
                                             "agenda (督办方案).")
    task_plan: int | None = Field(None, description="Id of the plan decisions become tasks of; none: a plan of the "
                                                    "series per year (议定事项方案).")


class MeetingSeriesPatch(Schema):
    name: str | None = Field(None, max_length=200, description="Name (名称).")
    kind: KindChoice | None = Field(None, description=KIND)
    organiser_unit: str | None = Field(None, description="Code of the organiser unit (主办单位编码).")
    recurrence: RecurrenceChoice | None = Field(None, description="Recurrence (周期).")
    day: int | None = Field(None, ge=1, le=31, description="Day of the month (日).")
    second_day: int | None = Field(None, ge=16, le=31, description="Half-monthly second day (下半月日).")
    month_of_quarter: int | None = Field(None, ge=1, le=3, description="Quarterly month (季度第几月).")
    holiday_rule: HolidayChoice | None = Field(None, description="On a holiday (遇节假日).")
    starts_on: dt.date | None = Field(None, description="First date (起始日期).")
    ends_on: dt.date | None = Field(None, description="Last date (截止日期).")
    start_time: str | None = Field(None, description=TIME)
    duration_minutes: int | None = Field(None, ge=10, le=720, description="Length in minutes (时长).")
    place: str | None = Field(None, max_length=200, description="Usual place (地点).")
    chair: str | None = Field(None, description="Employee number of the chair (主持人工号).")
    invitees: list[str] | None = Field(None, description="Employee numbers of the invitees (参会人员工号).")
    units: list[str] | None = Field(None, description="Codes of the attending units (参会单位编码).")
    plans: list[int] | None = Field(None, description="Ids of the plans reviewed (督办方案).")
    task_plan: int | None = Field(None, description="Id of the plan of decision tasks (议定事项方案).")
    active: bool | None = Field(None, description="Whether the series still meets (启用).")


class MeetingSeriesOut(Schema):
    id: int = Field(..., description="Id of the series (系列编号).")
    name: str = Field(..., description="Name (名称).")
    kind: str = Field(..., description=KIND)
    organiser_unit: MeetingUnitRef = Field(..., description="Organiser unit (主办单位).")
    recurrence: str = Field(..., description="Recurrence (周期).")
    day: int = Field(..., description="Day of the month (日).")
    second_day: int | None = Field(None, description="Half-monthly second day (下半月日).")
    month_of_quarter: int = Field(..., description="Quarterly month (季度第几月).")
    holiday_rule: str = Field(..., description="On a holiday (遇节假日).")
    starts_on: dt.date = Field(..., description="First date (起始日期).")
    ends_on: dt.date | None = Field(None, description="Last date (截止日期).")
    start_time: str = Field(..., description=TIME)
    duration_minutes: int = Field(..., description="Length in minutes (时长).")
    place: str = Field(..., description="Usual place (地点).")
    chair: MeetingPersonRef | None = Field(None, description="Usual chair (主持人).")
    task_plan: int | None = Field(None, description="Id of the plan of decision tasks (议定事项方案).")
    active: bool = Field(..., description="Still meets (启用).")
    meeting_count: int = Field(..., description="Meetings of the series so far (会议数).")


class MeetingSeriesDetail(MeetingSeriesOut):
    invitees: list[MeetingPersonRef] = Field(..., description="Usual invitees (参会人员).")
    units: list[MeetingUnitRef] = Field(..., description="Attending units (参会单位).")
    plans: list[int] = Field(..., description="Ids of the plans reviewed (督办方案).")


MeetingSeriesPage = page_schema(MeetingSeriesOut, "MeetingSeriesPage")


class MeetingGenerateIn(Schema):
    until: dt.date = Field(..., description="Create the meetings the rule gives up to this date (生成至).")


class MeetingGenerateOut(Schema):
    created: list[int] = Field(..., description="Ids of the meetings created; empty when they all existed (新建会议).")


# --- meetings ------------------------------------------------------------------------------------

class MeetingFilters(Schema):
    q: str = Field("", description="Part of the title (会议名称).")
    series: int | None = Field(None, description="Id of the series (系列编号).")
    kind: KindChoice | None = Field(None, description=KIND)
    unit: str = Field("", description="Code of the organiser unit (主办单位编码).")
    state: MeetingState | None = Field(None, description=f"State (状态): {_describe(Meeting.State)}.")
    date_from: str | None = Field(None, description="On or after this date, YYYY-MM-DD (开始日期).")
    date_to: str | None = Field(None, description="On or before this date, YYYY-MM-DD (结束日期).")
    mine: bool = Field(False, description="Only meetings you chair or are invited to (我的会议).")


class MeetingIn(Schema):
    title: str = Field(..., max_length=200, description="Title (会议名称).")
    organiser_unit: str = Field(..., description="Code of the organiser unit, one you may change (主办单位编码).")
    series: int | None = Field(None, description="Id of the series it is an extra meeting of (所属系列).")
    kind: KindChoice = Field("other", description=KIND)
    date: dt.date = Field(..., description="Date (日期).")
    start_time: str = Field(..., description=TIME)
    end_time: str = Field(..., description=TIME)
    place: str = Field("", max_length=200, description="Place (地点).")
    chair: str | None = Field(None, description="Employee number of the chair (主持人工号).")
    invitees: list[str] = Field([], description="Employee numbers of the invitees (参会人员工号).")


class MeetingPatch(Schema):
    title: str | None = Field(None, max_length=200, description="Title (会议名称).")
    kind: KindChoice | None = Field(None, description=KIND)
    organiser_unit: str | None = Field(None, description="Code of the organiser unit (主办单位编码).")
    date: dt.date | None = Field(None, description="Date (日期).")
    start_time: str | None = Field(None, description=TIME)
    end_time: str | None = Field(None, description=TIME)
    place: str | None = Field(None, max_length=200, description="Place (地点).")
    chair: str | None = Field(None, description="Employee number of the chair (主持人工号).")
    minutes: str | None = Field(None, description="Minutes (会议纪要).")


class MeetingOut(Schema):
    id: int = Field(..., description="Id of the meeting (会议编号).")
    series: int | None = Field(None, description="Id of its series (所属系列).")
    kind: str = Field(..., description=KIND)
    title: str = Field(..., description="Title (会议名称).")
    issue: str = Field(..., description="Issue number, e.g. 〔2026〕第5期 (期号).")
    organiser_unit: MeetingUnitRef = Field(..., description="Organiser unit (主办单位).")
    date: dt.date = Field(..., description="Date held (日期).")
    scheduled_for: dt.date | None = Field(None, description="Date the rule gave, before a holiday moved it (原定日期).")
    start_time: str = Field(..., description=TIME)
    end_time: str = Field(..., description=TIME)
    place: str = Field(..., description="Place (地点).")
    chair: MeetingPersonRef | None = Field(None, description="Chair (主持人).")
    state: str = Field(..., description=f"State (状态): {_describe(Meeting.State)}.")
    invited: int = Field(..., description="People invited (应到人数).")
    present: int = Field(..., description="People present (实到人数).")
    item_count: int = Field(..., description="Agenda items (议题数).")
    decision_count: int = Field(..., description="Decisions made (议定事项数).")


class MeetingAttendanceOut(Schema):
    id: int = Field(..., description="Id of the attendance row (参会记录编号).")
    person: MeetingPersonRef = Field(..., description="The invited person (参会人).")
    unit: str = Field(..., description="Name of the person's unit (所在单位).")
    status: str = Field(..., description=f"Attendance (出席情况): {_describe(Attendance.Status)}.")
    reason: str = Field(..., description="Reason of an absence (缺席原因).")
    substitute: MeetingPersonRef | None = Field(None, description="Who came in their place (代参会人).")


class MeetingDecisionOut(Schema):
    id: int = Field(..., description="Id of the decision (议定事项编号).")
    number: str = Field(..., description="Number, e.g. 〔2026〕第5期-3 (文号).")
    meeting: int = Field(..., description="Id of its meeting (会议编号).")
    meeting_title: str = Field(..., description="Title of its meeting (会议名称).")
    meeting_date: dt.date = Field(..., description="Date of its meeting (会议日期).")
    item: int | None = Field(None, description="Id of the agenda item it came from (议题编号).")
    text: str = Field(..., description="What was decided (议定内容).")
    owner: MeetingPersonRef = Field(..., description="Owner (责任人).")
    lead_unit: MeetingUnitRef = Field(..., description="Lead unit (牵头单位).")
    deadline: dt.date = Field(..., description="Deadline (完成时限).")
    task: int | None = Field(None, description="Id of the task it became (转办任务).")
    task_state: str | None = Field(None, description="State of that task (任务状态).")
    state: str = Field(..., description=f"State, read from its task when it has one (办理状态): "
                                        f"{_describe(Decision.State)}.")
    closed_on: dt.date | None = Field(None, description="Closed by hand on (办结日期).")
    close_note: str = Field(..., description="Closing note (办结说明).")


class MeetingAgendaItemOut(Schema):
    id: int = Field(..., description="Id of the agenda item (议题编号).")
    position: int = Field(..., description="Order on the agenda (序号).")
    source: str = Field(..., description=f"Where it came from (来源): {_describe(AgendaItem.Source)}.")
    title: str = Field(..., description="Item (议题).")
    presenter: MeetingPersonRef | None = Field(None, description="Presenter (汇报人).")
    task: int | None = Field(None, description="Id of the stuck task it is about (关联任务).")
    request: int | None = Field(None, description="Id of the coordination request it is about (关联协调事项).")
    decision: int | None = Field(None, description="Id of the earlier decision it follows up (跟踪议定事项).")
    discussion: str = Field(..., description="Discussion note (讨论情况).")
    outcome: str = Field(..., description=f"Outcome (结果): {_describe(AgendaItem.Outcome)}.")
    outcome_note: str = Field(..., description="Outcome note (结果说明).")
    decisions: list[int] = Field(..., description="Ids of the decisions it led to (议定事项).")


class MeetingProposalOut(Schema):
    source: str = Field(..., description="task, request or decision (来源).")
    title: str = Field(..., description="Proposed item (建议议题).")
    reason: str = Field(..., description="Why it is proposed: the task's light and failure modes, the request's "
                                         "sides, or the decision's owner and deadline (提议理由).")
    task: int | None = Field(None, description="Id of the task (任务编号).")
    request: int | None = Field(None, description="Id of the coordination request (协调事项编号).")
    decision: int | None = Field(None, description="Id of the earlier decision (议定事项编号).")


class MeetingDetail(MeetingOut):
    minutes: str = Field(..., description="Minutes (会议纪要).")
    notice_sent_at: dt.datetime | None = Field(None, description="When the notice was last sent (通知时间).")
    cancel_reason: str = Field(..., description="Why it was cancelled (取消原因).")
    agenda: list[MeetingAgendaItemOut] = Field(..., description="The agenda in order (议程).")
    attendance: list[MeetingAttendanceOut] = Field(..., description="Invitees and their attendance (参会情况).")
    decisions: list[MeetingDecisionOut] = Field(..., description="Its decisions (议定事项).")


MeetingPage = page_schema(MeetingOut, "MeetingPage")


class MeetingStateIn(Schema):
    state: MeetingState = Field(..., description="planned, held or cancelled (状态).")
    reason: str = Field("", description="Why it is cancelled; required then (取消原因).")


class MeetingNoticeOut(Schema):
    sent: int = Field(..., description="Messages sent now; those sent before are not sent again (发送条数).")


class MeetingAgendaItemIn(Schema):
    title: str = Field("", max_length=300, description="Item; empty takes the name of the task, request or "
                                                       "decision (议题).")
    task: int | None = Field(None, description="Id of a task to discuss (关联任务).")
    request: int | None = Field(None, description="Id of a coordination request to discuss (关联协调事项).")
    decision: int | None = Field(None, description="Id of an earlier decision to follow up (跟踪议定事项).")
    presenter: str | None = Field(None, description="Employee number of the presenter (汇报人工号).")


class MeetingAgendaItemPatch(Schema):
    title: str | None = Field(None, max_length=300, description="Item (议题).")
    position: int | None = Field(None, ge=0, description="Order on the agenda (序号).")
    presenter: str | None = Field(None, description="Employee number of the presenter (汇报人工号).")
    discussion: str | None = Field(None, description="Discussion note (讨论情况).")
    outcome: Outcome | None = Field(None, description=f"Outcome (结果): {_describe(AgendaItem.Outcome)}.")
    outcome_note: str | None = Field(None, description="Outcome note (结果说明).")


class MeetingInviteIn(Schema):
    people: list[str] = Field(..., description="Employee numbers to invite (邀请人员工号).")


class MeetingAttendanceIn(Schema):
    status: AttendanceStatus = Field(..., description=f"Attendance (出席情况): {_describe(Attendance.Status)}.")
    reason: str = Field("", max_length=300, description="Reason of an absence or substitute (缺席原因).")
    substitute: str | None = Field(None, description="Employee number of who came in their place (代参会人工号).")


class MeetingDecisionIn(Schema):
    text: str = Field(..., min_length=1, description="What was decided (议定内容).")
    owner: str = Field(..., description="Employee number of the owner (责任人工号).")
    lead_unit: str = Field(..., description="Code of the lead unit (牵头单位编码).")
    deadline: dt.date = Field(..., description="Deadline, not before the meeting (完成时限).")
    item: int | None = Field(None, description="Id of the agenda item it came from (议题编号).")


class MeetingDecisionPatch(Schema):
    text: str | None = Field(None, description="What was decided (议定内容).")
    owner: str | None = Field(None, description="Employee number of the owner (责任人工号).")
    lead_unit: str | None = Field(None, description="Code of the lead unit (牵头单位编码).")
    deadline: dt.date | None = Field(None, description="Deadline (完成时限).")


class MeetingDecisionFilters(Schema):
    q: str = Field("", description="Words of the decision (议定内容).")
    state: DecisionState | None = Field(None, description="open, done or dropped, read from the task when there is "
                                                          "one (办理状态).")
    meeting: int | None = Field(None, description="Id of the meeting (会议编号).")
    series: int | None = Field(None, description="Id of the series (系列编号).")
    owner: str = Field("", description="Employee number of the owner (责任人工号).")
    lead_unit: str = Field("", description="Code of the lead unit (牵头单位编码).")


MeetingDecisionPage = page_schema(MeetingDecisionOut, "MeetingDecisionPage")


class MeetingCreateTaskIn(Schema):
    leader: str | None = Field(None, description="Employee number of the leader in charge; default the chair "
                                                 "(分管领导工号).")


class MeetingTaskCreatedOut(Schema):
    decision: MeetingDecisionOut = Field(..., description="The decision, now linked to its task (议定事项).")
    task: int = Field(..., description="Id of the task created and issued (任务编号).")


class MeetingCloseIn(Schema):
    state: Closing = Field(..., description="done or dropped (办结或撤销).")
    note: str = Field("", max_length=300, description="Closing note; required when dropped (说明).")


class MeetingAttendanceStatsQuery(Schema):
    kind: KindChoice = Field(..., description=KIND)
    date_from: str = Field(..., description="First day of the period, YYYY-MM-DD (开始日期).")
    date_to: str = Field(..., description="Last day of the period, YYYY-MM-DD (结束日期).")


class MeetingUnitAttendanceOut(Schema):
    unit: MeetingUnitRef = Field(..., description="Production unit (生产单位).")
    secretaries: list[MeetingPersonRef] = Field(..., description="Its Party secretaries (党委书记).")
    expected: int = Field(..., description="Meetings a secretary was invited to (应出席次数).")
    present: int = Field(..., description="Meetings a secretary attended in person (亲自出席次数).")
    substitute: int = Field(..., description="Meetings a substitute came to instead (委托参会次数).")
    absent: int = Field(..., description="Meetings missed (缺席次数).")
    rate: float | None = Field(None, description="present / expected, none when nothing was expected (出席率).")


class MeetingAttendanceStatsOut(Schema):
    kind: str = Field(..., description=KIND)
    date_from: dt.date = Field(..., description="First day (开始日期).")
    date_to: dt.date = Field(..., description="Last day (结束日期).")
    meetings: int = Field(..., description="Meetings held in the period that you may see (会议次数).")
    expected: int = Field(..., description="Sum of expected attendances (应出席合计).")
    present: int = Field(..., description="Sum of attendances in person (实出席合计).")
    rate: float | None = Field(None, description="The Party secretaries' attendance rate (书记出席率).")
    units: list[MeetingUnitAttendanceOut] = Field(..., description="Per production unit (分单位).")


class MeetingRaiseRequestIn(Schema):
    to_unit: str = Field(..., description="Code of the unit asked for an answer (答复单位编码).")
    to_person: str | None = Field(None, description="Employee number of the person asked, in that unit (答复人工号).")
    title: str = Field(..., max_length=200, description="Title of the request (协调事项标题).")
    description: str = Field(..., min_length=1, description="What is asked (诉求内容).")
    answer_due: dt.date | None = Field(None, description="Answer due; default in 5 working days (答复时限).")


class MeetingRequestOut(Schema):
    item: int = Field(..., description="Id of the agenda item (议题编号).")
    request: int = Field(..., description="Id of the coordination request raised (协调事项编号).")
    number: str = Field(..., description="Number of the request (协调事项编号).")
