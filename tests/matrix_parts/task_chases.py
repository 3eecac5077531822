"""The Five-Ones module's part of the permission matrix: chases (催办) and their supervision
notices (督办单), whose URLs name a task and one of its chases.

Named task_chases, not tasks: `build`'s result is stored under the part's name, and
`world.tasks` holds the matrix's own tasks. A chase is made for each of them straight into the
table (a fixture, not a service call: the tasks are drafts, which nobody may chase)."""
import datetime as dt

from tests.test_permission_matrix import TASK_UNITS, Case, in_scope


def build(world):
    from ronghe.tasks.models import Chase

    return {key: Chase.objects.create(
        task=task, year=2024, serial=n, issued_on=dt.date(2024, 6, 3), issuer=task.plan.unit, message="矩阵督办",
        reply_by=dt.date(2024, 6, 6)) for n, (key, task) in enumerate(world.tasks.items(), start=1)}


def chase_cases(world, persona):
    """Each task's chase under its own task, in or out of scope with it, and one under another
    task's id, where it does not belong."""
    chases = world.task_chases
    cases = [Case({"task_id": task.pk, "chase_id": chases[key].pk},
                  "in" if in_scope(persona, "unit", TASK_UNITS[key]) else "out")
             for key, task in world.tasks.items()]
    return [*cases, Case({"task_id": world.tasks["plant"].pk, "chase_id": chases["sibling"].pk}, "missing")]


PAGE_RULES = [
    (r"^task_chase_notice$", ("task_id", "chase_id"), chase_cases),
]


def path_cases(operation, world, persona, params):
    if params == ("task_id", "chase_id"):
        return chase_cases(world, persona)
    return None


BODY_VALUES = {"message": "矩阵催办", "reply_by": "2030-06-30"}
