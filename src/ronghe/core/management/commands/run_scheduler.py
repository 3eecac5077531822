import logging

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from ronghe.core.scheduler import all_jobs

log = logging.getLogger("ronghe.scheduler")


def _run(job):
    close_old_connections()
    try:
        log.info("running %s %s", job.command, " ".join(job.args))
        call_command(job.command, *job.args)
    except Exception:  # one failing job must not stop the scheduler
        log.exception("job %s failed", job.command)
    finally:
        close_old_connections()


class Command(BaseCommand):
    help = "Run the scheduled jobs (reminders, checks, clean-ups) until interrupted."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="List the jobs and exit.")

    def handle(self, *args, list=False, **options):
        scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
        for job in all_jobs():
            trigger = CronTrigger(hour=job.hour, minute=job.minute, day_of_week=job.day_of_week,
                                  timezone=settings.TIME_ZONE)
            scheduler.add_job(_run, trigger, args=[job], id=f"{job.command} {' '.join(job.args)}".strip(),
                              coalesce=True, max_instances=1, misfire_grace_time=3600)
            if list:
                self.stdout.write(f"{job.command} {' '.join(job.args)}  [{trigger}]")
        if list:
            return
        self.stdout.write(f"scheduler: {len(all_jobs())} jobs")
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            pass
