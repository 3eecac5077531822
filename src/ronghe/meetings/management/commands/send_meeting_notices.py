from django.core.management.base import BaseCommand, CommandError

from ronghe.core import clock
from ronghe.meetings.jobs import NOTICE_DAYS, send_notices


class Command(BaseCommand):
    help = (f"Send the notice (会议通知) of every planned meeting held within {NOTICE_DAYS} working days to its chair "
            "and invitees. Idempotent: each person is told once per meeting.")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="the business day (YYYY-MM-DD); default today")

    def handle(self, *args, as_of=None, **options):
        try:
            day = clock.parse_as_of(as_of) or clock.today()
        except clock.BadDate as exc:
            raise CommandError(str(exc)) from exc
        meetings, messages = send_notices(as_of=day)
        self.stdout.write(f"{day.isoformat()}: {messages} messages for {meetings} meetings")
