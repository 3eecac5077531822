from django.core.management.base import BaseCommand, CommandError

from ronghe.core import clock
from ronghe.meetings.jobs import DEFAULT_HORIZON, generate


class Command(BaseCommand):
    help = ("Create the meetings that the recurrence rules of the active meeting series give up to a date "
            f"(default: {DEFAULT_HORIZON.days} days from today), moving those that fall on a day off as each "
            "series says. Idempotent: meetings that exist, were moved or were cancelled are not made again.")

    def add_arguments(self, parser):
        parser.add_argument("--until", help="the last date to generate (YYYY-MM-DD)")

    def handle(self, *args, until=None, **options):
        try:
            day = clock.parse_as_of(until) or clock.today() + DEFAULT_HORIZON
        except clock.BadDate as exc:
            raise CommandError(str(exc)) from exc
        made = generate(until=day)
        for meeting in made:
            self.stdout.write(f"{meeting.date.isoformat()} {meeting}")
        self.stdout.write(f"{len(made)} meetings created up to {day.isoformat()}")
