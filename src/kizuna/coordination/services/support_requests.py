"""Requests for support: making one, each step of its lifecycle (submit, acknowledge,
accept, decline, progress, complete, escalate) with its history and log entry, and turning
one to the other nation's forces into an ACSA order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.acsa import services as acsa_services
from kizuna.acsa.models import Category, Order
from kizuna.core import bounds, places
from kizuna.core.audit import record_event
from kizuna.core.models import Membership, Organization, Person

from .. import policy, selectors
from ..models import Body, Language, LogEntry, RequestEvent, RequestLine, SupportRequest
from ._common import _lock
from .log import _system_entry


def _amount(value: Decimal) -> str:
    """20.000 -> "20", 2.500 -> "2.5" (never "2E+1")."""
    return f"{value.normalize():f}"


@dataclass(frozen=True)
class LineInput:
    category: str
    description: str
    quantity: Decimal | None
    unit: str


def _clean_lines(lines: Sequence[LineInput]) -> list[tuple[Category, LineInput]]:
    if not lines:
        raise ValidationError({"lines": _("Add at least one line: what is needed, how much.")})
    categories = {c.code: c for c in Category.objects.filter(code__in=[x.category for x in lines])}
    errors: dict[str, str] = {}
    cleaned = []
    for index, line in enumerate(lines):
        category = categories.get(line.category)
        if category is None:
            errors[f"lines.{index}.category"] = _("Unknown category.")
        elif category.prohibited:
            errors[f"lines.{index}.category"] = _("Weapons are never provided.")
        if line.quantity is None or line.quantity <= 0:
            errors[f"lines.{index}.quantity"] = _("Give a quantity greater than zero.")
        if not line.unit.strip():
            errors[f"lines.{index}.unit"] = _("Give the unit (tonnes, litres, sorties…).")
        if category is not None:
            cleaned.append((category, line))
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def request_create(
    *,
    actor: Person,
    body: Body,
    requesting_organization: Organization,
    supporting_organization: Organization,
    summary: str,
    language: str,
    place_name: str,
    needed_by: datetime,
    priority: str,
    lines: Sequence[LineInput],
) -> SupportRequest:
    if policy.acting_membership(actor, requesting_organization) is None or not policy.may_post(
        actor, body
    ):
        raise PermissionDenied
    if body.situation is None or not body.situation.is_open or not body.is_active:
        raise ValidationError({"body": _("This body takes no requests: it has stood down.")})
    if not summary.strip():
        raise ValidationError({"summary": _("Say what is needed.")})
    if not place_name.strip():
        raise ValidationError({"place_name": _("Say where it is needed.")})
    if priority not in SupportRequest.Priority.values:
        raise ValidationError({"priority": _("Unknown priority.")})
    if language not in Language.values:
        raise ValidationError({"language": _("Choose Japanese or English.")})
    if requesting_organization == supporting_organization:
        raise ValidationError({"supporting_organization": _("Ask another organization.")})
    bounds.check_moment("needed_by", needed_by, field="needed_by")
    cleaned = _clean_lines(lines)
    request = SupportRequest.objects.create(
        situation=body.situation,
        body=body,
        requesting_organization=requesting_organization,
        supporting_organization=supporting_organization,
        summary=summary.strip(),
        language=language,
        place_name=place_name.strip(),
        needed_by=needed_by,
        priority=priority,
        created_by=actor,
    )
    RequestLine.objects.bulk_create(
        RequestLine(
            request=request,
            category=category,
            description=line.description.strip(),
            quantity=line.quantity or Decimal(0),  # checked above: always a positive quantity
            unit=line.unit.strip(),
        )
        for category, line in cleaned
    )
    RequestEvent.objects.create(
        request=request,
        action=RequestEvent.Action.CREATED,
        actor=actor,
        from_body=body,
        to_body=body,
    )
    record_event(
        actor=actor,
        action="coordination.request.create",
        obj=request,
        after={
            "body": body.code,
            "from": requesting_organization.code,
            "to": supporting_organization.code,
            "summary": summary,
            "lines": [
                {"category": c.code, "quantity": x.quantity, "unit": x.unit} for c, x in cleaned
            ],
        },
    )
    return request


def _locked_request(request: SupportRequest) -> SupportRequest:
    return (
        SupportRequest.objects.select_for_update()
        .select_related("situation", "body", "requesting_organization", "supporting_organization")
        .get(pk=request.pk)
    )


def _step(
    *,
    request: SupportRequest,
    actor: Person,
    membership: Membership,
    allowed_from: Sequence[str],
    to_status: str,
    action: str,
    note: str = "",
    to_body: Body | None = None,
) -> SupportRequest:
    """Move a request one step along its lifecycle, with its history, audit and log entry."""
    if request.status not in allowed_from:
        raise ValidationError(
            {
                "status": _("A request that is %(status)s cannot be %(action)s.")
                % {
                    "status": request.get_status_display(),
                    "action": RequestEvent.Action(action).label,
                }
            }
        )
    situation = _lock(request.situation)
    from_body = request.body
    before = {"status": request.status, "body": from_body.code}
    request.status = to_status
    request.body = to_body or from_body
    request.save(update_fields=["status", "body", "decline_reason"])
    RequestEvent.objects.create(
        request=request,
        action=action,
        actor=actor,
        from_body=from_body,
        to_body=request.body,
        note=note,
    )
    record_event(
        actor=actor,
        action=f"coordination.request.{action}",
        obj=request,
        before=before,
        after={"status": to_status, "body": request.body.code, "note": note},
    )
    label = RequestEvent.Action(action)
    _system_entry(
        situation=situation,
        body=request.body,
        kind=LogEntry.Kind.REQUEST,
        actor=actor,
        membership=membership,
        compose=lambda: (
            _("Request #%(number)s (%(summary)s): %(action)s")
            % {"number": request.reference, "summary": request.summary, "action": str(label.label)}
        ),
        support_request=request,
    )
    return request


def _for(actor: Person, organization: Organization) -> Membership:
    membership = policy.acting_membership(actor, organization)
    if membership is None:
        raise PermissionDenied
    return membership


S = SupportRequest.Status
A = RequestEvent.Action


def _simple_step(
    request: SupportRequest,
    actor: Person,
    *,
    party: str,
    allowed_from: Sequence[str],
    to_status: str,
    action: str,
) -> SupportRequest:
    """A step taken for one party (`requesting` or `supporting`) with nothing to add."""
    request = _locked_request(request)
    membership = _for(actor, getattr(request, f"{party}_organization"))
    return _step(
        request=request,
        actor=actor,
        membership=membership,
        allowed_from=allowed_from,
        to_status=to_status,
        action=action,
    )


@transaction.atomic
def request_submit(*, actor: Person, request: SupportRequest) -> SupportRequest:
    return _simple_step(
        request,
        actor,
        party="requesting",
        allowed_from=policy.REQUEST_STEPS["submit"][1],
        to_status=S.SUBMITTED,
        action=A.SUBMITTED,
    )


@transaction.atomic
def request_acknowledge(*, actor: Person, request: SupportRequest) -> SupportRequest:
    return _simple_step(
        request,
        actor,
        party="supporting",
        allowed_from=policy.REQUEST_STEPS["acknowledge"][1],
        to_status=S.ACKNOWLEDGED,
        action=A.ACKNOWLEDGED,
    )


@transaction.atomic
def request_accept(
    *, actor: Person, request: SupportRequest, accepted: dict[int, Decimal] | None = None
) -> SupportRequest:
    """Accept every line in full, or the quantities given per line id (partly)."""
    request = _locked_request(request)
    membership = _for(actor, request.supporting_organization)
    lines = list(request.lines.select_for_update())
    amounts = {line.pk: line.quantity for line in lines}
    if accepted is not None:
        unknown = set(accepted) - set(amounts)
        if unknown:
            raise ValidationError({"lines": _("Unknown line of this request.")})
        amounts = {pk: accepted.get(pk, Decimal(0)) for pk in amounts}
    errors = {}
    for line in lines:
        amount = amounts[line.pk]
        if amount < 0 or amount > line.quantity:
            errors[f"lines.{line.public_id}"] = _(
                "Accept between 0 and the %(quantity)s %(unit)s requested."
            ) % {"quantity": _amount(line.quantity), "unit": line.unit}
    if errors:
        raise ValidationError(errors)
    if not any(amounts.values()):
        raise ValidationError({"lines": _("Accept something, or decline with a reason.")})
    for line in lines:
        line.accepted = amounts[line.pk]
    RequestLine.objects.bulk_update(lines, ["accepted"])
    full = all(line.accepted == line.quantity for line in lines)
    return _step(
        request=request,
        actor=actor,
        membership=membership,
        allowed_from=policy.REQUEST_STEPS["accept"][1],
        to_status=S.ACCEPTED if full else S.PARTLY_ACCEPTED,
        action=A.ACCEPTED,
    )


@transaction.atomic
def request_decline(*, actor: Person, request: SupportRequest, reason: str) -> SupportRequest:
    request = _locked_request(request)
    membership = _for(actor, request.supporting_organization)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for declining.")})
    request.decline_reason = reason.strip()
    return _step(
        request=request,
        actor=actor,
        membership=membership,
        allowed_from=policy.REQUEST_STEPS["decline"][1],
        to_status=S.DECLINED,
        action=A.DECLINED,
        note=reason.strip(),
    )


@transaction.atomic
def request_progress(
    *,
    actor: Person,
    request: SupportRequest,
    line_id: int,
    committed: Decimal,
    in_transit: Decimal,
    fulfilled: Decimal,
) -> SupportRequest:
    """Record how much of a line is committed, in transit and fulfilled. The first record
    puts an accepted request in progress."""
    request = _locked_request(request)
    membership = _for(actor, request.supporting_organization)
    if request.status not in (S.ACCEPTED, S.PARTLY_ACCEPTED, S.IN_PROGRESS):
        raise ValidationError({"status": _("Progress is recorded once a request is accepted.")})
    line = request.lines.select_for_update().filter(pk=line_id).first()
    if line is None:
        raise ValidationError({"line": _("Unknown line of this request.")})
    if min(committed, in_transit, fulfilled) < 0:
        raise ValidationError({"quantity": _("Quantities are zero or more.")})
    if committed > line.accepted:
        raise ValidationError(
            {
                "committed": _("Commit at most the %(accepted)s accepted.")
                % {"accepted": _amount(line.accepted)}
            }
        )
    if in_transit + fulfilled > committed:
        raise ValidationError(
            {"fulfilled": _("In transit and fulfilled together cannot exceed what is committed.")}
        )
    line.committed, line.in_transit, line.fulfilled = committed, in_transit, fulfilled
    line.save(update_fields=["committed", "in_transit", "fulfilled"])
    note = " / ".join(_amount(q) for q in (committed, in_transit, fulfilled))
    note = f"{line.description}: {note} {line.unit}"
    if request.status == S.IN_PROGRESS:
        return _step(
            request=request,
            actor=actor,
            membership=membership,
            allowed_from=[S.IN_PROGRESS],
            to_status=S.IN_PROGRESS,
            action=A.PROGRESS,
            note=note,
        )
    return _step(
        request=request,
        actor=actor,
        membership=membership,
        allowed_from=[S.ACCEPTED, S.PARTLY_ACCEPTED],
        to_status=S.IN_PROGRESS,
        action=A.STARTED,
        note=note,
    )


@transaction.atomic
def request_complete(*, actor: Person, request: SupportRequest) -> SupportRequest:
    request = _locked_request(request)  # no progress may slip in between check and step
    short = [line for line in request.lines.all() if line.fulfilled < line.accepted]
    if short:
        listed = ", ".join(
            f"{x.description} ({_amount(x.fulfilled)}/{_amount(x.accepted)})" for x in short
        )
        raise ValidationError({"lines": _("Not yet fulfilled: %(lines)s") % {"lines": listed}})
    return _simple_step(
        request,
        actor,
        party="supporting",
        allowed_from=policy.REQUEST_STEPS["complete"][1],
        to_status=S.COMPLETED,
        action=A.COMPLETED,
    )


# The steps that need nothing but the person taking them, by the name pages and API use.
SIMPLE_STEPS = {
    "submit": request_submit,
    "acknowledge": request_acknowledge,
    "complete": request_complete,
}


@transaction.atomic
def request_escalate(*, actor: Person, request: SupportRequest, note: str) -> SupportRequest:
    """Pass a request up one level (CCC -> BOCC -> ACG) in one action, keeping its history."""
    request = _locked_request(request)
    if not policy.may_escalate(actor, request):
        raise PermissionDenied
    target = request.body.parent
    if target is None or not target.is_active:
        raise ValidationError({"body": _("There is no higher body to escalate to.")})
    if not request.is_open:
        raise ValidationError({"status": _("A closed request is not escalated.")})
    if not note.strip():
        raise ValidationError({"note": _("Say why the request goes up.")})
    membership = policy.posting_membership(actor, request.body)
    assert membership is not None
    return _step(
        request=request,
        actor=actor,
        membership=membership,
        allowed_from=SupportRequest.OPEN_STATUSES,
        to_status=request.status,
        action=A.ESCALATED,
        note=note.strip(),
        to_body=target,
    )


@transaction.atomic
def request_to_order(
    *,
    actor: Person,
    request: SupportRequest,
    currency: str,
    settlement_method: str,
    unit_prices: dict[int, Decimal],
    legal_basis: str = "",
) -> Order:
    """A request to the other nation's forces becomes an ACSA order in one step: a draft
    carrying the request's parties, lines, place and date, under the designation in force,
    linked both ways. The ACSA services take it from there (and check who may order)."""
    request = _locked_request(request)
    membership = _for(actor, request.requesting_organization)
    if request.acsa_order_id is not None:
        raise ValidationError({"request": _("This request has already become an ACSA order.")})
    if request.requesting_organization.nation_id == request.supporting_organization.nation_id:
        raise ValidationError(
            {
                "supporting_organization": _(
                    "An ACSA order passes between the two nations' forces; this request "
                    "stays within one nation."
                )
            }
        )
    if request.status in (S.DECLINED, S.COMPLETED):
        raise ValidationError(
            {
                "status": _("A request that is %(status)s cannot become an ACSA order.")
                % {"status": request.get_status_display()}
            }
        )
    situation_type = selectors.designation_in_force(request.situation, timezone.now())
    if situation_type is None:
        raise ValidationError(
            {
                "situation": _(
                    "Designate the situation first: the ACSA applies by legal designation."
                )
            }
        )
    lines = list(request.lines.select_related("category"))
    missing = [line for line in lines if line.pk not in unit_prices]
    if missing:
        raise ValidationError({"unit_prices": _("Give a unit price for every line.")})
    order = acsa_services.order_create(
        actor=actor,
        supplying_org=request.supporting_organization,
        receiving_org=request.requesting_organization,
        situation_type=situation_type,
        legal_basis=legal_basis.strip() or situation_type.name,
        currency=currency,
        settlement_method=settlement_method,
        lines=[
            acsa_services.LineInput(
                category=line.category.code,
                description=line.description,
                quantity=line.accepted or line.quantity,
                unit=line.unit,
                unit_price=unit_prices[line.pk],
                delivery_place=request.place_name,
                delivery_date=places.date_of(request.needed_by),
            )
            for line in lines
        ],
    )
    request.acsa_order = order
    request.save(update_fields=["acsa_order"])
    record_event(
        actor=actor,
        action="coordination.request.acsa_order",
        obj=request,
        after={"acsa_order": order.pk, "situation_type": situation_type.code},
    )
    _system_entry(
        situation=_lock(request.situation),
        body=request.body,
        kind=LogEntry.Kind.REQUEST,
        actor=actor,
        membership=membership,
        compose=lambda: (
            # Not the order's number: the log's readers may not see the order.
            _("Request #%(number)s became an ACSA order.") % {"number": request.reference}
        ),
        support_request=request,
    )
    return order
