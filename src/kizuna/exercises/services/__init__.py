"""Every write of the exercises app, one room per subject: `record` (the record of exercises
and training), `review` (the after-action review: observations, lessons, corrective
actions). Each write is one keyword-only function, one transaction, audited in it."""

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
)

__all__ = [
    "area_add",
    "corrective_action_close",
    "corrective_action_open",
    "corrective_action_update",
    "domain_note",
    "exercise_record",
    "lesson_record",
    "objective_add",
    "observation_record",
    "participation_record",
    "series_save",
    "situation_link",
]
