"""Every write of the exercises app, one room per subject: `record` (the record of exercises
and training), `scenario` (injects, the exercise clock, delivery) and `review` (the
after-action review: observations and their translations, lessons, corrective actions).
Each write is one keyword-only function, one transaction, audited in it."""

from .record import (
    area_add,
    domain_note,
    exercise_record,
    objective_add,
    participation_record,
    series_save,
    situation_link,
)
from .review import (
    corrective_action_close,
    corrective_action_open,
    corrective_action_update,
    lesson_record,
    observation_record,
    observation_translate,
)
from .scenario import (
    clock_jump,
    clock_pause,
    clock_resume,
    clock_speed,
    clock_start,
    deliver_due,
    delivery_body,
    inject_acknowledge,
    inject_add,
    inject_approve,
    inject_edit,
    inject_fire_now,
    inject_hold,
    inject_reschedule,
    inject_respond,
    injects_outstanding,
    scenario_period,
)

__all__ = [
    "area_add",
    "clock_jump",
    "clock_pause",
    "clock_resume",
    "clock_speed",
    "clock_start",
    "corrective_action_close",
    "corrective_action_open",
    "corrective_action_update",
    "deliver_due",
    "delivery_body",
    "domain_note",
    "exercise_record",
    "inject_acknowledge",
    "inject_add",
    "inject_approve",
    "inject_edit",
    "inject_fire_now",
    "inject_hold",
    "inject_reschedule",
    "inject_respond",
    "injects_outstanding",
    "lesson_record",
    "objective_add",
    "observation_record",
    "observation_translate",
    "participation_record",
    "scenario_period",
    "series_save",
    "situation_link",
]
