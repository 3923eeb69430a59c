"""The yearly record as files: CSV for machines (codes, plain numbers, the qualifier in its
own column) and XLSX for people (words in the reader's language, figures as the source gives
them). Both open with the exercise-traffic banner, as every exercise record does."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence

from django.utils.translation import gettext as _

from .models import MEASURES, Exercise

BANNER = "EXERCISE EXERCISE EXERCISE"

CSV_COLUMNS = [
    "fiscal_year",
    "exercise_id",
    "name_ja",
    "name_en",
    "kind",
    "series",
    "starts_on",
    "ends_on",
    "dates_given",
    "domains",
    "nation",
    "participant_en",
    "personnel",
    "personnel_qualifier",
    "ships",
    "ships_qualifier",
    "aircraft",
    "aircraft_qualifier",
    "provenance",
    "source",
]


def csv_rows(exercises: Iterable[Exercise]) -> Iterator[Sequence[object]]:
    """One row per participation (an exercise without any gets one row of its own)."""
    yield [BANNER]
    yield CSV_COLUMNS
    for exercise in exercises:
        head: list[object] = [
            exercise.fiscal_year or "",
            exercise.public_id,
            exercise.name_ja,
            exercise.name_en,
            exercise.kind,
            exercise.series.code if exercise.series else "",
            exercise.starts_on or "",
            exercise.ends_on or "",
            exercise.precision,
            " ".join(d.domain for d in exercise.domains.all()),
        ]
        parts = list(exercise.participations.all())
        if not parts:
            yield [*head, *[""] * 8, exercise.provenance, exercise.source]
        for part in parts:
            figures: list[object] = []
            for measure in MEASURES:
                value = getattr(part, measure)
                figures += [
                    value if value is not None else "",
                    getattr(part, f"{measure}_qualifier"),
                ]
            yield [*head, part.nation_id, part.label_en, *figures, part.provenance, part.source]


def xlsx(exercises: Iterable[Exercise], into: io.BufferedIOBase) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Exercises")
    sheet.append([BANNER])
    sheet["A1"].font = Font(bold=True, color="B22234")
    columns = [
        _("Fiscal year"),
        _("Exercise"),
        _("Kind"),
        _("Series"),
        _("Dates"),
        _("Domains"),
        _("Nation"),
        _("Participant"),
        _("Personnel"),
        _("Ships"),
        _("Aircraft"),
        _("Provenance"),
        _("Source"),
    ]
    sheet.append(columns)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for exercise in exercises:
        head = [
            exercise.fiscal_year,
            exercise.name,
            exercise.get_kind_display(),
            exercise.series.name if exercise.series else "",
            exercise.period,
            ", ".join(d.get_domain_display() for d in exercise.domains.all()),
        ]
        parts = list(exercise.participations.all())
        if not parts:
            sheet.append(
                [*head, "", "", "", "", "", exercise.get_provenance_display(), exercise.source]
            )
        for part in parts:
            sheet.append(
                [
                    *head,
                    part.nation.name,
                    part.label,
                    *(str(part.figure(measure)) for measure in MEASURES),
                    part.get_provenance_display(),
                    part.source,
                ]
            )
    for column, width in zip(
        "ABCDEFGHIJKLM", (8, 40, 18, 16, 22, 20, 12, 36, 12, 10, 10, 14, 40), strict=True
    ):
        sheet.column_dimensions[column].width = width
    book.save(into)
