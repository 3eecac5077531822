from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ronghe.core.modules import ApiRouter, NavItem
from ronghe.core.scheduler import Job


class MeetingsConfig(AppConfig):
    name = "ronghe.meetings"
    label = "meetings"
    verbose_name = _("Meetings (会议)")

    urls = [("meetings/", "ronghe.meetings.urls")]
    api_routers = [
        ApiRouter("/meeting-series", "ronghe.meetings.api:series_router", "meeting-series",
                  "Standing meetings (例会) and their recurrence rules: every half month, monthly, quarterly, ad hoc; "
                  "a date that is not a working day moves as the series says."),
        ApiRouter("/meetings", "ronghe.meetings.api:meetings_router", "meetings",
                  "Meetings (会议): agenda built from red and blocked tasks, open requests and open decisions; "
                  "attendance (出席/缺席/委托); minutes; notices; the Party secretaries' attendance statistics; "
                  "each user's iCal feed."),
        ApiRouter("/meeting-decisions", "ronghe.meetings.api:decisions_router", "meeting-decisions",
                  "Decisions (议定事项), numbered 〔年〕第N期-n, and the one step that turns one into a task."),
    ]
    nav = [NavItem("meeting_list", _("Meetings (会议)"), "calendar-event", ("meeting_",))]
    jobs = [Job("generate_meetings", hour="2", minute="40"), Job("send_meeting_notices", hour="8", minute="10")]
    demo = "ronghe.meetings.demo.loader:load_meetings_demo"
