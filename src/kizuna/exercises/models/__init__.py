"""The exercises app's models, one room per subject: `record` (exercises, series, areas,
domains, objectives, participations) and `review` (observations, lessons, corrective
actions)."""

from .record import (
    MAX_AIRCRAFT,
    MAX_PERSONNEL,
    MAX_SHIPS,
    MEASURES,
    Area,
    Domain,
    Exercise,
    ExerciseDomain,
    Figure,
    Objective,
    Participation,
    Provenance,
    Qualifier,
    Series,
    Sourced,
    fiscal_year_label,
    fiscal_year_of,
)
from .review import DUE_SOON_DAYS, CorrectiveAction, Lesson, Observation

__all__ = [
    "DUE_SOON_DAYS",
    "MAX_AIRCRAFT",
    "MAX_PERSONNEL",
    "MAX_SHIPS",
    "MEASURES",
    "Area",
    "CorrectiveAction",
    "Domain",
    "Exercise",
    "ExerciseDomain",
    "Figure",
    "Lesson",
    "Objective",
    "Observation",
    "Participation",
    "Provenance",
    "Qualifier",
    "Series",
    "Sourced",
    "fiscal_year_label",
    "fiscal_year_of",
]
