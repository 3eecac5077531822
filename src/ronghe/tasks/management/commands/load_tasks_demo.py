from django.core.management.base import BaseCommand

from ronghe.tasks.demo.loader import load_tasks_demo


class Command(BaseCommand):
    help = ("Load the Five-Ones demo plans (三项制度改革总方案, “油公司”模式改革总方案, their key tasks and "
            "sub-plans) into the demo oilfield. `load_demo` does this on a fresh database; this command adds them "
            "to one whose demo oilfield was loaded before. Idempotent.")

    def handle(self, *args, **options):
        report = load_tasks_demo()
        self.stdout.write(report.message)
        if report.loaded:
            for name, count in report.counts.items():
                self.stdout.write(f"  {name}: {count}")
            self.stdout.write(f"Loaded in {report.seconds:.1f} s.")
