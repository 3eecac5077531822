from django.core.management.base import BaseCommand

from ronghe.meetings.demo.loader import load_meetings_demo


class Command(BaseCommand):
    help = ("Load the meetings demo (the reform office's half-monthly meetings of this year with agendas, minutes "
            "and decisions, and the quarterly geological measures review with the plants' Party secretaries) into "
            "the demo oilfield. `load_demo` does this on a fresh database; this command adds it to one loaded "
            "before. Idempotent.")

    def handle(self, *args, **options):
        report = load_meetings_demo()
        self.stdout.write(report.message)
        if report.loaded:
            for name, count in report.counts.items():
                self.stdout.write(f"  {name}: {count}")
            self.stdout.write(f"Loaded in {report.seconds:.1f} s.")
