"""Every write of the exercises app: one keyword-only function per action, each one
transaction, audited in it. Bad input is refused with a message in the person's language
and nothing is written."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kizuna.coordination.models import Situation
from kizuna.core import bounds
from kizuna.core.audit import record_event
from kizuna.core.models import Nation, Organization, Person
from kizuna.sharing import services as sharing_services
from kizuna.sharing.marking import Marking

from .. import policy
from ..models import (
    MEASURES,
    Area,
    Domain,
    Exercise,
    ExerciseDomain,
    Objective,
    Participation,
    Provenance,
    Qualifier,
    Series,
    fiscal_year_of,
)


def _require_recorder(actor: Person | None) -> None:
    """The demo loader writes as nobody (actor None); people must be controllers."""
    if actor is not None and not policy.may_record(actor):
        raise PermissionDenied(_("Only an exercise controller records exercises."))


def _provenance(provenance: str, source: str) -> None:
    if provenance not in Provenance.values:
        raise ValidationError({"provenance": _("Say whether the record is from the seed.")})
    if provenance == Provenance.SEED and not source.strip():
        raise ValidationError({"source": _("Name the page or section of the seed.")})


def _dates(precision: str, starts_on: date | None, ends_on: date | None) -> None:
    if precision not in Exercise.Precision.values:
        raise ValidationError({"precision": _("Unknown precision of dates.")})
    if precision == Exercise.Precision.UNKNOWN:
        if starts_on or ends_on:
            raise ValidationError({"starts_on": _("Dates were given; say how precisely.")})
        return
    if starts_on is None:
        raise ValidationError({"starts_on": _("Give the start date.")})
    bounds.check_moment("exercise", starts_on, field="starts_on")
    bounds.check_moment("exercise", ends_on, field="ends_on")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The exercise cannot end before it starts.")})


@transaction.atomic
def series_save(*, actor: Person | None, code: str, name_ja: str, name_en: str) -> Series:
    _require_recorder(actor)
    if not (name_ja.strip() and name_en.strip()):
        raise ValidationError({"name": _("Name the series in both languages.")})
    series, _created = Series.objects.update_or_create(
        code=code, defaults={"name_ja": name_ja, "name_en": name_en}
    )
    record_event(actor=actor, action="exercises.series.save", obj=series, after={"code": code})
    return series


@transaction.atomic
def exercise_record(
    *,
    actor: Person | None,
    organization: Organization,
    name_ja: str,
    name_en: str,
    kind: str,
    precision: str,
    starts_on: date | None = None,
    ends_on: date | None = None,
    series: Series | None = None,
    domains: Sequence[str] = (),
    provenance: str = Provenance.SEED,
    source: str = "",
    marking: Marking | None = None,
) -> Exercise:
    """A new exercise, marked (by default at the lowest level of the recording organization's
    nation, releasable to Japan and the United States)."""
    _require_recorder(actor)
    if actor is not None and not any(
        m.organization_id == organization.pk for m in actor.membership_rows()
    ):
        raise PermissionDenied(_("Record exercises for your own organization."))
    if not (name_ja.strip() and name_en.strip()):
        raise ValidationError({"name": _("Name the exercise in both languages.")})
    if kind not in Exercise.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of exercise.")})
    _dates(precision, starts_on, ends_on)
    unknown = set(domains) - set(Domain.values)
    if unknown:
        raise ValidationError(
            {"domains": _("Unknown domain: %(codes)s") % {"codes": ", ".join(sorted(unknown))}}
        )
    _provenance(provenance, source)
    chosen = marking or Marking(
        level=_lowest_level(organization.nation_id),
        releasable_to=tuple(sorted({organization.nation_id, "JPN", "USA"})),
    )
    resolved = sharing_services.resolve_marking(chosen, originator=organization)
    if actor is not None:
        sharing_services.require_within_reach(actor, resolved)
    exercise = Exercise.objects.create(
        name_ja=name_ja.strip(),
        name_en=name_en.strip(),
        kind=kind,
        series=series,
        starts_on=starts_on,
        ends_on=ends_on,
        precision=precision,
        fiscal_year=fiscal_year_of(starts_on) if starts_on else None,
        provenance=provenance,
        source=source,
        marking=sharing_services.marking_set(resolved),
    )
    ExerciseDomain.objects.bulk_create(
        ExerciseDomain(exercise=exercise, domain=code) for code in dict.fromkeys(domains)
    )
    record_event(
        actor=actor,
        action="exercises.exercise.record",
        obj=exercise,
        after={
            "name_ja": exercise.name_ja,
            "name_en": exercise.name_en,
            "kind": kind,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "domains": list(dict.fromkeys(domains)),
            "provenance": provenance,
            "marking": chosen.as_json(),
        },
    )
    return exercise


def _lowest_level(nation: str) -> str:
    from kizuna.sharing.models import ClassificationLevel

    lowest = ClassificationLevel.objects.filter(nation=nation).order_by("rank").first()
    if lowest is None:
        raise ValidationError({"level": _("No classification level for this nation.")})
    return lowest.code


@transaction.atomic
def domain_note(
    *, actor: Person | None, exercise: Exercise, domain: str, note_ja: str, note_en: str
) -> ExerciseDomain:
    """What was trained in one domain (サイバー攻撃対処訓練 within a larger exercise)."""
    _require_recorder(actor)
    row = ExerciseDomain.objects.filter(exercise=exercise, domain=domain).first()
    if row is None:
        raise ValidationError({"domain": _("The exercise did not train in this domain.")})
    row.note_ja, row.note_en = note_ja, note_en
    row.save(update_fields=["note_ja", "note_en"])
    record_event(
        actor=actor,
        action="exercises.domain.note",
        obj=exercise,
        after={"domain": domain, "note_en": note_en},
    )
    return row


def _figure(measure: str, value: int | None, qualifier: str) -> None:
    if qualifier not in Qualifier.values:
        raise ValidationError({f"{measure}_qualifier": _("Say whether the figure is exact.")})
    if value is None:
        return
    if value < 0:
        raise ValidationError({measure: _("A figure cannot be negative.")})
    if value > MEASURES[measure]:
        raise ValidationError(
            {
                measure: _("%(value)s is beyond belief for one exercise (at most %(limit)s).")
                % {"value": value, "limit": MEASURES[measure]}
            }
        )


@transaction.atomic
def participation_record(
    *,
    actor: Person | None,
    exercise: Exercise,
    nation: Nation,
    label_ja: str,
    label_en: str,
    organization: Organization | None = None,
    personnel: int | None = None,
    personnel_qualifier: str = Qualifier.EXACT,
    ships: int | None = None,
    ships_qualifier: str = Qualifier.EXACT,
    aircraft: int | None = None,
    aircraft_qualifier: str = Qualifier.EXACT,
    assets_ja: str = "",
    assets_en: str = "",
    provenance: str = Provenance.SEED,
    source: str = "",
) -> Participation:
    """One nation's part in an exercise, its figures as the source gives them (empty when it
    does not give one)."""
    _require_recorder(actor)
    if not (label_ja.strip() and label_en.strip()):
        raise ValidationError({"label": _("Name the participant in both languages.")})
    if organization is not None and organization.nation_id != nation.code:
        raise ValidationError({"organization": _("The organization is of another nation.")})
    _figure("personnel", personnel, personnel_qualifier)
    _figure("ships", ships, ships_qualifier)
    _figure("aircraft", aircraft, aircraft_qualifier)
    _provenance(provenance, source)
    part = Participation.objects.create(
        exercise=exercise,
        nation=nation,
        organization=organization,
        label_ja=label_ja.strip(),
        label_en=label_en.strip(),
        personnel=personnel,
        personnel_qualifier=personnel_qualifier,
        ships=ships,
        ships_qualifier=ships_qualifier,
        aircraft=aircraft,
        aircraft_qualifier=aircraft_qualifier,
        assets_ja=assets_ja,
        assets_en=assets_en,
        provenance=provenance,
        source=source,
    )
    record_event(
        actor=actor,
        action="exercises.participation.record",
        obj=part,
        after={
            "exercise": exercise.pk,
            "nation": nation.code,
            "personnel": [personnel, personnel_qualifier],
            "ships": [ships, ships_qualifier],
            "aircraft": [aircraft, aircraft_qualifier],
            "provenance": provenance,
        },
    )
    return part


@transaction.atomic
def area_add(
    *,
    actor: Person | None,
    exercise: Exercise,
    name_ja: str,
    name_en: str,
    latitude: float | None = None,
    longitude: float | None = None,
    provenance: str = Provenance.SEED,
    source: str = "",
) -> Area:
    _require_recorder(actor)
    if not (name_ja.strip() and name_en.strip()):
        raise ValidationError({"name": _("Name the area in both languages.")})
    if (latitude is None) != (longitude is None):
        raise ValidationError({"latitude": _("Give both latitude and longitude, or neither.")})
    if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):  # type: ignore[operator]
        raise ValidationError({"latitude": _("Out of range.")})
    _provenance(provenance, source)
    area = Area.objects.create(
        exercise=exercise,
        name_ja=name_ja,
        name_en=name_en,
        latitude=latitude,
        longitude=longitude,
        provenance=provenance,
        source=source,
    )
    record_event(
        actor=actor, action="exercises.area.add", obj=area, after={"exercise": exercise.pk}
    )
    return area


@transaction.atomic
def objective_add(
    *,
    actor: Person | None,
    exercise: Exercise,
    text_ja: str,
    text_en: str,
    provenance: str = Provenance.SEED,
    source: str = "",
) -> Objective:
    _require_recorder(actor)
    if not (text_ja.strip() and text_en.strip()):
        raise ValidationError({"text": _("State the objective in both languages.")})
    _provenance(provenance, source)
    number = exercise.objectives.count() + 1
    objective = Objective.objects.create(
        exercise=exercise,
        number=number,
        text_ja=text_ja,
        text_en=text_en,
        provenance=provenance,
        source=source,
    )
    record_event(
        actor=actor,
        action="exercises.objective.add",
        obj=objective,
        after={"exercise": exercise.pk, "number": number},
    )
    return objective


@transaction.atomic
def situation_link(*, actor: Person | None, exercise: Exercise, situation: Situation) -> Exercise:
    """Run the exercise on the real tools: link the coordination situation (of kind exercise)
    its players use."""
    _require_recorder(actor)
    if situation.kind != Situation.Kind.EXERCISE:
        raise ValidationError({"situation": _("Only a situation of kind exercise can run it.")})
    exercise.situation = situation
    exercise.save(update_fields=["situation"])
    record_event(
        actor=actor,
        action="exercises.exercise.situation",
        obj=exercise,
        after={"situation": situation.pk},
    )
    return exercise
