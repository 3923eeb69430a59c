"""The yearly record as files: CSV for machines (codes, plain numbers, the qualifier in its
own column) and XLSX for people (words in the reader's language, figures as the source gives
them); the after-action report as a bilingual PDF form (core's `paper.Form`). All open with
the exercise-traffic banner, as every exercise record does."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Sequence

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kizuna.core.paper import Box, Form, bilingual
from kizuna.core.traffic import EXERCISE_BANNER
from kizuna.sharing.marking import Marking
from kizuna.sharing.selectors import marking_label

from .models import (
    MEASURES,
    CorrectiveAction,
    Exercise,
    Lesson,
    Observation,
    Provenance,
)

# Every export and the report open with it (core.traffic).
BANNER = EXERCISE_BANNER

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


def _both(show: Callable[[], object]) -> str:
    """A word in both languages: 未達成 / Not met."""
    with translation.override("ja"):
        ja = str(show())
    with translation.override("en"):
        en = capfirst(str(show()))
    return bilingual(ja, en)


def _pair(ja: str, en: str) -> str:
    return bilingual(ja, en) if ja and en else ja or en


def after_action_pdf(
    exercise: Exercise,
    *,
    observations: Sequence[Observation],
    lessons: Sequence[Lesson],
    actions: Sequence[CorrectiveAction],
) -> bytes:
    """The after-action report (事後研究会報告) of what the reader sees: observations by
    objective, lessons in JLLIS's five parts, corrective actions with owner, due date and
    status. Every page carries the exercise-traffic marking and the exercise's marking; labels
    are Japanese first, then English, and text stays in the language it was written in."""
    pdf = Form(
        title_ja=f"事後研究会報告 {exercise.name_ja}",
        title_en=f"After-action report: {exercise.name_en}",
        marking=f"{BANNER}\n{_both(lambda: marking_label(Marking.of(exercise)))}",
        number=exercise.reference,
        number_label="演習 / Exercise",
    )
    pdf.boxes(
        Box("種類 / Kind", _both(exercise.get_kind_display)),
        Box("期間 / Dates", _both(lambda: exercise.period)),
    )
    if any(r.provenance == Provenance.ILLUSTRATIVE for r in (*observations, *lessons, *actions)):
        pdf.boxes(
            Box("出所 / Provenance", "例示（デモ用に作成）を含む / Includes illustrative records")
        )
    pdf.section("所見 / Observations")
    pdf.ruled_table(
        ["目標\nObjective", "評価\nAssessment", "所見\nObservation", "所属\nOrganization"],
        [
            [
                f"{o.objective.number}. {_pair(o.objective.text_ja, o.objective.text_en)}",
                _both(o.get_assessment_display),
                o.text + (f"\n({o.translation})" if o.translation else ""),
                _pair(o.author_organization.name_ja, o.author_organization.name_en),
            ]
            for o in observations
        ]
        or [["—", "", "", ""]],
        widths=(48, 32, 66, 34),
    )
    pdf.section("教訓 / Lessons")
    if not lessons:
        pdf.paragraph("—")
    for lesson in lessons:
        pdf.boxes(Box("件名 / Title", lesson.title, large=True))
        if lesson.objective:
            objective = lesson.objective
            pdf.boxes(
                Box(
                    "目標 / Objective",
                    f"{objective.number}. {_pair(objective.text_ja, objective.text_en)}",
                )
            )
        for label, text in (
            ("所見 / Observation", lesson.observation),
            ("考察 / Discussion", lesson.discussion),
            ("教訓 / Lesson", lesson.lesson),
            ("提言 / Recommendation", lesson.recommendation),
        ):
            pdf.boxes(Box(label, text))
        pdf.ln(3)
    pdf.section("是正措置 / Corrective actions")
    pdf.ruled_table(
        ["是正措置\nAction", "担当組織\nOwner", "期限\nDue", "状態\nStatus"],
        [
            [
                action.text,
                _pair(action.owner.name_ja, action.owner.name_en),
                action.due_on.isoformat(),
                _both(action.get_status_display)
                + ("\n期限超過 / Overdue" if action.overdue else "")
                + (f"\n{action.closing_note}" if action.closing_note else ""),
            ]
            for action in actions
        ]
        or [["—", "", "", ""]],
        widths=(72, 44, 22, 42),
    )
    return pdf.output_bytes()
