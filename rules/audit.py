"""The audit log's vocabulary: every rule that can write an entry, and which of them the digest shows as changes.

The writer (`Work.note`, the organiser's commands) and the reader (`store.organiser.changes_since`) share these
names, so a kind the digest never matches is a type error, not a silent gap.
"""

from __future__ import annotations

from typing import Literal, get_args

# What the digest calls a change ("other" for an entry written before a kind had a name).
ChangeKind = Literal[
    "new", "cancelled", "substituted", "updated", "promoted", "waitlisted", "approved", "rejected", "other"
]

AuditRule = Literal[
    # the decision chain (rules/decide.py), one per named check
    "own_mail", "repeat", "bounce", "auto_reply", "organiser", "info_reply", "question",
    "signup", "cancel", "substitute", "update", "other",
    # what a rule found on the way
    "cap", "promotion", "deadline", "duplicate", "missing_info", "identity", "authority",
    "unclear", "not_addressed", "failing_address", "no_address", "own_address", "loop_guard", "group_summary",
    "claim", "bulk", "answer_limit", "confirm_requested", "ref_miss",
    # scheduled jobs
    "reminder", "info_reminder", "info_timeout", "meeting_changed",
    # organiser commands by reply
    "organiser:approve", "organiser:reject", "organiser:cancel", "organiser:waitlist", "organiser:answer",
    "organiser:authority",
    # delivery (store/outbox.py)
    "mail_sent", "mail_failed",
]  # fmt: skip

# Which audit entries are changes an organiser wants to see in the digest, and as what.
CHANGE_KINDS: dict[AuditRule, ChangeKind] = {
    "signup": "new",
    "cancel": "cancelled",
    "substitute": "substituted",
    "update": "updated",
    "info_reply": "updated",
    "promotion": "promoted",
    "organiser:approve": "approved",
    "organiser:reject": "rejected",
    "organiser:cancel": "cancelled",
    "organiser:waitlist": "waitlisted",
}

AUDIT_RULES: frozenset[str] = frozenset(get_args(AuditRule))
