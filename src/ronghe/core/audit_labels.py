"""Audit actions in words: an action is "<object>.<verb>" (unit.rename, task.issue,
import.people); pages show the verb in the user's language and keep the code as a hint."""
from django.utils.translation import gettext_lazy as _

VERBS = {
    "create": _("Created"),
    "update": _("Updated"),
    "establish": _("Established (设立)"),
    "edit": _("Adjusted (调整)"),
    "rename": _("Renamed (更名)"),
    "move": _("Moved (划转)"),
    "merge": _("Merged (合并)"),
    "abolish": _("Abolished (撤销)"),
    "assign": _("Appointed"),
    "remove": _("Removed"),
    "grant": _("Role granted"),
    "revoke": _("Role revoked"),
    "issue": _("Issued (下达)"),
    "acknowledge": _("Acknowledged (签收)"),
    "report": _("Progress reported (进展反馈)"),
    "milestone_done": _("Milestone done"),
    "block": _("Marked blocked"),
    "unblock": _("Unblocked"),
    "submit_completion": _("Completion submitted (办结申请)"),
    "complete": _("Completed (办结)"),
    "return": _("Returned (退办)"),
    "evaluate": _("Evaluated (评价)"),
    "cancel": _("Cancelled (作废)"),
    "extension_request": _("Extension requested (延期申请)"),
    "extension_approve": _("Extension approved"),
    "extension_reject": _("Extension rejected"),
    "test": _("Test message sent"),
}


def action_label(action: str) -> str:
    prefix, _sep, verb = action.partition(".")
    if prefix == "import":
        return str(_("Imported (导入)"))
    label = VERBS.get(verb)
    return str(label) if label is not None else action
