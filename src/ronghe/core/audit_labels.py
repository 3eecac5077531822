"""Audit actions in words: an action is "<object>.<verb>" (unit.rename, task.issue,
import.people); pages show the verb in the user's language and keep the code as a hint.
Modules name their own actions in their AppConfig's `audit_actions` (core.modules), which win
over the shared verbs below."""
from django.utils.translation import pgettext_lazy

from ronghe.core.modules import merged

# Verbs in the context "audit action": a button's "Created" may read otherwise.
VERBS = {
    "create": pgettext_lazy("audit action", "Created"),
    "update": pgettext_lazy("audit action", "Updated"),
    "establish": pgettext_lazy("audit action", "Established (设立)"),
    "edit": pgettext_lazy("audit action", "Adjusted (调整)"),
    "rename": pgettext_lazy("audit action", "Renamed (更名)"),
    "move": pgettext_lazy("audit action", "Moved (划转)"),
    "merge": pgettext_lazy("audit action", "Merged (合并)"),
    "abolish": pgettext_lazy("audit action", "Abolished (撤销)"),
    "assign": pgettext_lazy("audit action", "Appointed"),
    "remove": pgettext_lazy("audit action", "Deleted"),
    "delete": pgettext_lazy("audit action", "Deleted"),
    "grant": pgettext_lazy("audit action", "Role granted"),
    "revoke": pgettext_lazy("audit action", "Role revoked"),
    "issue": pgettext_lazy("audit action", "Issued (下达)"),
    "acknowledge": pgettext_lazy("audit action", "Acknowledged (签收)"),
    "report": pgettext_lazy("audit action", "Progress reported (进展反馈)"),
    "milestone_done": pgettext_lazy("audit action", "Milestone done"),
    "milestone_add": pgettext_lazy("audit action", "Milestone added"),
    "milestone_update": pgettext_lazy("audit action", "Milestone changed"),
    "milestone_remove": pgettext_lazy("audit action", "Milestone removed"),
    "team": pgettext_lazy("audit action", "Team changed"),
    "co_units": pgettext_lazy("audit action", "Co-operating units changed"),
    "block": pgettext_lazy("audit action", "Marked blocked"),
    "unblock": pgettext_lazy("audit action", "Unblocked"),
    "submit_completion": pgettext_lazy("audit action", "Completion submitted (办结申请)"),
    "complete": pgettext_lazy("audit action", "Completed (办结)"),
    "return": pgettext_lazy("audit action", "Returned (退办)"),
    "evaluate": pgettext_lazy("audit action", "Evaluated (评价)"),
    "cancel": pgettext_lazy("audit action", "Cancelled (作废)"),
    "extension_request": pgettext_lazy("audit action", "Extension requested (延期申请)"),
    "extension_approve": pgettext_lazy("audit action", "Extension approved"),
    "extension_reject": pgettext_lazy("audit action", "Extension rejected"),
    "test": pgettext_lazy("audit action", "Test message sent"),
    "chase": pgettext_lazy("audit action", "Chased (催办)"),
    "raise": pgettext_lazy("audit action", "Raised"),
    "answer": pgettext_lazy("audit action", "Answered (答复)"),
    "forward": pgettext_lazy("audit action", "Forwarded (转办)"),
    "close": pgettext_lazy("audit action", "Closed"),
    "reopen": pgettext_lazy("audit action", "Reopened"),
    "escalate": pgettext_lazy("audit action", "Escalated (升级)"),
    "attach": pgettext_lazy("audit action", "Attachment added"),
    "detach": pgettext_lazy("audit action", "Attachment removed"),
    "retire": pgettext_lazy("audit action", "Retired"),
    "reinstate": pgettext_lazy("audit action", "Reinstated"),
    "members": pgettext_lazy("audit action", "Members changed"),
    "review": pgettext_lazy("audit action", "Reviewed (评议)"),
    "recognize": pgettext_lazy("audit action", "Recognised (命名表彰)"),
    "start": pgettext_lazy("audit action", "Tackling started (攻关)"),
    "solve": pgettext_lazy("audit action", "Solved"),
    "verify": pgettext_lazy("audit action", "Verified"),
    "reject": pgettext_lazy("audit action", "Verification refused"),
    "photo_add": pgettext_lazy("audit action", "Photo added"),
    "photo_remove": pgettext_lazy("audit action", "Photo removed"),
    "rule_update": pgettext_lazy("audit action", "Rule changed"),
    "participant_add": pgettext_lazy("audit action", "Participant added"),
    "participant_remove": pgettext_lazy("audit action", "Participant removed"),
    "indicator_add": pgettext_lazy("audit action", "Indicator added"),
    "indicator_update": pgettext_lazy("audit action", "Indicator changed"),
    "indicator_remove": pgettext_lazy("audit action", "Indicator removed"),
    "award_add": pgettext_lazy("audit action", "Award added"),
    "award_remove": pgettext_lazy("audit action", "Award removed"),
    "reading_set": pgettext_lazy("audit action", "Reading entered"),
    "reading_remove": pgettext_lazy("audit action", "Reading removed"),
    "adjustment_add": pgettext_lazy("audit action", "Bonus or deduction added"),
    "adjustment_remove": pgettext_lazy("audit action", "Bonus or deduction removed"),
    "publish": pgettext_lazy("audit action", "Published"),
    "republish": pgettext_lazy("audit action", "Re-published"),
    "notice": pgettext_lazy("audit action", "Notice sent"),
}

# Where a verb means something else for one kind of object.
ACTIONS = {
    "position.remove": pgettext_lazy("audit action", "Removed from office (免职)"),
    "meeting_feed.revoke": pgettext_lazy("audit action", "Calendar feed revoked"),
}


def action_label(action: str) -> str:
    specific = merged("audit_actions").get(action) or ACTIONS.get(action)
    if specific is not None:
        return str(specific)
    prefix, _sep, verb = action.partition(".")
    if prefix == "import":
        return str(pgettext_lazy("audit action", "Imported (导入)"))
    label = VERBS.get(verb)
    return str(label) if label is not None else action
