"""Benchmark runner (`make bench`): runs every bench/bench_*.py module on a throwaway SQLite
database and, when TEST_POSTGRES_URL is set, on a throwaway PostgreSQL database created and
dropped here; prints rows/s per measurement and the PostgreSQL / SQLite ratio.

A benchmark module defines NAME and run() -> list of {"name", "rows", "seconds"}; run() is
called in a fresh process with Django set up and the database migrated.

    .venv/bin/python bench/run.py                 # all benchmarks
    .venv/bin/python bench/run.py import          # only those whose NAME matches
"""
import argparse
import importlib
import json
import os
import pkgutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
MARK = "BENCH-RESULT "


def benchmark_modules(selected=()):
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    names = [m.name for m in pkgutil.iter_modules([str(ROOT / "bench")]) if m.name.startswith("bench_")]
    modules = [importlib.import_module(f"bench.{name}") for name in sorted(names)]
    return [m for m in modules if not selected or m.NAME in selected]


def child(module_name):
    """In the fresh process: set Django up on DATABASE_URL, migrate, run, report as JSON."""
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ronghe.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    module = importlib.import_module(module_name)
    print(MARK + json.dumps(module.run()), flush=True)


def run_on(module, database_url, var_dir):
    env = {**os.environ, "DATABASE_URL": database_url, "RONGHE_VAR_DIR": str(var_dir), "RONGHE_TODAY": ""}
    done = subprocess.run([sys.executable, __file__, "--child", module.__name__], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    for line in done.stdout.splitlines():
        if line.startswith(MARK):
            return json.loads(line[len(MARK):])
    sys.stderr.write(done.stdout + done.stderr)
    raise SystemExit(f"benchmark {module.NAME} failed on {urlsplit(database_url).scheme}")


class PostgresDatabase:
    """A database created on the server of TEST_POSTGRES_URL for this run, dropped after."""

    def __init__(self, url):
        self.url = url
        self.name = f"ronghe_bench_{uuid.uuid4().hex[:10]}"

    def _admin(self):
        """A connection for CREATE / DROP DATABASE: to the maintenance database "postgres", as
        Django's test runner does, else to the database the URL names."""
        import psycopg

        try:
            return psycopg.connect(urlunsplit(urlsplit(self.url)._replace(path="/postgres")), autocommit=True)
        except psycopg.OperationalError:
            return psycopg.connect(self.url, autocommit=True)

    def __enter__(self):
        with self._admin() as connection:
            connection.execute(f'CREATE DATABASE "{self.name}"')
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(path=f"/{self.name}"))

    def __exit__(self, *exc):
        with self._admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="benchmark NAMEs to run (default: all)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    modules = benchmark_modules(args.names)
    postgres_url = os.environ.get("TEST_POSTGRES_URL")
    table = []
    for module in modules:
        with tempfile.TemporaryDirectory(prefix="ronghe-bench-") as tmp:
            print(f"{module.NAME}: SQLite …", flush=True)
            sqlite = run_on(module, f"sqlite:///{tmp}/bench.sqlite3", tmp)
            postgres = None
            if postgres_url:
                print(f"{module.NAME}: PostgreSQL …", flush=True)
                with PostgresDatabase(postgres_url) as url:
                    postgres = run_on(module, url, tmp)
        for index, measure in enumerate(sqlite):
            table.append((measure, postgres[index] if postgres else None))
    print()
    print(f"{'benchmark':<24}{'rows':>8}{'SQLite s':>10}{'rows/s':>10}{'PG s':>9}{'rows/s':>10}{'PG/SQLite':>11}")
    for lite, pg in table:
        lite_rate = lite["rows"] / lite["seconds"]
        line = f"{lite['name']:<24}{lite['rows']:>8}{lite['seconds']:>10.2f}{lite_rate:>10.0f}"
        if pg:
            pg_rate = pg["rows"] / pg["seconds"]
            line += f"{pg['seconds']:>9.2f}{pg_rate:>10.0f}{pg_rate / lite_rate:>10.2f}x"
        else:
            line += f"{'-':>9}{'-':>10}{'-':>11}"
        print(line)
    if not postgres_url:
        print("(PostgreSQL skipped: set TEST_POSTGRES_URL=postgres://user:pass@host/db to compare)")


if __name__ == "__main__":
    main()
