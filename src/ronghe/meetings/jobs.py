"""What the scheduler runs for meetings: generating the series' meetings ahead, and sending
notices of those coming up. Both are idempotent, so cron may run them as often as it likes."""
import datetime as dt

from ronghe.core import clock
from ronghe.core.workdays import Calendar
from ronghe.meetings import services
from ronghe.meetings.models import Meeting

DEFAULT_HORIZON = dt.timedelta(days=62)
NOTICE_DAYS = 2


def _system():
    from ronghe.org.demo.loader import system_actor

    return system_actor()


def generate(*, until) -> list[Meeting]:
    return services.generate_meetings(actor=_system(), until=until)


def send_notices(*, as_of=None) -> tuple[int, int]:
    """(meetings announced, messages sent) for the planned meetings from `as_of` to NOTICE_DAYS
    working days later."""
    as_of = as_of or clock.today()
    last = Calendar().add_working_days(as_of, NOTICE_DAYS)
    actor = _system()
    coming = Meeting.objects.filter(state=Meeting.State.PLANNED, date__gte=as_of, date__lte=last).order_by("date", "pk")
    meetings = messages = 0
    for meeting in coming:
        sent = services.meeting_send_notice(actor=actor, meeting=meeting)
        meetings += 1 if sent else 0
        messages += sent
    return meetings, messages
