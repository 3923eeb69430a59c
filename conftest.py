"""Shared fixtures: a fixed cast of people per test, and which engine and browser ran."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client


def pytest_report_header(config: pytest.Config) -> list[str]:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return [f"kizuna database engine: {engine}"]


def pytest_sessionstart(session: pytest.Session) -> None:
    """Build matplotlib's font cache once, before any test runs a `kizuna` command: a first
    build announces itself on stderr, which the command-line tests hold to be empty."""
    import matplotlib.font_manager  # noqa: F401


def pytest_terminal_summary(terminalreporter: object, exitstatus: int) -> None:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    terminalreporter.write_line(f"kizuna: this run used the {engine} engine")  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def files_in_a_temporary_directory(
    settings: object, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Stored files (attachments) go to a directory of the test run, not the data directory."""
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "files"  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def default_language() -> None:
    """Each test starts in the site's default language: a request activates its person's
    language in the thread, and a test must not read the language an earlier one left."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def second_factor_on_force_login(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`client.force_login` stands for a whole sign-in: for a person who must (or chose to)
    prove a second factor, it also proves one with a real authenticator device, recorded in
    the session exactly as the second-factor page records it (django_otp.login). Nothing in
    the application changes. Tests of the sign-in itself go through the pages, or are marked
    `password_only` to keep force_login's password-only session."""
    if request.node.get_closest_marker("password_only"):
        return
    password_only = Client.force_login

    def force_login(client: Client, user: object, backend: str | None = None) -> None:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from kizuna.signin.policy import second_factor_required

        password_only(client, user, backend)  # type: ignore[arg-type]
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None and second_factor_required(user):  # type: ignore[arg-type]
            device = TOTPDevice.objects.create(user=user, name="test suite", confirmed=True)
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def vendor() -> str:
    return connection.vendor


@pytest.fixture
def make_person(db: None) -> Callable[..., object]:
    """A person holding `role` in organization `org` (created if need be), cleared at the
    classification level coded `clearance` when one is given (marked records need one)."""
    from kizuna.core.models import Membership, Nation, Organization, Person
    from kizuna.sharing.services import clearance_grant

    def make(
        username: str,
        *,
        nation: str = "JPN",
        org: str | None = None,
        role: str | None = None,
        password: str = "correct horse battery staple",  # noqa: S107,
        language: str = "ja",
        parent: str | None = None,
        clearance: str | None = None,
    ) -> Person:
        person = Person.objects.create_user(username=username, password=password, language=language)
        if role is not None:
            code = org or f"{nation.lower()}-unit"
            organization, _ = Organization.objects.get_or_create(
                code=code,
                defaults={
                    "name_ja": f"{code}（部隊）",
                    "name_en": f"{code} unit",
                    "kind": "other",
                    "nation": Nation.objects.get(code=nation),
                    "parent": Organization.objects.get(code=parent) if parent else None,
                },
            )
            Membership.objects.create(person=person, organization=organization, role=role)
        if clearance is not None:
            clearance_grant(actor=None, person=person, level=clearance)
        return person

    return make


class _RawExecutor:
    """Stands in for a schema editor, which SQLite will not open inside a test transaction."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


@contextmanager
def append_only_suspended() -> Iterator[None]:
    """Drop the audit table's append-only triggers, as someone with database access could;
    put them back afterwards with the migration's own statements."""
    migration = importlib.import_module(
        "kizuna.core.migrations.0002_reference_nations_and_append_only_audit"
    )
    migration.drop_triggers(None, _RawExecutor())
    try:
        yield
    finally:
        migration.add_triggers(None, _RawExecutor())


@pytest.fixture
def audited_transactional_db(transactional_db: None) -> Iterator[None]:
    """transactional_db for tests that write audit events: the append-only triggers would
    refuse the flush between tests, so the events are cleared with them suspended. Mark such
    tests `django_db(transaction=True, serialized_rollback=True)` so that the reference data
    the migrations loaded is there again after each flush."""
    yield
    from kizuna.core.models import AuditEvent

    with append_only_suspended():
        AuditEvent.objects.all().delete()
