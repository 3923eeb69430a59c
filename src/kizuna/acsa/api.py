"""The acsa API, mounted at /api/acsa/ by kizuna.api."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from kizuna.core.models import Organization, Person
from kizuna.sharing.api import MarkingIn, MarkingOut
from kizuna.sharing.marking import Marking

from . import policy, rules, selectors, services
from .models import Delivery, Offset, Order, Settlement, SituationType

router = Router(tags=["acsa"])

# Every create takes one: the same key and body give back the first record, the same key
# with another body is refused.


class CategoryOut(Schema):
    code: str
    name_ja: str
    name_en: str
    kind: str
    kind_source: str | None
    kind_interpretation: bool
    prohibited: bool
    source: str


class ReasonOut(Schema):
    ja: str
    en: str


class SituationOut(Schema):
    code: str
    name_ja: str
    name_en: str
    group: str
    treaty_article: str | None
    effective_from: date | None
    effective_to: date | None
    source: str
    from_japan: bool | None
    from_us: bool | None
    direction_source: str
    law_lapsed_on: date | None
    replaced_by: str | None
    enabled_by_2015_legislation: bool | None
    article_as_numbered_in: str | None
    note: ReasonOut


class VersionOut(Schema):
    code: str
    name_ja: str
    name_en: str
    signed_on: date | None
    diet_approved_on: date | None
    in_force_from: date
    source: str


class CheckIn(Schema):
    situation: str
    category: str
    on: date | None = None
    # The supplying side: JPN (the SDF to US forces) or USA (US forces to the SDF).
    from_: str | None = Field(None, alias="from")


class AnswerOut(Schema):
    allowed: bool | None
    reasons: list[ReasonOut]
    agreement: str | None
    citations: list[str]


@router.get("/categories", response=list[CategoryOut])
def categories(request: HttpRequest) -> list[dict[str, Any]]:
    return selectors.category_rows()


@router.get("/situations", response=list[SituationOut])
def situations(request: HttpRequest) -> list[dict[str, Any]]:
    return selectors.situation_rows()


@router.get("/versions", response=list[VersionOut])
def versions(request: HttpRequest) -> list[dict[str, Any]]:
    return selectors.version_rows()


class SettlementRuleOut(Schema):
    rule: str
    text: ReasonOut
    source: str


@router.get("/settlement-rules", response=list[SettlementRuleOut])
def settlement_rules(request: HttpRequest) -> list[dict[str, Any]]:
    return selectors.settlement_rule_rows()


@router.get("/check", response=AnswerOut)
def check(request: HttpRequest, query: Query[CheckIn]) -> dict[str, Any]:
    return rules.check(
        query.situation, query.category, query.on, rules.supplier(query.from_)
    ).as_dict()


class LineIn(Schema):
    category: str
    description: str = Field(max_length=300)
    quantity: Decimal
    unit: str = Field(max_length=20)
    unit_price: Decimal
    delivery_place: str = Field(max_length=200)
    delivery_date: date


class OrderIn(Schema):
    supplying_org: str
    receiving_org: str
    situation: str
    legal_basis: str = Field(max_length=200)
    currency: str = Field(max_length=3)
    settlement_method: str
    lines: list[LineIn] = Field(max_length=200)
    marking: MarkingIn | None = Field(
        default=None,
        description="Omitted: the receiving nation's lowest level, releasable to both nations.",
    )


class LineOut(Schema):
    id: str
    position: int
    category: str
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    delivery_place: str
    delivery_date: date
    quantity_delivered: Decimal


class OrderOut(Schema):
    id: str
    number: str
    status: str
    version: int
    supplying_org: str
    receiving_org: str
    situation: str
    legal_basis: str
    currency: str
    settlement_method: str
    marking: MarkingOut
    ordering_official: str | None
    approving_official: str | None
    amount_ordered: Decimal
    amount_delivered: Decimal
    amount_settled: Decimal
    missing: list[str]
    warnings: list[str]
    lines: list[LineOut]


class StepIn(Schema):
    version: int
    reason: str = ""


class DocumentIn(Schema):
    name: str = Field(max_length=200)
    content_base64: str


class DeliveryIn(Schema):
    version: int
    line: str
    quantity: Decimal
    delivered_on: date
    documents: list[DocumentIn] = Field(max_length=20)


class DeliveryOut(Schema):
    id: str
    line: str
    quantity: Decimal
    amount: Decimal
    amount_settled: Decimal
    delivered_on: date
    due_on: date
    receipt_signed: bool
    documents: list[str]


class SettlementIn(Schema):
    version: int
    delivery: str
    method: str
    amount: Decimal
    currency: str
    settled_on: date
    quantity: Decimal | None = None


class SettlementOut(Schema):
    id: str
    delivery: str
    method: str
    amount: Decimal
    settled_on: date
    counts: bool


class BalanceOut(Schema):
    creditor: str
    currency: str
    breakdown: str | None
    under_6_months: Decimal
    six_to_12_months: Decimal
    overdue: Decimal
    total: Decimal


def _order_out(order: Order, person: Person) -> dict[str, Any]:
    return {
        "id": order.public_id,
        "number": order.number,
        "status": order.status,
        "version": order.version,
        "supplying_org": order.supplying_org.code,
        "receiving_org": order.receiving_org.code,
        "situation": order.situation_type.code,
        "legal_basis": order.legal_basis,
        "currency": order.currency,
        "settlement_method": order.settlement_method,
        "marking": {
            **Marking.of(order).as_json(),
            "level_nation": order.marking.level.nation_id,
        },
        "ordering_official": order.ordering_official.username if order.ordering_official else None,
        "approving_official": (
            order.approving_official.username if order.approving_official else None
        ),
        "amount_ordered": order.amount_ordered,
        "amount_delivered": order.amount_delivered,
        "amount_settled": order.amount_settled,
        "missing": selectors.missing(order),
        "warnings": (
            selectors.cap_warnings(order, person) if order.status == Order.Status.REQUESTED else []
        ),
        "lines": [
            {
                **{
                    f: getattr(line, f) for f in LineOut.model_fields if f not in ("id", "category")
                },
                "id": line.public_id,
                "category": line.category.code,
            }
            for line in selectors.order_lines(order)
        ],
    }


def _fresh(person: Person, pk: str) -> dict[str, Any]:
    return _order_out(selectors.order_get(person=person, public_id=pk), person)


@contextmanager
def _conflicts_as_409() -> Iterator[None]:
    try:
        yield
    except services.Conflict as conflict:
        raise HttpError(409, str(conflict)) from None


@router.get("/orders", response=list[OrderOut])
def orders(request: HttpRequest, status: str = "", situation: str = "") -> list[dict[str, Any]]:
    person = policy.acsa_person(request)
    return [
        _order_out(o, person)
        for o in selectors.order_list(person=person, status=status, situation=situation)[:200]
    ]


@router.get("/orders/{pk}", response=OrderOut)
def order(request: HttpRequest, pk: str) -> dict[str, Any]:
    return _fresh(policy.acsa_person(request), pk)


def _organization(code: str, field: str) -> Organization:
    organization = Organization.objects.filter(code=code).first()
    if organization is None:
        raise ValidationError({field: gettext("No such organization.")})
    return organization


@router.post("/orders", response={201: OrderOut})
def create_order(request: HttpRequest, payload: OrderIn) -> Status[dict[str, Any]]:
    """A draft order. Send an Idempotency-Key header to make retries safe (as with every
    write of the API, core.idempotency): the same key and body give back the same answer;
    the same key with another body is refused."""
    person = policy.acsa_person(request)
    situation = SituationType.objects.filter(code=payload.situation).first()
    if situation is None:
        known = list(SituationType.objects.values_list("code", flat=True))
        raise rules.UnknownCode(
            "situation", payload.situation, rules.suggest(payload.situation, known)
        )
    created = services.order_create(
        actor=person,
        supplying_org=_organization(payload.supplying_org, "supplying_org"),
        receiving_org=_organization(payload.receiving_org, "receiving_org"),
        situation_type=situation,
        legal_basis=payload.legal_basis,
        currency=payload.currency,
        settlement_method=payload.settlement_method,
        lines=[services.LineInput(**line.model_dump()) for line in payload.lines],
        marking=payload.marking.marking() if payload.marking else None,
    )
    return Status(201, _fresh(person, created.public_id))


def _delivery_out(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.public_id,
        "line": d.line.public_id,
        "quantity": d.quantity,
        "amount": d.amount,
        "amount_settled": d.amount_settled,
        "delivered_on": d.delivered_on,
        "due_on": d.due_on,
        "receipt_signed": d.receipt_signed_at is not None,
        "documents": [doc.sha256 for doc in d.documents.all()],
    }


@router.post("/orders/{pk}/deliveries", response={201: DeliveryOut})
def record_delivery(request: HttpRequest, pk: str, payload: DeliveryIn) -> Status[dict[str, Any]]:
    person = policy.acsa_person(request)
    target = selectors.order_get(person=person, public_id=pk)
    line = selectors.order_line_get(order=target, public_id=payload.line)
    try:
        documents = [
            services.Document(d.name, base64.b64decode(d.content_base64, validate=True))
            for d in payload.documents
        ]
    except binascii.Error:
        raise ValidationError({"documents": gettext("Documents must be base64.")}) from None
    with _conflicts_as_409():
        delivery = services.delivery_record(
            order=target,
            line=line,
            actor=person,
            quantity=payload.quantity,
            delivered_on=payload.delivered_on,
            documents=documents,
            version=payload.version,
        )
    return Status(201, _delivery_out(delivery))


@router.post("/orders/{pk}/deliveries/{delivery_id}/receipt", response=DeliveryOut)
def sign_receipt(
    request: HttpRequest, pk: str, delivery_id: str, payload: StepIn
) -> dict[str, Any]:
    person = policy.acsa_person(request)
    target = selectors.order_get(person=person, public_id=pk)
    delivery = selectors.delivery_get(order=target, public_id=delivery_id)
    with _conflicts_as_409():
        signed = services.receipt_sign(
            order=target, delivery=delivery, actor=person, version=payload.version
        )
    return _delivery_out(signed)


def _settlement_out(s: Settlement) -> dict[str, Any]:
    return {
        "id": s.public_id,
        "delivery": s.delivery.public_id,
        "method": s.method,
        "amount": s.amount,
        "settled_on": s.settled_on,
        "counts": not s.in_kind or s.receipt_signed_at is not None,
    }


@router.post("/orders/{pk}/settlements", response={201: SettlementOut})
def record_settlement(
    request: HttpRequest, pk: str, payload: SettlementIn
) -> Status[dict[str, Any]]:
    person = policy.acsa_person(request)
    target = selectors.order_get(person=person, public_id=pk)
    delivery = selectors.delivery_get(order=target, public_id=payload.delivery)
    with _conflicts_as_409():
        settlement = services.settlement_record(
            order=target,
            delivery=delivery,
            actor=person,
            method=payload.method,
            amount=payload.amount,
            currency=payload.currency,
            settled_on=payload.settled_on,
            quantity=payload.quantity,
            version=payload.version,
        )
    return Status(201, _settlement_out(settlement))


@router.post("/orders/{pk}/settlements/{settlement_id}/receipt", response=SettlementOut)
def sign_counter_receipt(
    request: HttpRequest, pk: str, settlement_id: str, payload: StepIn
) -> dict[str, Any]:
    person = policy.acsa_person(request)
    target = selectors.order_get(person=person, public_id=pk)
    settlement = selectors.settlement_get(order=target, public_id=settlement_id)
    with _conflicts_as_409():
        signed = services.counter_receipt_sign(
            order=target, settlement=settlement, actor=person, version=payload.version
        )
    return _settlement_out(signed)


@router.get("/reports/outstanding", response=list[BalanceOut])
def outstanding(request: HttpRequest, by: str = "") -> list[dict[str, Any]]:
    """Outstanding balances by creditor side and currency; `by=situation` or `by=category`
    breaks them down further."""
    return selectors.outstanding_by(person=policy.acsa_person(request), by=by)


@router.get("/reports/overdue", response=list[DeliveryOut])
def overdue(request: HttpRequest) -> list[dict[str, Any]]:
    person = policy.acsa_person(request)
    deliveries = selectors.overdue_deliveries(person=person).prefetch_related("documents")
    return [_delivery_out(d) for d in deliveries[:500]]


class NettingRowOut(Schema):
    currency: str
    owed_to_japan: Decimal
    owed_to_us: Decimal
    proposable: Decimal


class OffsetOut(Schema):
    id: str
    currency: str
    amount: Decimal
    approved_by_japan: str | None
    approved_by_us: str | None
    applied: bool


class OffsetIn(Schema):
    currency: str = Field(min_length=3, max_length=3)


def _offset_out(offset: Offset) -> dict[str, Any]:
    return {
        "id": offset.public_id,
        "currency": offset.currency,
        "amount": offset.amount,
        "approved_by_japan": getattr(offset.approved_by_japan, "username", None),
        "approved_by_us": getattr(offset.approved_by_us, "username", None),
        "applied": offset.applied_at is not None,
    }


@router.get("/netting", response=list[NettingRowOut])
def netting(request: HttpRequest) -> list[dict[str, Any]]:
    return selectors.netting(person=policy.acsa_person(request))["rows"]


@router.post("/offsets", response={201: OffsetOut})
def propose_offset(request: HttpRequest, payload: OffsetIn) -> Status[dict[str, Any]]:
    person = policy.acsa_person(request)
    selectors.netting(person=person)
    return Status(
        201, _offset_out(services.offset_propose(actor=person, currency=payload.currency))
    )


@router.post("/offsets/{pk}/approve", response=OffsetOut)
def approve_offset(request: HttpRequest, pk: str) -> dict[str, Any]:
    person = policy.acsa_person(request)
    offset = selectors.offset_get(person=person, public_id=pk)
    return _offset_out(services.offset_approve(actor=person, offset=offset))


# Registered last: its path would otherwise also match /orders/{pk}/deliveries and the like.
@router.post("/orders/{pk}/{step}", response=OrderOut)
def order_step(
    request: HttpRequest,
    pk: str,
    step: Literal["request", "accept", "cancel", "close"],
    payload: StepIn,
) -> dict[str, Any]:
    """request (receiving side's ordering official), accept (supplying side's approving
    official), close (the same, once settled), cancel (either, before any delivery)."""
    person = policy.acsa_person(request)
    target = selectors.order_get(person=person, public_id=pk)
    with _conflicts_as_409():
        if step == "cancel":
            services.order_cancel(
                order=target, actor=person, reason=payload.reason, version=payload.version
            )
        else:
            services.SIGNATURE_STEPS[step](order=target, actor=person, version=payload.version)
    return _fresh(person, pk)
