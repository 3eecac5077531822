from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ronghe.core import clock
from ronghe.production import totals


class Command(BaseCommand):
    help = ("Recompute the unit-day totals (UnitDay) of every unit from the raw daily production, in one "
            "transaction: after the organisation changed shape (a unit moved or merged) or rows were written "
            "other than through the importer. Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("--since", help="only the days from this date on (YYYY-MM-DD)")

    def handle(self, *args, since=None, **options):
        try:
            start = clock.parse_as_of(since)
        except clock.BadDate as exc:
            raise CommandError(str(exc)) from exc
        with transaction.atomic():
            written = totals.rebuild_all(since=start)
        self.stdout.write(f"{written} unit-day totals written.")
