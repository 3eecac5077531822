from django.db import migrations

# The Party's own requirements (《中国共产党支部工作条例（试行）》): every branch holds a general
# meeting and a Party lesson at least once a quarter and a committee meeting at least once a month
# (a branch of fewer than seven members elects no committee); every Party group meets monthly.
DEFAULTS = [
    ("branch", "general_meeting", "quarter", None),
    ("branch", "lesson", "quarter", None),
    ("branch", "committee", "month", 7),
    ("group", "group_meeting", "month", None),
]


def add_defaults(apps, schema_editor):
    Rule = apps.get_model("orglife", "Rule")
    for org_kind, meeting_kind, frequency, exempt_below in DEFAULTS:
        Rule.objects.get_or_create(org_kind=org_kind, meeting_kind=meeting_kind, defaults={
            "frequency": frequency, "min_count": 1, "exempt_below_members": exempt_below, "active": True})


class Migration(migrations.Migration):

    dependencies = [
        ("orglife", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_defaults, migrations.RunPython.noop),
    ]
