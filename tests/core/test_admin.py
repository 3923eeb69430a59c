from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from kizuna.core.audit import verify_chain
from kizuna.core.models import AuditEvent, Organization, Role

pytestmark = pytest.mark.django_db


def test_an_administrator_edits_an_organization_and_the_change_is_audited(
    client: Client, make_person: Callable
) -> None:
    admin = make_person("admin", role=Role.ADMINISTRATOR, org="mod")
    organization = Organization.objects.get(code="mod")
    client.force_login(admin)
    response = client.post(
        f"/admin/core/organization/{organization.pk}/change/",
        {
            "code": "mod",
            "name_ja": "防衛省",
            "name_en": "Ministry of Defense",
            "short_name": "MOD",
            "nation": "JPN",
            "kind": "ministry",
            "parent": "",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.change")
    assert event.actor == admin
    assert event.before["name_en"] == "mod unit"
    assert event.after["name_en"] == "Ministry of Defense"
    assert verify_chain().intact


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMINISTRATOR])
def test_other_roles_are_kept_out_of_administration(
    client: Client, make_person: Callable, role: str
) -> None:
    client.force_login(make_person(f"p-{role}", role=role))
    response = client.get("/admin/core/organization/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_audit_chain_cannot_be_edited_from_administration(
    client: Client, make_person: Callable
) -> None:
    client.force_login(make_person("admin", role=Role.ADMINISTRATOR))
    assert client.get("/admin/core/auditevent/add/").status_code == 403
