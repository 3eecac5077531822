"""Schemas of the coordination API: every field described, units named by code and people by
employee number, as everywhere in the API."""
import datetime as dt

from ninja import Field, Schema

from ronghe.coordination.models import Category, Request
from ronghe.core.api_support import page_schema

ON = "The date of the step (YYYY-MM-DD), not in the future; default today."


class EventOut(Schema):
    kind: str = Field(..., description="The step: raised, edited, answered, forwarded, escalated, closed, reopened, "
                                       "attached.")
    on: dt.date = Field(..., description="The date of the step.")
    actor: str | None = Field(None, description="Username of who took the step; null when the system did.")
    unit: str | None = Field(None, description="Code of the unit the step went to (addressee, forwarded to, "
                                               "escalated to).")
    text: str = Field("", description="The answer, note or reason given.")


class RequestAttachmentOut(Schema):
    id: int = Field(..., description="Id of the attachment.")
    name: str = Field(..., description="File name.")
    size: int = Field(..., description="Size in bytes.")
    url: str = Field(..., description="Where the page downloads it (session login).")


class RequestOut(Schema):
    id: int = Field(..., description="Id of the request (协调事项编号).")
    number: str = Field(..., description="Its number, e.g. XT2026-0012.")
    title: str = Field(..., description="Title.")
    description: str = Field(..., description="What needs co-ordinating.")
    category: str = Field(..., description=f"Category: {', '.join(Category.values)}.")
    state: str = Field(..., description=f"State: {', '.join(Request.State.values)}.")
    from_unit: str = Field(..., description="Code of the raising unit.")
    from_unit_name: str = Field(..., description="Name of the raising unit.")
    raised_by: str | None = Field(None, description="Username of who raised it.")
    raised_by_person: str | None = Field(None, description="Employee number of who raised it.")
    task: int | None = Field(None, description="Id of the task it was raised from, if any (it blocks the task).")
    to_unit: str = Field(..., description="Code of the unit it is addressed to.")
    to_unit_name: str = Field(..., description="Name of the unit it is addressed to.")
    to_person: str | None = Field(None, description="Employee number of the person it is addressed to, if any.")
    handling_unit: str = Field(..., description="Code of the unit that owes the answer now (addressee, forwarded "
                                                "or escalated to).")
    raised_on: dt.date = Field(..., description="Date raised.")
    answer_due: dt.date = Field(..., description="Date the answer is due (default 5 working days after raising).")
    current_due: dt.date = Field(..., description="Date the unit now handling it must answer by (later than "
                                                  "answer_due after an escalation).")
    overdue: bool = Field(..., description="Unanswered and past current_due today.")
    answer: str = Field("", description="The answer (明确答复), empty until answered.")
    answered_by: str | None = Field(None, description="Username of who answered.")
    answered_by_unit: str | None = Field(None, description="Code of the unit that answered.")
    answered_on: dt.date | None = Field(None, description="Date answered.")
    answered_on_time: bool | None = Field(None, description="Whether answered by answer_due; null until answered.")
    forwarded_to: str | None = Field(None, description="Code of the unit it was last forwarded to.")
    forwarded_on: dt.date | None = Field(None, description="Date forwarded.")
    escalation_level: int = Field(..., description="How many levels it has been escalated (0: none).")
    escalated_to_unit: str | None = Field(None, description="Code of the unit it was last escalated to.")
    escalated_on: dt.date | None = Field(None, description="Date last escalated.")
    closed_on: dt.date | None = Field(None, description="Date the raiser accepted the answer.")
    reopen_reason: str = Field("", description="Why the raiser last reopened it.")
    reopened_on: dt.date | None = Field(None, description="Date last reopened.")
    reopen_count: int = Field(..., description="Times reopened.")


class RequestDetail(RequestOut):
    events: list[EventOut] = Field(..., description="The timeline, oldest first.")
    attachments: list[RequestAttachmentOut] = Field(..., description="Files attached.")


RequestPage = page_schema(RequestOut, "RequestPage")


class RequestFilters(Schema):
    q: str = Field("", description="Words in the number, title or description.")
    state: str = Field("", description="A state, or `awaiting` (owes an answer) or `overdue` (owes it late).")
    category: str = Field("", description="A category.")
    from_unit: str = Field("", description="Code of a raising unit; its subtree is included.")
    to_unit: str = Field("", description="Code of an addressed unit; its subtree is included.")
    handling_unit: str = Field("", description="Code of the unit now handling; its subtree is included.")
    task: int | None = Field(None, description="Id of the task raised from.")
    raised_from: dt.date | None = Field(None, description="Raised on or after this date.")
    raised_to: dt.date | None = Field(None, description="Raised on or before this date.")
    mine: str = Field("", description="`raised` by me, or `to_me`: addressed to me or handled by units I may change.")
    sort: str = Field("-raised_on", description="raised_on, answer_due, number or state; prefix - for descending.")


class RequestIn(Schema):
    title: str = Field(..., max_length=200, description="Title.")
    description: str = Field(..., description="What needs co-ordinating.")
    category: str = Field("other", description=f"Category: {', '.join(Category.values)}.")
    from_unit: str | None = Field(None, description="Code of the raising unit (one you may change); default the "
                                                    "task's lead unit when raised from a task.")
    task: int | None = Field(None, description="Id of the task it is raised from (you own it); the task is blocked "
                                               "until answered.")
    to_unit: str = Field(..., description="Code of the unit addressed.")
    to_person: str | None = Field(None, description="Employee number of a person of that unit, if addressed by name.")
    answer_due: dt.date | None = Field(None, description="Answer due; default 5 working days after `on`.")
    on: dt.date | None = Field(None, description=ON)


class RequestPatch(Schema):
    title: str | None = Field(None, max_length=200, description="New title.")
    description: str | None = Field(None, description="New description.")
    category: str | None = Field(None, description="New category.")
    to_person: str | None = Field(None, description="Employee number of the person addressed; empty string clears.")
    answer_due: dt.date | None = Field(None, description="New answer date.")


class AnswerIn(Schema):
    answer: str = Field(..., description="The answer (明确答复).")
    on: dt.date | None = Field(None, description=ON)


class ForwardIn(Schema):
    to_unit: str = Field(..., description="Code of the unit to forward it to (转办).")
    note: str = Field("", description="Why it goes there.")
    on: dt.date | None = Field(None, description=ON)


class NoteIn(Schema):
    note: str = Field("", description="A note for the timeline.")
    on: dt.date | None = Field(None, description=ON)


class ReopenIn(Schema):
    reason: str = Field(..., description="Why the answer is not enough.")
    answer_due: dt.date | None = Field(None, description="New answer date; default 5 working days after `on`.")
    on: dt.date | None = Field(None, description=ON)


class RequestFiguresOut(Schema):
    key: str | None = Field(None, description="Code of the unit or employee number of the person; null for the "
                                              "total or requests addressed to no one by name.")
    name: str = Field(..., description="Name of the unit or person.")
    raised: int = Field(..., description="Requests raised in the period.")
    answered: int = Field(..., description="Of them, answered by the end of the period.")
    answered_on_time: int = Field(..., description="Of them, answered by their due date.")
    open: int = Field(..., description="Of them, awaiting an answer at the end of the period.")
    overdue: int = Field(..., description="Of the open ones, past their due date.")
    average_answer_days: float | None = Field(None, description="Average working days from raising to answer.")
    answer_rate: float | None = Field(None, description="Answered / raised, in percent.")
    on_time_rate: float | None = Field(None, description="Answered on time / answered, in percent.")
    all_answered: bool = Field(..., description="Every request raised has been answered.")


class RequestStatsOut(Schema):
    start: dt.date = Field(..., description="First day of the period.")
    end: dt.date = Field(..., description="Last day of the period; figures stand as of this day.")
    headline: str = Field(..., description="The figure in words, e.g. “12 requests raised, all 12 answered”.")
    total: RequestFiguresOut = Field(..., description="All requests raised in the period.")
    from_unit: list[RequestFiguresOut] = Field(..., description="By raising unit.")
    to_unit: list[RequestFiguresOut] = Field(..., description="By addressed unit.")
    to_person: list[RequestFiguresOut] = Field(..., description="By addressee (person).")
