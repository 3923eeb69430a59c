from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from kizuna.core.health import SILENT_AFTER, beat
from kizuna.core.models import Person

PASSWORD = "correct horse battery staple"
pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str = PASSWORD, **extra: str) -> object:
    return client.post(reverse("core:login"), {"username": username, "password": password}, **extra)


def test_sign_in_shows_home_with_three_zones(client: Client, make_person: Callable) -> None:
    make_person("hanako", role="coordinator")
    response = _login(client, "hanako")
    assert response.status_code == 302
    page = client.get(reverse("core:home")).content.decode()
    for zone in ("Asia/Tokyo", "America/Los_Angeles", "Pacific/Honolulu"):
        assert f'data-zone="{zone}"' in page
    assert "調整官" in page  # the coordinator role, in Japanese by default
    assert "jpn-unit（部隊）" in page  # the person's organization in the header


def test_wrong_password_and_unknown_user_get_the_same_message(
    client: Client, make_person: Callable
) -> None:
    make_person("hanako")
    wrong_password = _login(client, "hanako", "not the password").content.decode()
    unknown_user = _login(client, "nobody-here", "not the password").content.decode()
    message = "ユーザー名またはパスワードが正しくありません。"
    assert message in wrong_password
    assert message in unknown_user
    assert "_auth_user_id" not in client.session


def test_pages_need_a_session(client: Client) -> None:
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_an_expired_session_sends_the_person_back_to_sign_in(
    client: Client, make_person: Callable
) -> None:
    make_person("hanako")
    _login(client, "hanako")
    assert client.get(reverse("core:home")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=9)):
        response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_sign_out_ends_the_session(client: Client, make_person: Callable) -> None:
    make_person("hanako")
    _login(client, "hanako")
    client.post(reverse("core:logout"))
    assert client.get(reverse("core:home")).status_code == 302


@pytest.mark.parametrize("demo_mode", [False, True])
def test_demo_people_sign_in_only_in_demo_mode(client: Client, demo_mode: bool) -> None:
    person = Person.objects.create_user(username="jp-demo", password=PASSWORD, is_demo=True)
    with override_settings(DEMO_MODE=demo_mode):
        _login(client, person.username)
        assert ("_auth_user_id" in client.session) is demo_mode


def test_language_switch_is_remembered_on_the_person(client: Client, make_person: Callable) -> None:
    person = make_person("hanako", role="coordinator")
    _login(client, "hanako")
    assert "ホーム" in client.get(reverse("core:home")).content.decode()
    client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    person.refresh_from_db()
    assert person.language == "en"
    # A fresh browser (no cookie) still reads English once this person signs in.
    other = Client()
    _login(other, "hanako")
    assert "Home" in other.get(reverse("core:home")).content.decode()


def test_language_switch_refuses_an_off_site_next(client: Client) -> None:
    response = client.post(
        reverse("core:set_language"), {"language": "en", "next": "//evil.example/"}
    )
    assert response["Location"] == "/"


def test_preferences_save_zones_with_the_home_zone_first(
    client: Client, make_person: Callable
) -> None:
    person = make_person("miller", nation="USA", role="logistics_officer", language="en")
    client.force_login(person)  # with the second factor a logistics officer must prove
    response = client.post(
        reverse("core:preferences"),
        {
            "language": "en",
            "home_zone": "America/Los_Angeles",
            "other_zones": ["Asia/Tokyo", "Pacific/Honolulu", "America/Los_Angeles"],
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.time_zones == ["America/Los_Angeles", "Asia/Tokyo", "Pacific/Honolulu"]
    page = client.get(reverse("core:home")).content.decode()
    assert page.index('data-zone="America/Los_Angeles"') < page.index('data-zone="Asia/Tokyo"')


def test_preferences_refuse_an_unknown_zone_and_change_nothing(
    client: Client, make_person: Callable
) -> None:
    person = make_person("hanako", role="coordinator")
    _login(client, "hanako")
    response = client.post(
        reverse("core:preferences"), {"language": "ja", "home_zone": "Mars/Olympus_Mons"}
    )
    assert response.status_code == 200
    assert "正しく選択してください" in response.content.decode()
    person.refresh_from_db()
    assert person.time_zones[0] == "Asia/Tokyo"


def test_tokens_are_issued_and_revoked_from_settings(client: Client, make_person: Callable) -> None:
    person = make_person("hanako", role="coordinator")
    _login(client, "hanako")
    response = client.post(reverse("core:token_issue"), {"label": "ops script"})
    assert "kz_" in response.content.decode()
    token = person.api_tokens.get()
    client.post(reverse("core:token_revoke", args=[token.public_id]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_someone_elses_token_cannot_be_revoked(client: Client, make_person: Callable) -> None:
    owner = make_person("owner", role="coordinator")
    make_person("other", role="coordinator")
    token = owner.api_tokens.create(label="x", prefix="kz_x", digest="d" * 64)
    _login(client, "other")
    assert client.post(reverse("core:token_revoke", args=[token.public_id])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_unknown_page_is_a_bilingual_404_without_traceback(client: Client) -> None:
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "見つかりません" in body
    assert "Not found" in body
    assert "Traceback" not in body


def test_healthz_reports_database_migrations_and_a_silent_worker(
    client: Client, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):
        response = client.get("/healthz")
    # No worker has ever taken a task here: reported, and the web process still serves.
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": True,
        "migrations": True,
        "worker": {"alive": False, "last_seen": None},
    }


def test_healthz_reports_the_worker_alive_once_it_ran_its_heartbeat(client: Client) -> None:
    beat()
    beat()  # one waiting beat is enough
    (queued,) = DBTaskResult.objects.ready()
    queued.claim("test-worker")
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run_task(queued)
    worker = client.get("/healthz").json()["worker"]
    assert worker["alive"] is True
    assert datetime.fromisoformat(worker["last_seen"]) > timezone.now() - SILENT_AFTER
    # Three beats later, with no worker to run the next, it is reported silent.
    with time_machine.travel(timezone.now() + SILENT_AFTER + timedelta(seconds=1)):
        assert client.get("/healthz").json()["worker"]["alive"] is False


def test_healthz_is_unavailable_while_a_migration_is_not_applied(client: Client) -> None:
    MigrationRecorder(connection).record_unapplied("sharing", "0005_access_epoch")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": True,
        "migrations": False,
        "worker": {"alive": False, "last_seen": None},
    }


@pytest.mark.parametrize(
    "path",
    ["/static/kizuna/kizuna.css", "/static/kizuna/kizuna.js", "/static/vendor/htmx-2.0.10.min.js"],
)
def test_vendored_assets_are_served_by_the_app(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)  # type: ignore[attr-defined]
