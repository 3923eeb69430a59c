"""Every read of the acsa app that a person, API client or command sees."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils.translation import gettext

from kizuna.core import formats, places
from kizuna.core.models import AuditEvent, Organization, Person
from kizuna.core.public_ids import get_public_or_404
from kizuna.sharing.marking import Marking
from kizuna.sharing.selectors import glossary_translations
from kizuna.sharing.selectors import marking_label as sharing_marking_label

from . import policy, rates, rules, services
from .models import (
    INTERPRETATION,
    AgreementVersion,
    Category,
    ClaimNotice,
    Delivery,
    LiabilityCap,
    Offset,
    Order,
    OrderLine,
    Settlement,
    SituationType,
    money,
)


def category_rows() -> list[dict[str, Any]]:
    """The categories of goods and services, weapons last and marked prohibited."""
    return [
        {
            "code": c.code,
            "name_ja": c.name_ja,
            "name_en": c.name_en,
            "kind": c.kind,
            "kind_source": c.kind_source or None,
            # Where no source says goods or services, the kind is Kizuna's reading.
            "kind_interpretation": not c.kind_source,
            "prohibited": c.prohibited,
            "source": c.source,
        }
        for c in Category.objects.order_by("position")
    ]


def kind_label(row: dict[str, Any]) -> str:
    """A category row's kind in the reader's language, marked when it is Kizuna's reading."""
    label = str(Category.Kind(row["kind"]).label)
    if row["kind_interpretation"]:
        return f"{label} ({INTERPRETATION})"
    return label


def reference_code(field: str, written: str) -> str:
    """The situation or category code a person means by a code or a name in either
    language, the search glossary's words included ("fuel" is 燃料, part of
    燃料・油脂・潤滑油); rules.UnknownCode with the nearest ones otherwise."""
    return rules.resolve(field, written, glossary_translations(written))


def nation_of(organization_id: int) -> str | None:
    """The nation of a unit, by id (the order form's supplying unit), None when none is."""
    nation = (
        Organization.objects.filter(pk=organization_id).values_list("nation_id", flat=True).first()
    )
    return str(nation) if nation else None


def situation_rows() -> list[dict[str, Any]]:
    return [
        {
            "code": s.code,
            "name_ja": s.name_ja,
            "name_en": s.name_en,
            "group": s.group,
            "treaty_article": s.treaty_article or None,
            "effective_from": s.effective_from.isoformat() if s.effective_from else None,
            "effective_to": s.effective_to.isoformat() if s.effective_to else None,
            "source": s.source,
            "from_japan": s.from_japan,
            "from_us": s.from_us,
            "direction_source": s.direction_source,
            "law_lapsed_on": s.law_lapsed_on.isoformat() if s.law_lapsed_on else None,
            "replaced_by": s.replaced_by.code if s.replaced_by else None,
            # ※1 of the figure: made applicable by the 2015 Legislation for Peace and Security.
            "enabled_by_2015_legislation": s.enabled_by_2015_legislation,
            "article_as_numbered_in": s.article_version.code if s.article_version else None,
            "note": rules.both_languages(s.note),
        }
        for s in SituationType.objects.select_related("replaced_by", "article_version").order_by(
            "position"
        )
    ]


def settlement_rule_rows() -> list[dict[str, Any]]:
    """The settlement rules Kizuna applies, each in both languages with its source."""
    return [
        {"rule": key, "text": rules.both_languages(text), "source": source}
        for key, text, source in services.SETTLEMENT_RULES
    ]


def version_rows() -> list[dict[str, Any]]:
    """The agreement's versions with their dates and sources."""
    return [
        {
            "code": v.code,
            "name_ja": v.name_ja,
            "name_en": v.name_en,
            "signed_on": v.signed_on.isoformat() if v.signed_on else None,
            "diet_approved_on": v.diet_approved_on.isoformat() if v.diet_approved_on else None,
            "in_force_from": v.in_force_from.isoformat(),
            "source": v.source,
        }
        for v in AgreementVersion.objects.order_by("in_force_from")
    ]


def _orders(person: Person) -> QuerySet[Order]:
    return policy.orders_visible(person).select_related(
        "supplying_org", "receiving_org", "situation_type", "marking__level"
    )


def marking_label(order: Order) -> str:
    """The order's marking as its banners show it, in the reader's language."""
    return sharing_marking_label(Marking.of(order))


# What the order list can be narrowed to: the orders waiting for the reader.
AWAITING = ("signature", "receipt")
DUE_SOON_DAYS = 30


def order_list(
    *, person: Person, status: str = "", situation: str = "", awaiting: str = ""
) -> QuerySet[Order]:
    orders = _orders(person)
    if awaiting == "signature":
        orders = orders.filter(policy.awaiting_signature(person))
    elif awaiting == "receipt":
        orders = orders.filter(
            Exists(_deliveries_to_receipt(person).filter(line__order=OuterRef("pk")))
        )
    if status:
        orders = orders.filter(status=status)
    if situation:
        orders = orders.filter(situation_type__code=situation)
    return orders.order_by("-id")


def order_get(*, person: Person, public_id: str) -> Order:
    """One order the person may see; a hidden one answers 404 like a missing one."""
    return get_public_or_404(_orders(person), public_id)


def order_line_get(*, order: Order, public_id: str) -> OrderLine:
    return get_public_or_404(order.lines.all(), public_id)


def delivery_get(*, order: Order, public_id: str) -> Delivery:
    return get_public_or_404(Delivery.objects.filter(line__order=order), public_id)


def settlement_get(*, order: Order, public_id: str) -> Settlement:
    return get_public_or_404(Settlement.objects.filter(delivery__line__order=order), public_id)


def order_lines(order: Order) -> QuerySet[OrderLine]:
    return order.lines.select_related("category").prefetch_related(
        Prefetch(
            "deliveries", queryset=Delivery.objects.prefetch_related("documents", "settlements")
        )
    )


# An order's timeline in words: the audit chain's action codes stay in the audit records.
def order_timeline(order: Order) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        object_type=Order._meta.label_lower, object_id=str(order.pk)
    ).select_related("actor")


def overdue_deliveries(*, person: Person, today: date | None = None) -> QuerySet[Delivery]:
    """Deliveries past their twelve months and not settled in full, oldest first."""
    today = today or places.today()
    return (
        Delivery.objects.filter(policy.order_filter(person, via="line__order__"))
        .filter(due_on__lt=today, amount_settled__lt=F("amount"))
        .exclude(line__order__status=Order.Status.CANCELLED)
        .select_related(
            "line__order__supplying_org", "line__order__receiving_org", "line__category"
        )
        .order_by("due_on", "id")
    )


def _deliveries_to_receipt(person: Person) -> QuerySet[Delivery]:
    return Delivery.objects.filter(policy.order_filter(person, via="line__order__")).filter(
        policy.awaiting_receipt(person, via="line__order__")
    )


def waiting_for(*, person: Person, today: date | None = None) -> dict[str, int]:
    """What needs the person now, counted over what they may see: orders to sign, deliveries
    to sign the receipt of, settlements coming due (within DUE_SOON_DAYS) and overdue."""
    today = today or places.today()
    open_debts = (
        Delivery.objects.filter(policy.order_filter(person, via="line__order__"))
        .filter(amount_settled__lt=F("amount"))
        .exclude(line__order__status=Order.Status.CANCELLED)
    )
    return {
        "signature": policy.orders_visible(person)
        .filter(policy.awaiting_signature(person))
        .count(),
        "receipt": _deliveries_to_receipt(person).count(),
        "due_soon": open_debts.filter(
            due_on__gte=today, due_on__lte=today + timedelta(days=DUE_SOON_DAYS)
        ).count(),
        "overdue": open_debts.filter(due_on__lt=today).count(),
    }


def missing(order: Order) -> list[str]:
    """Exactly what stands between the order and its next step, in the reader's language."""
    status = Order.Status
    if order.status == status.DRAFT:
        return [gettext("The ordering official of the receiving side must request and sign.")]
    if order.status == status.REQUESTED:
        return [gettext("The approving official of the supplying side must accept and sign.")]
    if order.status in (status.CANCELLED, status.CLOSED):
        return []
    gaps: list[str] = []
    for line in order_lines(order):
        if line.quantity_remaining > 0:
            gaps.append(
                gettext("Line %(line)s: %(left)s still to be delivered.")
                % {
                    "line": line.position,
                    "left": formats.quantity(line.quantity_remaining, line.unit),
                }
            )
        for delivery in line.deliveries.all():
            if delivery.receipt_signed_at is None:
                gaps.append(
                    gettext("Line %(line)s: the receipt of the delivery of %(day)s is unsigned.")
                    % {"line": line.position, "day": delivery.delivered_on}
                )
            elif delivery.outstanding > 0:
                gaps.append(
                    gettext(
                        "Line %(line)s: %(amount)s owed on the delivery of %(day)s, due %(due)s."
                    )
                    % {
                        "line": line.position,
                        "amount": formats.money(delivery.outstanding, order.currency),
                        "day": delivery.delivered_on,
                        "due": delivery.due_on,
                    }
                )
    if order.status == status.SETTLED:
        gaps.append(gettext("The approving official of the supplying side may now close it."))
    return gaps


# What the outstanding balances may be broken down by, besides side and currency.
BREAKDOWNS = {
    "situation": "line__order__situation_type__code",
    "category": "line__category__code",
}


def outstanding_by(*, person: Person, by: str = "") -> list[dict[str, Any]]:
    """Outstanding balances by creditor side, currency and, if asked, situation or category,
    each split by age (under 6 months, 6 to 12, overdue), in one aggregate query."""
    if by and by not in BREAKDOWNS:
        raise ValidationError({"by": gettext("Break down by situation or category.")})
    today = places.today()
    six_months_ago = today - timedelta(days=182)
    owed = F("amount") - F("amount_settled")
    keys = ["line__order__supplying_org__nation_id", "line__order__currency"]
    if by:
        keys.append(BREAKDOWNS[by])
    rows = (
        Delivery.objects.filter(policy.order_filter(person, via="line__order__"))
        .filter(amount_settled__lt=F("amount"))
        .values(*keys)
        .annotate(
            recent=Sum(owed, filter=Q(delivered_on__gt=six_months_ago)),
            aging=Sum(owed, filter=Q(delivered_on__lte=six_months_ago, due_on__gte=today)),
            overdue=Sum(owed, filter=Q(due_on__lt=today)),
            total=Sum(owed),
        )
        .order_by(*keys)
    )
    return [
        {
            "creditor": r[keys[0]],
            "currency": r[keys[1]],
            "breakdown": r[keys[2]] if by else None,
            "under_6_months": money(r["recent"] or Decimal(0)),
            "six_to_12_months": money(r["aging"] or Decimal(0)),
            "overdue": money(r["overdue"] or Decimal(0)),
            "total": money(r["total"] or Decimal(0)),
        }
        for r in rows
    ]


# A balance's series: (creditor nation, currency) -> [(day, outstanding from that day on)].
BalanceSeries = dict[tuple[str, str], list[tuple[date, Decimal]]]


def balance_series(*, person: Person, today: date | None = None) -> BalanceSeries:
    """Outstanding amount from the start of each month in which it changed, per creditor
    nation and currency (what was delivered up to then less what was settled), from two
    monthly aggregates; each series goes on to today, since a balance stays open until it is
    settled."""
    changes: dict[tuple[str, str], dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))

    def add(rows: Iterable[dict[str, Any]], order_path: str, sign: int) -> None:
        for row in rows:
            key = (row[f"{order_path}__supplying_org__nation_id"], row[f"{order_path}__currency"])
            changes[key][row["month"]] += sign * row["total"]

    def monthly(rows: QuerySet[Any], order_path: str, day: str) -> QuerySet[Any]:
        return (
            rows.filter(policy.order_filter(person, via=f"{order_path}__"))
            .annotate(month=TruncMonth(day))
            .values("month", f"{order_path}__supplying_org__nation_id", f"{order_path}__currency")
            .annotate(total=Sum("amount"))
            .order_by()
        )

    add(monthly(Delivery.objects.all(), "line__order", "delivered_on"), "line__order", 1)
    # A counter-delivery counts once its receipt is signed.
    settlements = Settlement.objects.exclude(method__in=_IN_KIND, receipt_signed_at__isnull=True)
    add(monthly(settlements, "delivery__line__order", "settled_on"), "delivery__line__order", -1)
    today = today or places.today()
    series: BalanceSeries = {}
    for key, by_month in sorted(changes.items()):
        running, points = Decimal(0), []
        for month in sorted(by_month):
            running += by_month[month]
            points.append((month, money(running)))
        if points[-1][0] < today:
            points.append((today, points[-1][1]))
        series[key] = points
    return series


_IN_KIND = [m for m in Order.SettlementMethod.values if m != Order.SettlementMethod.CURRENCY]


def claim_notices_of(order: Order) -> QuerySet[ClaimNotice]:
    return ClaimNotice.objects.filter(delivery__line__order=order).select_related("delivery")


def claim_notice_get(*, person: Person, public_id: str) -> ClaimNotice:
    return get_public_or_404(
        ClaimNotice.objects.select_related(
            "delivery__line__category",
            "delivery__line__order__supplying_org",
            "delivery__line__order__receiving_org",
            "delivery__line__order__marking__level",
        ).filter(policy.order_filter(person, via="delivery__line__order__")),
        public_id,
    )


def fiscal_year_start(day: date, first_month: int) -> date:
    year = day.year if day.month >= first_month else day.year - 1
    return date(year, first_month, 1)


@dataclass(frozen=True)
class CapUse:
    """What a cap counts: the fiscal year's accepted orders (`used`) and this order
    (`adding`), in the cap's currency; `missing` the rates without which it cannot tell."""

    used: Decimal
    adding: Decimal
    missing: tuple[rates.MissingRate, ...]


def cap_use(cap: LiabilityCap, order: Order, on: date) -> CapUse:
    """Every liability of the cap's debtor in the fiscal year, whatever its currency: an
    order priced in another currency counts at the rate in force on its acceptance date in
    Japan (this order's: `on`)."""
    year_starts = datetime.combine(
        fiscal_year_start(on, cap.fiscal_year_starts), time.min, tzinfo=places.zone()
    )
    lines = (
        OrderLine.objects.filter(
            order__receiving_org__nation_id=cap.debtor_nation,
            order__accepted_at__gte=year_starts,
        )
        .exclude(order__status=Order.Status.CANCELLED)
        .exclude(order=order)
        .select_related("order")
    )
    this = order.lines.all()
    if cap.supplies_only:
        lines = lines.filter(category__kind=Category.Kind.GOODS)
        this = this.filter(category__kind=Category.Kind.GOODS)
    table = rates.Rates(cap.currency)
    missing: dict[rates.MissingRate, None] = {}
    totals = [Decimal(0), Decimal(0)]
    counted = [(0, line, places.date_of(line.order.accepted_at or year_starts)) for line in lines]
    counted += [(1, line, on) for line in this]
    for which, line, day in counted:
        amount = table.convert(line.amount, order.currency if which else line.order.currency, day)
        if isinstance(amount, rates.MissingRate):
            missing[amount] = None
        else:
            totals[which] += amount
    return CapUse(totals[0], totals[1], tuple(missing))


def cap_warnings(order: Order, person: Person, on: date | None = None) -> list[str]:
    """What accepting this order would push past a liability cap, in the reader's language;
    and where a missing exchange rate leaves a cap unable to tell, which rate is missing.

    The law counts every order of the fiscal year, hidden ones included, so whether a cap is
    crossed is said to every reader of the order; the figures (the total and the limit) only
    to a reader who sees every order a cap could count (`policy.sees_every_order_received_by`,
    decided on clearances and reference data, not on which orders exist), as a total with a
    hidden order in it would show that order's existence and amount."""
    on = on or places.today()
    caps = LiabilityCap.objects.filter(debtor_nation=order.receiving_org.nation_id)
    warnings = []
    figures: bool | None = None  # decided once, on the first cap crossed
    for cap in caps:
        if (cap.effective_from and on < cap.effective_from) or (
            cap.effective_to and on > cap.effective_to
        ):
            continue
        use = cap_use(cap, order, on)
        used, adding = use.used, use.adding
        for gap in use.missing:
            # Names the missing rate (currencies and day), never an order: safe for anyone.
            warnings.append(
                gettext(
                    "Cannot tell whether accepting this order would bring %(cap)s over its "
                    "limit: no exchange rate from %(quote)s to %(base)s is recorded for "
                    "%(day)s. An administrator records it under exchange rates."
                )
                % {"cap": cap.name, "quote": gap.quote, "base": gap.base, "day": gap.on}
            )
        if not adding or used + adding <= cap.amount:
            continue
        if figures is None:
            figures = policy.sees_every_order_received_by(person, cap.debtor_nation)
        note = gettext(cap.note) if cap.note else ""
        if figures:
            warnings.append(
                gettext(
                    "Accepting this order would bring %(cap)s to %(total)s, "
                    "over its limit of %(limit)s (%(note)s)."
                )
                % {
                    "cap": cap.name,
                    "total": formats.money(used + adding, cap.currency),
                    "limit": formats.money(cap.amount, cap.currency),
                    "note": note,
                }
            )
        else:
            warnings.append(
                gettext(
                    "Accepting this order would cross %(cap)s for this fiscal year "
                    "(%(note)s). Its figures are shown only to readers whose clearance "
                    "covers every order the cap counts."
                )
                % {"cap": cap.name, "note": note}
            )
    return warnings


def netting(*, person: Person) -> dict[str, Any]:
    """The offsets the parties could make now, per currency, and those awaiting approval.
    Offsets concern both parties' whole balances: approving officials and auditors only."""
    if not policy.may_net(person):
        raise Http404
    currencies = sorted(
        set(
            Delivery.objects.filter(policy.order_filter(person, via="line__order__"))
            .filter(receipt_signed_at__isnull=False, amount_settled__lt=F("amount"))
            .values_list("line__order__currency", flat=True)
        )
    )
    rows = []
    for currency in currencies:
        owed = services.offsettable_amounts(currency, person)
        rows.append(
            {
                "currency": currency,
                "owed_to_japan": owed["JPN"],
                "owed_to_us": owed["USA"],
                "proposable": min(owed.values()),
            }
        )
    return {
        "rows": rows,
        "pending": _offsets(person, rows).filter(applied_at__isnull=True),
        "applied": _offsets(person, rows).filter(applied_at__isnull=False)[:20],
    }


def _offsets(person: Person, rows: list[dict[str, Any]]) -> QuerySet[Offset]:
    """Offsets that tell the reader nothing of orders hidden from them: applied ones whose
    every settlement is on an order they see; pending ones no larger than what the reader
    could set off in that currency (a larger one includes what they cannot see, and their
    approval would be refused anyway)."""
    proposable = Q(pk__in=[])
    for row in rows:
        proposable |= Q(currency=row["currency"], amount__lte=row["proposable"])
    hidden = Settlement.objects.filter(offset=OuterRef("pk")).exclude(
        policy.order_filter(person, via="delivery__line__order__")
    )
    return Offset.objects.filter(
        (Q(applied_at__isnull=True) & proposable) | (Q(applied_at__isnull=False) & ~Exists(hidden))
    ).select_related("proposed_by", "approved_by_japan", "approved_by_us")


def offset_get(*, person: Person, public_id: str) -> Offset:
    if not policy.may_net(person):
        raise Http404
    return get_public_or_404(_offsets(person, netting(person=person)["rows"]), public_id)
