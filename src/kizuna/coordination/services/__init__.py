"""Every write in coordination: one keyword-only function per action, atomic, audited, and
announced to live readers in the same transaction. One room per subject: `situations`
(situations and their legal designations), `bodies` (coordination bodies, working groups'
meetings and action items), `log` (the activity log: numbering, marking and appending
entries, and the writes on them), `support_requests` (requests for support and their
lifecycle, and the step to an ACSA order) and `resources` (resources committed); `_common`
holds what they share.

Entries the system writes itself (a designation, a request changing hands, a body standing
up) are worded by the system in both languages at once: the actor's language is the
original, the other the translation, with no translator named.
"""

from .bodies import (
    action_item_add,
    action_item_close,
    body_stand_down,
    body_stand_up,
    meeting_record,
)
from .log import (
    draw_number,
    entry_deliver,
    entry_post,
    entry_series,
    entry_set_event_time,
    entry_translate,
    entry_vet,
)
from .resources import resources_report
from .situations import (
    designation_add,
    designation_change,
    designation_end,
    situation_close,
    situation_open,
)
from .support_requests import (
    SIMPLE_STEPS,
    LineInput,
    request_accept,
    request_acknowledge,
    request_complete,
    request_create,
    request_decline,
    request_escalate,
    request_progress,
    request_submit,
    request_to_order,
)

__all__ = [
    "SIMPLE_STEPS",
    "LineInput",
    "action_item_add",
    "action_item_close",
    "body_stand_down",
    "body_stand_up",
    "designation_add",
    "designation_change",
    "designation_end",
    "draw_number",
    "entry_deliver",
    "entry_post",
    "entry_series",
    "entry_set_event_time",
    "entry_translate",
    "entry_vet",
    "meeting_record",
    "request_accept",
    "request_acknowledge",
    "request_complete",
    "request_create",
    "request_decline",
    "request_escalate",
    "request_progress",
    "request_submit",
    "request_to_order",
    "resources_report",
    "situation_close",
    "situation_open",
]
