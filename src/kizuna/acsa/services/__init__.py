"""Every write of the acsa app, one room per subject: `orders` (an order made, requested,
accepted, cancelled and closed, with its marking and its number), `deliveries` (deliveries
with their source documents, and their receipts), `settlements` (the settlement rules, and
settling a delivery in currency or in kind) and `offsets` (相殺 between the two parties).
What every step shares (the order's lock and version, the audited advance, the ledger,
idempotent replay) is in `_steps`. One function per step of an order's life, keyword-only,
atomic, audited in the same transaction, each refusing the wrong person, the wrong side,
the wrong moment and a stale version."""

from ._steps import Conflict
from .deliveries import Document, delivery_record, receipt_sign
from .offsets import offset_approve, offset_propose, offsettable_amounts
from .orders import (
    SIGNATURE_STEPS,
    LineInput,
    default_marking,
    draw_numbers,
    order_accept,
    order_cancel,
    order_close,
    order_create,
    order_request,
)
from .settlements import SETTLEMENT_RULES, counter_receipt_sign, settlement_record

__all__ = [
    "SETTLEMENT_RULES",
    "SIGNATURE_STEPS",
    "Conflict",
    "Document",
    "LineInput",
    "counter_receipt_sign",
    "default_marking",
    "delivery_record",
    "draw_numbers",
    "offset_approve",
    "offset_propose",
    "offsettable_amounts",
    "order_accept",
    "order_cancel",
    "order_close",
    "order_create",
    "order_request",
    "receipt_sign",
    "settlement_record",
]
