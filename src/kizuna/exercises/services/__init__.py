"""Every write of the exercises app, one room per subject: `record` (the record of exercises
and training). Each write is one keyword-only function, one transaction, audited in it."""

from .record import (
    area_add,
    domain_note,
    exercise_record,
    objective_add,
    participation_record,
    series_save,
    situation_link,
)

__all__ = [
    "area_add",
    "domain_note",
    "exercise_record",
    "objective_add",
    "participation_record",
    "series_save",
    "situation_link",
]
