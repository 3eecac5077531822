"""A user's meetings as an iCalendar feed (RFC 5545) for calendar clients."""
import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event, vText

from ronghe.core import clock
from ronghe.core.notifications.services import absolute_url
from ronghe.meetings import selectors

# Calendar clients show months around today; a year each way covers what anyone looks at.
WINDOW = dt.timedelta(days=366)


def _event(meeting, zone) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@ronghe")
    event.add("summary", f"{meeting.title}{meeting.issue}")
    event.add("dtstart", dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=zone))
    event.add("dtend", dt.datetime.combine(meeting.date, meeting.end_time, tzinfo=zone))
    event.add("dtstamp", meeting.created_at)
    if meeting.place:
        event.add("location", vText(meeting.place))
    lines = [meeting.organiser_unit.name]
    if meeting.chair_id:
        lines.append(f"主持：{meeting.chair.name}")
    link = absolute_url(f"/meetings/{meeting.pk}/")
    if link:
        event.add("url", link)
        lines.append(link)
    event.add("description", "\n".join(lines))
    return event


def feed(user) -> bytes:
    """The meetings the user chairs or is invited to, cancelled ones left out, within a year of
    today."""
    zone = ZoneInfo(settings.TIME_ZONE)
    today = clock.today()
    cal = Calendar()
    cal.add("prodid", "-//Ronghe//Meetings//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "融合·我的会议")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    meetings = selectors.person_meetings(user).filter(date__gte=today - WINDOW, date__lte=today + WINDOW)
    for meeting in meetings.order_by("date", "start_time", "pk"):
        cal.add_component(_event(meeting, zone))
    return cal.to_ical()
