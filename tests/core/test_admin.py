from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

import pytest
from django.contrib import admin
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone

from kizuna.core.admin import AuditedAdmin, KizunaAdminSite, site
from kizuna.core.audit import verify_chain
from kizuna.core.models import AuditEvent, Membership, Nation, Organization, Person, Role
from kizuna.sharing.marking import Marking
from kizuna.sharing.models import (
    ClassificationLevel,
    Clearance,
    GlossaryTerm,
    HandlingCaveat,
    ReadEvent,
    SharedItem,
)
from kizuna.sharing.services import marking_set, resolve_marking

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


# The models the docs name as kept in the back office (docs/architecture.md, acsa.md,
# coordination.md, sharing.md, operations.md, security.md), by app label.
DOCUMENTED = {
    "core.Nation",
    "core.Organization",
    "core.Person",
    "core.ApiToken",
    "core.AuditEvent",
    "acsa.AgreementVersion",
    "acsa.Category",
    "acsa.SituationType",
    "acsa.EligibilityRule",
    "acsa.LiabilityCap",
    "coordination.Body",
    "sharing.ClassificationLevel",
    "sharing.LevelEquivalence",
    "sharing.HandlingCaveat",
    "sharing.Community",
    "sharing.GlossaryTerm",
    "sharing.Clearance",
    "sharing.MarkingSet",
    "sharing.MarkingChange",
    "sharing.ReadEvent",
    "otp_totp.TOTPDevice",
    "signin.SignedInSession",
    "axes.AccessAttempt",
    "axes.AccessFailureLog",
    "axes.AccessLog",
}


def test_every_model_the_docs_name_is_registered_in_a_fresh_process() -> None:
    """The project uses SimpleAdminConfig: nothing imports the apps' admin modules unless
    core does. A process of its own, so no test's imports can stand in for that."""
    script = (
        "import django; django.setup();"
        "from kizuna.core.admin import site;"
        "print('\\n'.join(sorted(m._meta.label for m in site._registry)))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kizuna.settings"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    registered = set(done.stdout.split())
    assert registered >= DOCUMENTED, DOCUMENTED - registered


def test_every_registration_names_its_policy_and_the_site_refuses_one_that_does_not() -> None:
    for model, model_admin in site._registry.items():
        assert isinstance(model_admin, AuditedAdmin), model
        assert callable(model_admin.scope), model
    bare = KizunaAdminSite(name="bare")

    class Forgetful(AuditedAdmin):
        list_display = ["code"]

    with pytest.raises(TypeError, match="must name its scope"):
        bare.register(Nation, Forgetful)
    with pytest.raises(TypeError, match="not an AuditedAdmin"):
        bare.register(Nation, admin.ModelAdmin)


def test_every_list_and_add_form_of_the_back_office_opens(
    client: Client, make_person: Callable
) -> None:
    administrator = make_person("admin", role=Role.ADMINISTRATOR)
    client.force_login(administrator)
    for model, model_admin in site._registry.items():
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}"
        assert client.get(f"{base}/").status_code == 200, model
        expected = 200 if model_admin.has_add_permission(_request(administrator)) else 403
        assert client.get(f"{base}/add/").status_code == expected, model


def _request(person: Person) -> HttpRequest:
    request = HttpRequest()
    request.user = person
    return request


def test_a_clearance_changed_in_the_back_office_is_audited_with_its_caveats(
    client: Client, make_person: Callable
) -> None:
    administrator = make_person("admin", role=Role.ADMINISTRATOR)
    officer = make_person("officer", role=Role.COORDINATOR, clearance="jpn-j1")
    clearance = Clearance.objects.get(person=officer)
    caveat = HandlingCaveat.objects.get(code="originator-controlled")
    client.force_login(administrator)
    response = client.post(
        f"/admin/sharing/clearance/{clearance.pk}/change/",
        {
            "person": officer.pk,
            "level": ClassificationLevel.objects.get(code="jpn-j2").pk,
            "caveats": [caveat.pk],
            "communities": [],
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.change", object_type="sharing.clearance")
    assert event.actor == administrator
    assert event.before["caveats"] == []
    assert event.after["caveats"] == [caveat.pk]
    assert event.after["level_id"] == ClassificationLevel.objects.get(code="jpn-j2").pk
    assert verify_chain().intact


def test_a_membership_added_through_a_person_is_audited(
    client: Client, make_person: Callable
) -> None:
    administrator = make_person("admin", role=Role.ADMINISTRATOR, org="mod")
    person = make_person("newcomer")
    client.force_login(administrator)
    organization = Organization.objects.get(code="mod")
    response = client.post(
        f"/admin/core/person/{person.pk}/change/",
        {
            "username": "newcomer",
            "display_name_ja": "新人",
            "display_name_en": "Newcomer",
            "language": "ja",
            "time_zones": '["Asia/Tokyo"]',
            "is_active": "on",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-organization": organization.pk,
            "memberships-0-role": Role.COORDINATOR,
            "memberships-0-position": "",
            "memberships-0-person": person.pk,
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(person=person)
    added = AuditEvent.objects.get(action="admin.add", object_type="core.membership")
    assert added.object_id == str(membership.pk)
    assert added.after["role"] == Role.COORDINATOR
    assert AuditEvent.objects.get(action="admin.change", object_type="core.person").actor == (
        administrator
    )


def test_a_deletion_from_the_list_is_audited_row_by_row(
    client: Client, make_person: Callable
) -> None:
    terms = [
        GlossaryTerm.objects.create(name_ja=f"語{n}", name_en=f"term{n}", source="test")
        for n in range(2)
    ]
    client.force_login(make_person("admin", role=Role.ADMINISTRATOR))
    response = client.post(
        "/admin/sharing/glossaryterm/",
        {"action": "delete_selected", "_selected_action": [t.pk for t in terms], "post": "yes"},
    )
    assert response.status_code == 302
    deleted = AuditEvent.objects.filter(action="admin.delete", object_type="sharing.glossaryterm")
    assert sorted(e.before["name_en"] for e in deleted) == ["term0", "term1"]
    assert not GlossaryTerm.objects.filter(pk__in=[t.pk for t in terms]).exists()
    assert verify_chain().intact


def test_a_deletion_names_no_related_record_beyond_the_administrators_clearance(
    client: Client, make_person: Callable
) -> None:
    """Django's deletion page lists every row a deletion takes or is stopped by: a person
    who wrote an item hidden from the administrator would name it. Not here, and the
    deletion is refused, as it would take hidden rows with it."""
    administrator = make_person("admin", role=Role.ADMINISTRATOR, clearance="jpn-j1", language="en")
    author = make_person("author", role=Role.INFORMATION_MANAGER, clearance="jpn-j3")
    organization = author.memberships.get().organization
    marking = marking_set(resolve_marking(Marking("jpn-j3", ("JPN",)), originator=organization))
    item = SharedItem.objects.create(
        kind=SharedItem.Kind.REPORT,
        domain="cyber",
        originator=organization,
        created_by=author,
        created_at=timezone.now(),
        original_language="en",
        title_en="hiddentitle",
        body_en="hiddenbody",
        marking=marking,
    )
    ReadEvent.objects.create(
        at=timezone.now(), person=author, item=item, action="view", channel="web"
    )
    client.force_login(administrator)
    page = client.get(f"/admin/core/person/{author.pk}/delete/").content.decode()
    assert "hiddentitle" not in page
    assert "records outside your clearance" in page
    refused = client.post(f"/admin/core/person/{author.pk}/delete/", {"post": "yes"})
    assert refused.status_code == 200
    assert Person.objects.filter(pk=author.pk).exists()
    assert not AuditEvent.objects.filter(action="admin.delete").exists()
    # An administrator cleared for it is told what stands in the way: the read audit,
    # which nobody deletes.
    cleared = make_person("cleared", role=Role.ADMINISTRATOR, clearance="jpn-j3", language="en")
    client.force_login(cleared)
    page = client.get(f"/admin/core/person/{author.pk}/delete/").content.decode()
    assert "records outside your clearance" not in page
    assert "read event" in page
