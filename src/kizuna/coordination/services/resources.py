"""Resources committed: an organization's report of the personnel, ships and aircraft it
has committed to a situation, with its log entry."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kizuna.core import bounds
from kizuna.core.audit import record_event
from kizuna.core.models import Organization, Person

from .. import policy
from ..models import LogEntry, ResourceReport, Situation
from ._common import _bilingual, _check_event_time, _lock
from .log import _system_entry


@transaction.atomic
def resources_report(
    *,
    actor: Person,
    situation: Situation,
    organization: Organization,
    as_of: datetime,
    personnel: int,
    ships: int,
    aircraft: int,
    approximate: bool = False,
) -> ResourceReport:
    membership = policy.acting_membership(actor, organization)
    if membership is None or not policy.situations_visible(actor).filter(pk=situation.pk).exists():
        raise PermissionDenied
    situation = _lock(situation)
    _check_event_time(as_of, field="as_of")
    for name, count in (("personnel", personnel), ("ships", ships), ("aircraft", aircraft)):
        if not 0 <= count <= bounds.MAX_COUNT:
            raise ValidationError(
                {name: _("Counts are from 0 to %(most)s.") % {"most": f"{bounds.MAX_COUNT:,}"}}
            )
    if ResourceReport.objects.filter(
        situation=situation, organization=organization, as_of=as_of
    ).exists():
        raise ValidationError({"as_of": _("This organization has reported for this time already.")})
    report = ResourceReport.objects.create(
        situation=situation,
        organization=organization,
        as_of=as_of,
        personnel=personnel,
        ships=ships,
        aircraft=aircraft,
        approximate=approximate,
        reported_by=actor,
    )
    record_event(
        actor=actor,
        action="coordination.resources.report",
        obj=report,
        after={
            "organization": organization.code,
            "as_of": as_of,
            "personnel": personnel,
            "ships": ships,
            "aircraft": aircraft,
            "approximate": approximate,
        },
    )
    _system_entry(
        situation=situation,
        body=None,
        kind=LogEntry.Kind.REPORT,
        actor=actor,
        membership=membership,
        compose=lambda: (
            (
                _(
                    "%(organization)s committed: about %(personnel)s personnel, about "
                    "%(ships)s ships, about %(aircraft)s aircraft"
                )
                if approximate
                else _(
                    "%(organization)s committed: %(personnel)s personnel, %(ships)s ships, "
                    "%(aircraft)s aircraft"
                )
            )
            % {
                "organization": _bilingual(organization.name_ja, organization.name_en),
                "personnel": f"{personnel:,}",
                "ships": ships,
                "aircraft": aircraft,
            }
        ),
        event_at=as_of,
    )
    return report
