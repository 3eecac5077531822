from django.core.management.base import BaseCommand, CommandError

from ronghe.coordination.services import escalate_overdue
from ronghe.core import clock


class Command(BaseCommand):
    help = ("Escalate every coordination request whose answer is overdue to the next level (the parent of the "
            "unit handling it), which is told. Idempotent: the next level gets a fresh period, so a second run "
            "on the same day escalates nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="the business day (YYYY-MM-DD); default today")
        parser.add_argument("--dry-run", action="store_true", help="list what would be escalated, change nothing")

    def handle(self, *args, as_of=None, dry_run=False, **options):
        try:
            day = clock.parse_as_of(as_of) or clock.today()
        except clock.BadDate as exc:
            raise CommandError(str(exc)) from exc
        escalated = escalate_overdue(as_of=day, dry_run=dry_run)
        verb = "would escalate" if dry_run else "escalated"
        for request in escalated:
            self.stdout.write(f"{request.number} {request.title} → {request.handling_unit.name}"
                              if not dry_run else f"{request.number} {request.title}")
        self.stdout.write(f"{day.isoformat()}: {verb} {len(escalated)} requests")
