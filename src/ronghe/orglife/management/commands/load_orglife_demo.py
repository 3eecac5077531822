from django.core.management.base import BaseCommand

from ronghe.orglife.demo.loader import load_orglife_demo


class Command(BaseCommand):
    help = ("Load a year of 三会一课 records (with attendance and a few gaps) for the demo oilfield's Party branches "
            "and groups. `load_demo` does this on a fresh database; this command adds them to one whose demo "
            "oilfield was loaded before. Idempotent.")

    def handle(self, *args, **options):
        report = load_orglife_demo()
        self.stdout.write(report.message)
        if report.loaded:
            for name, count in report.counts.items():
                self.stdout.write(f"  {name}: {count}")
            self.stdout.write(f"Loaded in {report.seconds:.1f} s.")
