import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ronghe.core.models import AuditEntry
from ronghe.org.models import PartyOrg, Person, Unit
from tests.data import files
from tests.data.import_support import (  # noqa: F401
    PARTY_HEADER,
    PEOPLE_HEADER,
    UNIT_HEADER,
    import_env,
    nothing_written,
)


def test_import_units_prints_the_counts_on_success(org, tmp_path, capsys):
    path = files.xlsx(tmp_path / "u.xlsx", [UNIT_HEADER, ["N1", "新单位", "CY1", "科级"], ["CY1", "采油一厂", "HQ", "处级", "二级单位"]])
    call_command("import_units", str(path))
    assert "2 rows: 1 created, 0 updated, 1 unchanged." in capsys.readouterr().out
    assert Unit.objects.filter(code="N1").exists()
    assert AuditEntry.objects.get(action="import.units").actor is None


def test_import_party_orgs_and_people_with_dry_run_write_nothing(org, tmp_path, capsys):
    party = files.csv_file(tmp_path / "p.csv", [PARTY_HEADER, ["PX", "新支部", "党支部", "P-CY1", "CY1"]], "gbk")
    people = files.xlsx(tmp_path / "e.xlsx", [PEOPLE_HEADER, ["N1", "新人", "", "", "CY1"]])
    with nothing_written():
        call_command("import_party_orgs", str(party), "--dry-run")
        call_command("import_people", str(people), "--dry-run")
    out = capsys.readouterr().out
    assert out.count("1 created") == 2 and "dry run" in out


def test_bad_input_exits_non_zero_prints_one_line_per_error_and_writes_nothing(org, tmp_path, capsys):
    path = files.xlsx(tmp_path / "u.xlsx", [UNIT_HEADER, ["N1", "新单位", "NOPE", "科级"], ["N2", "", "CY1", "厅级"]])
    with nothing_written(), pytest.raises(CommandError, match="3 errors"):
        call_command("import_units", str(path))
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == ["Row 2 [上级单位编码]: Unknown unit code “NOPE”.", "Row 3 [单位名称]: A value is required.",
                     "Row 3 [机构级别]: “厅级” is not one of: 处级、科级、其他."]


def test_the_commands_exit_1_from_the_command_line(org, tmp_path, monkeypatch):
    from django.core.management import ManagementUtility, base

    # run_from_argv closes every connection before exiting, the test database's too.
    monkeypatch.setattr(base.connections, "close_all", lambda: None)
    path = files.xlsx(tmp_path / "e.xlsx", [PEOPLE_HEADER, ["N1", "新人", "", "", "CY1", "", "", "", "", "中共党员"]])
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "import_people", str(path)]).execute()
    assert exit_info.value.code == 1
    assert not Person.objects.filter(employee_no="N1").exists()


def test_user_option_acts_within_that_users_scope(org, personas, tmp_path, capsys):
    path = files.xlsx(tmp_path / "p.xlsx", [PARTY_HEADER, ["PX", "新支部", "党支部", "P-CY2", "CY2"]])
    with pytest.raises(CommandError):
        call_command("import_party_orgs", str(path), "--user", personas.plant_admin.username)
    assert "Unknown Party organisation code “P-CY2”" in capsys.readouterr().err
    call_command("import_party_orgs", str(path), "--user", personas.superuser.username)
    assert PartyOrg.objects.filter(code="PX").exists()
    assert AuditEntry.objects.get(action="import.party_orgs").actor == personas.superuser


def test_an_unknown_user_or_file_is_a_command_error(org, tmp_path):
    with pytest.raises(CommandError, match="No active user"):
        call_command("import_units", str(tmp_path / "x.xlsx"), "--user", "nobody")
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_units", str(tmp_path / "x.xlsx"))
