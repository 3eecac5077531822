from django.core.management.base import BaseCommand

from ronghe.core.notifications import services


class Command(BaseCommand):
    help = ("Send again the email and webhook notifications that failed, or that were left pending "
            f"when their sender stopped (at most {services.MAX_ATTEMPTS} attempts each).")

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="At most this many deliveries per run.")

    def handle(self, *args, limit=500, **options):
        result = services.retry_deliveries(limit=limit)
        self.stdout.write(f"retried: {result.sent} sent, {result.failed} failed, {result.busy} taken by another sender")
