"""Scheduled work: every job is an idempotent management command, so cron or systemd timers
can run the same thing (docs/operations.md)."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    command: str
    args: tuple = ()
    hour: str = "*"
    minute: str = "0"
    day_of_week: str = "*"


# The platform's own housekeeping; business modules declare theirs as `jobs` on their AppConfig
# (core.modules), and `all_jobs()` gives both.
JOBS = [
    Job("clearsessions", hour="3", minute="10"),
    Job("prune_login_failures", hour="3", minute="20"),
    Job("retry_deliveries", minute="*/10"),
]


def all_jobs() -> list[Job]:
    from ronghe.core.modules import contributions

    return [*JOBS, *contributions("jobs")]
