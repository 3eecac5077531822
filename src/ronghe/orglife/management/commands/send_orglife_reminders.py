from django.core.management.base import BaseCommand, CommandError

from ronghe.core import clock
from ronghe.orglife.reminders import send_reminders


class Command(BaseCommand):
    help = ("Remind the secretaries of Party organisations whose 三会一课 meetings of the current month or quarter "
            "are still missing within its last five working days. Idempotent: each organisation's secretary is "
            "told once per period, however often this runs.")

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
        for org in run.unreached:
            self.stdout.write(f"no secretary to remind: {org.code} {org.name}")
        self.stdout.write(f"{day.isoformat()}: {verb} {sum(run.sent.values())} messages in all")
