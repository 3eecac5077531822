from django.core.management.base import BaseCommand

from ronghe.production import jobs


class Command(BaseCommand):
    help = ("Mark failed the daily production uploads whose worker died mid-import (no heartbeat for "
            f"{int(jobs.STALE_AFTER.total_seconds() // 60)} minutes) and delete their stored files. Idempotent.")

    def handle(self, *args, **options):
        self.stdout.write(f"{jobs.expire_stale()} stale imports marked failed.")
