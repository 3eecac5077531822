import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from ronghe.accounts.models import LoginFailure


class Command(BaseCommand):
    help = "Delete failed-login records older than the lock-out window."

    def handle(self, *args, **options):
        cutoff = timezone.now() - dt.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
        deleted, _ = LoginFailure.objects.filter(at__lt=cutoff).delete()
        self.stdout.write(f"deleted {deleted}")
