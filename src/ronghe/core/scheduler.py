"""Scheduled work: every job is an idempotent management command, so cron or systemd timers
can run the same thing (docs/operations.md). Apps add their jobs to JOBS."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    command: str
    args: tuple = ()
    hour: str = "*"
    minute: str = "0"
    day_of_week: str = "*"


JOBS = [
    Job("clearsessions", hour="3", minute="10"),
    Job("prune_login_failures", hour="3", minute="20"),
    Job("retry_deliveries", minute="*/10"),
    Job("send_reminders", hour="8", minute="30"),
]
