from django.core.management.base import BaseCommand, CommandError

from ronghe.coordination.reminders import send_reminders
from ronghe.core import clock


class Command(BaseCommand):
    help = ("Remind the side that owes an answer to a coordination request: the working day before it is due, "
            "and daily once overdue (the raiser too). Idempotent: a second run on the same day sends nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="the business day (YYYY-MM-DD); default today")
        parser.add_argument("--dry-run", action="store_true", help="list what would be sent, send nothing")

    def handle(self, *args, as_of=None, dry_run=False, **options):
        try:
            day = clock.parse_as_of(as_of) or clock.today()
        except clock.BadDate as exc:
            raise CommandError(str(exc)) from exc
        run = send_reminders(as_of=day, dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        for rule in sorted(set(run.sent) | set(run.skipped)):
            self.stdout.write(f"{rule}: {verb} {run.sent[rule]}, already sent {run.skipped[rule]}")
        self.stdout.write(f"{day.isoformat()}: {verb} {sum(run.sent.values())} messages in all")
