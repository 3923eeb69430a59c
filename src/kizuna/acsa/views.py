"""ACSA pages: the eligibility checker and overdue list, orders, their timeline and steps."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from kizuna.core import bounds, exports, formats, places
from kizuna.core import selectors as core_selectors
from kizuna.core.forms import put_errors
from kizuna.core.models import Person
from kizuna.core.navigation import guarded_by
from kizuna.core.paging import keyset_page
from kizuna.core.selectors import zones_for

from . import charts, documents, policy, rules, selectors, services
from .forms import DeliveryForm, OrderForm, SettleForm
from .models import Order


@login_required
@guarded_by(policy.may_use_acsa)
def index(request: HttpRequest) -> HttpResponse:
    person = policy.acsa_person(request)
    return render(
        request,
        "acsa/index.html",
        {
            "overdue": selectors.overdue_deliveries(person=person)[:50],
            "balances": selectors.outstanding_by(person=person),
            "balance_charts": charts.balances_views(selectors.balance_series(person=person)),
            "situations": selectors.situation_rows(),
            "categories": selectors.category_rows(),
        },
    )


def home_panel(request: HttpRequest) -> str | None:
    """The overdue list on each person's first page: nothing owed goes unseen."""
    person = request.user
    if not isinstance(person, Person) or not policy.may_use_acsa(person):
        return None
    context = {
        "waiting": selectors.waiting_for(person=person),
        "overdue": selectors.overdue_deliveries(person=person)[:20],
        "due_soon_days": selectors.DUE_SOON_DAYS,
    }
    return render_to_string("acsa/_home.html", context, request=request)


@login_required
def check(request: HttpRequest) -> HttpResponse:
    """The live eligibility answer, as an HTMX fragment, for the checker and the order form."""
    policy.acsa_person(request)
    situation = request.GET.get("situation") or request.GET.get("situation_type") or ""
    category = request.GET.get("category", "")
    answer, error = None, ""
    try:
        on = date.fromisoformat(request.GET.get("on") or request.GET.get("delivery_date") or "")
    except ValueError:
        on = None
    on_order_form = "delivery_date" in request.GET
    if on_order_form and on is not None and (problem := bounds.moment_problem("delivery", on)):
        # Said while the order is filled in, in the words its refusal would use.
        return render(request, "acsa/_answer.html", {"answer": None, "error": problem})
    if situation and category:
        try:
            answer = rules.check(situation, category, on, _supplier(request))
        except ValidationError as invalid:
            error = " ".join(invalid.messages)
    return render(request, "acsa/_answer.html", {"answer": answer, "error": error})


def _supplier(request: HttpRequest) -> str | None:
    """The supplying side asked about: `from` (JPN or USA), or on the order form the nation
    of the supplying unit chosen."""
    unit = request.GET.get("supplying_org", "")
    if unit.isdigit():
        return selectors.nation_of(int(unit))
    return rules.supplier(request.GET.get("from"))


@login_required
@guarded_by(policy.may_use_acsa)
def order_list(request: HttpRequest) -> HttpResponse:
    person = policy.acsa_person(request)
    status, situation = request.GET.get("status", ""), request.GET.get("situation", "")
    awaiting = request.GET.get("awaiting", "")
    orders = selectors.order_list(
        person=person, status=status, situation=situation, awaiting=awaiting
    )
    return render(
        request,
        "acsa/order_list.html",
        {
            "pager": keyset_page(orders, request.GET, reader=person.pk),
            "statuses": Order.Status.choices,
            "situations": selectors.situation_rows(),
            "status": status,
            "situation": situation,
            "awaiting": awaiting if awaiting in selectors.AWAITING else "",
        },
    )


@login_required
@guarded_by(policy.may_order)
def order_new(request: HttpRequest) -> HttpResponse:
    person = policy.acsa_person(request)
    form = OrderForm(request.POST or None, initial={"idempotency_key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = services.order_create(
                actor=person,
                supplying_org=data["supplying_org"],
                receiving_org=data["receiving_org"],
                situation_type=data["situation_type"],
                legal_basis=data["legal_basis"],
                currency=data["currency"].upper(),
                settlement_method=data["settlement_method"],
                lines=[form.line()],
                marking=form.chosen_marking(),
                idempotency_key=data["idempotency_key"],
            )
        except (ValidationError, PermissionDenied) as error:
            put_errors(form, error)
        else:
            return redirect("acsa:order", pk=order.public_id)
    return render(request, "acsa/order_form.html", {"form": form})


def _order_context(
    person: Person, order: Order, refused: tuple[str, int, Form] | None = None
) -> dict[str, Any]:
    """The order's page. Each line carries its delivery form and each delivery its settle
    form (ids of their own: one page holds many), filled with what is due; the one just
    refused, `refused` = (what, the line's or delivery's key, its bound form), in its place
    with its errors beside its fields and what was typed."""
    what, key, bound = refused or ("", 0, None)
    today = places.today()

    def form(kind: str, pk: int, public_id: str, make: type[Form], **initial: Any) -> Form:
        if kind == what and pk == key and bound is not None:
            return bound
        return make(auto_id=f"{kind}-{public_id}-%s", initial=initial)

    lines = [
        (
            line,
            form(
                "deliver",
                line.pk,
                line.public_id,
                DeliveryForm,
                quantity=line.quantity_remaining,
                delivered_on=today,
            ),
            [
                (
                    delivery,
                    form(
                        "settle",
                        delivery.pk,
                        delivery.public_id,
                        SettleForm,
                        amount=delivery.outstanding,
                        settled_on=today,
                    ),
                    bound if what == "receipt" and key == delivery.pk else None,
                )
                for delivery in line.deliveries.all()
            ],
        )
        for line in selectors.order_lines(order)
    ]
    return {
        "order": order,
        "marking": selectors.marking_label(order),
        "lines": lines,
        "timeline": selectors.order_timeline(order),
        "missing": selectors.missing(order),
        "steps": policy.next_steps(order, person),
        "steps_form": bound if what == "step" else None,
        "powers": policy.delivery_powers(order, person),
        "reader_zones": zones_for(person),
        "claim_notices": selectors.claim_notices_of(order),
        "cap_warnings": (
            selectors.cap_warnings(order, person) if order.status == Order.Status.REQUESTED else []
        ),
    }


@login_required
def order_detail(request: HttpRequest, pk: str) -> HttpResponse:
    person = policy.acsa_person(request)
    order = selectors.order_get(person=person, public_id=pk)
    return render(request, "acsa/order_detail.html", _order_context(person, order))


def _order_write(
    request: HttpRequest,
    order: Order,
    form: Form,
    write: Callable[[], object],
    refused: tuple[str, int, str],
) -> HttpResponse:
    """A step of the order's life from its page, through the service the API uses. Done,
    the page again as it now stands (from HTMX, htmx goes there). Refused, nothing is
    written and the page shows again with the refusal beside the field it names, or above
    the step's button, and what was typed (422); from HTMX, the card the form is in (200,
    as htmx swaps only successful answers). `refused`: what the form is, whose, its card."""
    if form.is_valid():
        try:
            write()
        except services.Conflict as error:
            form.add_error(None, str(error) or _("This step was refused."))
        except (ValidationError, PermissionDenied) as error:
            put_errors(form, error)
        else:
            target = reverse("acsa:order", args=[order.public_id])
            if request.htmx:  # type: ignore[attr-defined]
                return HttpResponseClientRedirect(target)
            return redirect(target)
    what, key, card = refused
    person = policy.acsa_person(request)
    order = selectors.order_get(person=person, public_id=order.public_id)
    context = _order_context(person, order, (what, key, form))
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, card, context)
    return render(request, "acsa/order_detail.html", context, status=422)


@login_required
@require_POST
def order_step(request: HttpRequest, pk: str, step: str) -> HttpResponse:
    person = policy.acsa_person(request)
    order = selectors.order_get(person=person, public_id=pk)
    if step not in services.SIGNATURE_STEPS:
        raise Http404
    return _order_write(
        request,
        order,
        Form({}),
        lambda: services.SIGNATURE_STEPS[step](
            order=order, actor=person, version=_version(request)
        ),
        ("step", 0, "acsa/_order_steps.html"),
    )


def _filtered_orders(request: HttpRequest) -> QuerySet[Order]:
    return selectors.order_list(
        person=policy.acsa_person(request),
        status=request.GET.get("status", ""),
        situation=request.GET.get("situation", ""),
        awaiting=request.GET.get("awaiting", ""),
    )


@login_required
def order_export(request: HttpRequest) -> StreamingHttpResponse:
    """Every visible order as CSV, streamed row by row."""
    orders = _filtered_orders(request)
    # In demo mode a last column says which orders are made up (core's Provenance).
    made_up = core_selectors.illustrative_ids(Order) if settings.DEMO_MODE else None
    extra = ["provenance"] if made_up is not None else []

    def rows() -> Iterator[list[Any]]:
        yield [*documents.EXPORT_COLUMNS, *extra]
        for order in orders.iterator(chunk_size=500):
            row = list(documents.order_row(order))
            if made_up is not None:
                row.append("illustrative" if str(order.pk) in made_up else "seed")
            yield row

    return exports.csv_response("acsa-orders.csv", rows())


@login_required
def order_export_xlsx(request: HttpRequest) -> FileResponse:
    """Every visible order as XLSX, written through a spooled file and streamed out."""
    orders = _filtered_orders(request)
    return exports.xlsx_response(
        "acsa-orders.xlsx",
        lambda into: documents.orders_xlsx(orders.iterator(chunk_size=500), into),
    )


@login_required
def order_pdf(request: HttpRequest, pk: str) -> HttpResponse:
    order = selectors.order_get(person=policy.acsa_person(request), public_id=pk)
    response = HttpResponse(documents.order_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{order.number}.pdf"'
    return response


@login_required
def claim_notice_pdf(request: HttpRequest, pk: str) -> HttpResponse:
    notice = selectors.claim_notice_get(person=policy.acsa_person(request), public_id=pk)
    response = HttpResponse(documents.claim_notice_pdf(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="claim-notice-{notice.reference}.pdf"'
    return response


@login_required
def balances_chart(request: HttpRequest) -> HttpResponse:
    """One currency's balances over time (`?currency=JPY`), drawn for the reader."""
    person = policy.acsa_person(request)
    currency = request.GET.get("currency", "")
    if not formats.is_currency(currency):
        raise Http404
    series = selectors.balance_series(person=person)
    svg = charts.balances_svg(series, currency, zones_for(person)[0])
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@guarded_by(policy.may_net)
def netting(request: HttpRequest) -> HttpResponse:
    person = policy.acsa_person(request)
    return render(request, "acsa/netting.html", selectors.netting(person=person))


@login_required
@require_POST
def netting_propose(request: HttpRequest) -> HttpResponse:
    person = policy.acsa_person(request)
    selectors.netting(person=person)  # the same gate as the page
    try:
        services.offset_propose(actor=person, currency=request.POST.get("currency", ""))
    except (ValidationError, PermissionDenied) as error:
        return _netting_refused(request, error)
    return redirect("acsa:netting")


@login_required
@require_POST
def netting_approve(request: HttpRequest, pk: str) -> HttpResponse:
    person = policy.acsa_person(request)
    offset = selectors.offset_get(person=person, public_id=pk)
    try:
        services.offset_approve(actor=person, offset=offset)
    except (ValidationError, PermissionDenied) as error:
        return _netting_refused(request, error)
    return redirect("acsa:netting")


def _netting_refused(
    request: HttpRequest, error: ValidationError | PermissionDenied
) -> HttpResponse:
    """The offsets page again (422) with why, above its tables: its buttons take no field."""
    form = Form({})
    put_errors(form, error)
    context = selectors.netting(person=policy.acsa_person(request)) | {"netting_form": form}
    return render(request, "acsa/netting.html", context, status=422)


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


@login_required
@require_POST
def delivery_new(request: HttpRequest, pk: str, line_id: str) -> HttpResponse:
    person = policy.acsa_person(request)
    order = selectors.order_get(person=person, public_id=pk)
    line = selectors.order_line_get(order=order, public_id=line_id)
    form = DeliveryForm(request.POST, request.FILES, auto_id=f"deliver-{line.public_id}-%s")

    def record() -> object:
        return services.delivery_record(
            order=order,
            line=line,
            actor=person,
            quantity=form.cleaned_data["quantity"],
            delivered_on=form.cleaned_data["delivered_on"],
            documents=[
                services.Document(f.name or "document", f.read())
                for f in form.cleaned_data["documents"]
            ],
            version=_version(request),
        )

    return _order_write(request, order, form, record, ("deliver", line.pk, LINES_CARD))


@login_required
@require_POST
def delivery_receipt(request: HttpRequest, pk: str, delivery_id: str) -> HttpResponse:
    person = policy.acsa_person(request)
    order = selectors.order_get(person=person, public_id=pk)
    delivery = selectors.delivery_get(order=order, public_id=delivery_id)
    return _order_write(
        request,
        order,
        Form({}),
        lambda: services.receipt_sign(
            order=order, delivery=delivery, actor=person, version=_version(request)
        ),
        ("receipt", delivery.pk, LINES_CARD),
    )


@login_required
@require_POST
def delivery_settle(request: HttpRequest, pk: str, delivery_id: str) -> HttpResponse:
    person = policy.acsa_person(request)
    order = selectors.order_get(person=person, public_id=pk)
    delivery = selectors.delivery_get(order=order, public_id=delivery_id)
    form = SettleForm(request.POST, auto_id=f"settle-{delivery.public_id}-%s")

    def settle() -> object:
        data = form.cleaned_data
        return services.settlement_record(
            order=order,
            delivery=delivery,
            actor=person,
            method=data["method"],
            amount=data["amount"],
            currency=order.currency,
            settled_on=data["settled_on"],
            quantity=data["quantity"],
            version=_version(request),
        )

    return _order_write(request, order, form, settle, ("settle", delivery.pk, LINES_CARD))


LINES_CARD = "acsa/_order_lines.html"
