"""Goods or services, per category: cited where a source says so, marked as Kizuna's
interpretation where none does, changed by an administrator in the audited back office."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, RequestFactory
from django.utils import translation

from kizuna.acsa.admin import CategoryAdmin
from kizuna.acsa.models import Category
from kizuna.core.admin import site
from kizuna.core.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


def test_every_kind_is_cited_or_marked_as_an_interpretation(
    client: Client, make_person: Callable
) -> None:
    client.force_login(make_person("anyone", role="coordinator"))
    rows = {row["code"]: row for row in client.get("/api/acsa/categories").json()}
    assert rows["medical"]["kind"] == "services"
    assert "2350" in rows["medical"]["kind_source"]
    assert rows["medical"]["kind_interpretation"] is False
    assert rows["petroleum"]["kind_interpretation"] is True
    assert rows["petroleum"]["kind_source"] is None
    for row in rows.values():
        assert row["kind_source"] or row["kind_interpretation"]


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "interpretation, not from the agreement's text"), ("ja", "協定の本文によらない解釈")],
)
def test_the_command_line_marks_an_interpretation_in_the_operators_language(
    language: str, words: str
) -> None:
    out = io.StringIO()
    call_command("acsa", "categories", "--lang", language, stdout=out)
    lines = {line.split()[0]: line for line in out.getvalue().splitlines()}
    assert words in lines["petroleum"]
    assert words not in lines["medical"]
    out = io.StringIO()
    call_command("acsa", "categories", "--json", stdout=out)
    assert {"kind_source", "kind_interpretation"} <= json.loads(out.getvalue())[0].keys()


def test_an_administrator_changes_a_kind_audited(make_person: Callable) -> None:
    admin_person = make_person("admin", role=Role.ADMINISTRATOR)
    request = RequestFactory().post("/admin/acsa/category/")
    request.user = admin_person
    model_admin = CategoryAdmin(Category, site)
    communications = Category.objects.get(code="communications")
    assert communications.kind_source == ""
    with translation.override("en"):
        assert communications.kind_note == "interpretation, not from the agreement's text"
    form_class = model_admin.get_form(request, communications)
    data = {
        field: getattr(communications, field)
        for field in form_class.base_fields
        if field not in ("kind", "kind_source")
    }
    form = form_class(
        data={
            **{k: ("" if v is None else v) for k, v in data.items()},
            "kind": Category.Kind.SERVICES,
            "kind_source": "10 U.S.C. § 2350(1): “communications services”",
        },
        instance=communications,
    )
    assert form.is_valid(), form.errors
    with transaction.atomic():  # as the admin's change view runs it
        model_admin.save_model(request, form.save(commit=False), form, change=True)
        model_admin.save_related(request, form, [], change=True)
    event = AuditEvent.objects.filter(action="admin.change").latest("id")
    assert (event.before["kind"], event.after["kind"]) == ("both", "services")
    assert Category.objects.get(code="communications").kind_note.startswith("10 U.S.C.")
