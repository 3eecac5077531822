from django.core.management.base import BaseCommand

from ronghe.vanguard.demo.loader import load_vanguard_demo


class Command(BaseCommand):
    help = ("Load the demo carriers (先锋岗, 责任区, 先锋工程) and the production-problem ledger into the demo oilfield. "
            "`load_demo` does this on a fresh database; this command adds them to one whose demo oilfield was loaded "
            "before. Idempotent.")

    def handle(self, *args, **options):
        report = load_vanguard_demo()
        self.stdout.write(report.message)
        if report.loaded:
            for name, count in report.counts.items():
                self.stdout.write(f"  {name}: {count}")
            self.stdout.write(f"Loaded in {report.seconds:.1f} s.")
