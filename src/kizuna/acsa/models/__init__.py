"""The acsa app's models, one room per subject: `reference` (the agreement's versions,
categories, situations, the eligibility table, liability caps and exchange rates), `orders`
(orders, their number series, lines and ledger), `deliveries` (deliveries, their source
documents and claim-occurrence notices) and `settlements` (settlements and offsets)."""

from .deliveries import ClaimNotice, Delivery, SourceDocument
from .orders import (
    Idempotent,
    LedgerEntry,
    LedgerOutOfBalance,
    Order,
    OrderLine,
    OrderSeries,
    money,
    series_code,
)
from .reference import (
    INTERPRETATION,
    AgreementVersion,
    Category,
    EligibilityRule,
    ExchangeRate,
    LiabilityCap,
    SituationType,
)
from .settlements import Offset, Settlement

__all__ = [
    "INTERPRETATION",
    "AgreementVersion",
    "Category",
    "ClaimNotice",
    "Delivery",
    "EligibilityRule",
    "ExchangeRate",
    "Idempotent",
    "LedgerEntry",
    "LedgerOutOfBalance",
    "LiabilityCap",
    "Offset",
    "Order",
    "OrderLine",
    "OrderSeries",
    "Settlement",
    "SituationType",
    "SourceDocument",
    "money",
    "series_code",
]
