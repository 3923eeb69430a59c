"""Deployment headers: the CSP on every kind of page, and what KIZUNA_HTTPS turns on, read
from the environment by the settings module exactly as a server starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from kizuna.core.models import Organization, Role

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def _policy(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";"))  # type: ignore[misc]


def _assert_hardened(response: object, path: str) -> None:
    assert _policy(response["Content-Security-Policy"]) == POLICY, path  # type: ignore[index]
    assert response["X-Content-Type-Options"] == "nosniff", path  # type: ignore[index]
    assert response["Referrer-Policy"] == "same-origin", path  # type: ignore[index]
    assert response["X-Frame-Options"] == "DENY", path  # type: ignore[index]
    assert "Strict-Transport-Security" not in response, path  # only under KIZUNA_HTTPS


def test_every_kind_of_page_carries_the_policy(client: Client, make_person: Callable) -> None:
    admin = make_person("admin", role=Role.ADMINISTRATOR, org="mod")
    organization = Organization.objects.get(code="mod")
    _assert_hardened(client.get("/login/"), "/login/")
    _assert_hardened(client.get("/api/openapi.json"), "401")
    _assert_hardened(client.get("/no/such/page/"), "404")
    client.force_login(admin)
    for path in (
        "/",
        "/settings/",
        "/api/docs",
        "/api/openapi.json",
        "/admin/",
        "/admin/core/organization/",
        f"/admin/core/organization/{organization.pk}/change/",
        "/acsa/",
        "/coordination/",
        "/sharing/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_hardened(response, path)


def test_no_page_template_holds_inline_script_or_style() -> None:
    """What the policy would refuse in a browser: an inline script, handler or style."""
    src = Path(__file__).resolve().parents[2] / "src" / "kizuna"
    offenders = []
    for template in src.rglob("templates/**/*.html"):
        text = template.read_text()
        for needle in ("<script>", "<style", " style=", " onclick=", " onload=", "javascript:"):
            if needle in text:
                offenders.append(f"{template.relative_to(src)}: {needle.strip()}")
        text_scripts = text.count("<script") - text.count("<script src=")
        if text_scripts:
            offenders.append(f"{template.relative_to(src)}: inline <script>")
    assert offenders == []


_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
http = Client().get("/login/")
https = Client().get("/login/", secure=True)
proxied = Client().get("/login/", HTTP_X_FORWARDED_PROTO="https")
probe = Client().get("/healthz")
language = Client().post("/language/", {"language": "en", "next": "/login/"}, secure=True)
print(json.dumps({
    "http": [http.status_code, http.get("Location")],
    "hsts": https.get("Strict-Transport-Security"),
    "csrf_secure": bool(https.cookies["csrftoken"]["secure"]),
    "language_secure": bool(language.cookies["kizuna_language"]["secure"]),
    "proxied": proxied.status_code,
    "healthz": probe.status_code,
    "session_secure": settings.SESSION_COOKIE_SECURE,
}))
"""


def _probe(tmp_path: Path, **env: str) -> dict[str, object]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("KIZUNA_") and key != "DJANGO_SETTINGS_MODULE"
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="kizuna.settings",
        KIZUNA_DATA_DIR=str(tmp_path),
        KIZUNA_ALLOWED_HOSTS="testserver",
        KIZUNA_SECRET_KEY="probe",
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", _PROBE], env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_kizuna_https_turns_on_redirect_hsts_secure_cookies_and_the_proxy_header(
    tmp_path: Path,
) -> None:
    probe = _probe(tmp_path, KIZUNA_HTTPS="1")
    assert probe["http"] == [301, "https://testserver/login/"]
    assert probe["hsts"] == "max-age=31536000"
    assert probe["csrf_secure"] is True
    assert probe["language_secure"] is True
    assert probe["session_secure"] is True
    assert probe["proxied"] == 200  # the proxy said https: no redirect loop
    assert probe["healthz"] != 301  # the load balancer's probe stays on plain HTTP


def test_without_kizuna_https_nothing_of_it_is_on(tmp_path: Path) -> None:
    probe = _probe(tmp_path)
    assert probe["http"] == [200, None]
    assert probe["hsts"] is None
    assert probe["csrf_secure"] is False
    assert probe["language_secure"] is False
    assert probe["session_secure"] is False


def test_the_old_secure_cookies_setting_still_marks_cookies_only(tmp_path: Path) -> None:
    probe = _probe(tmp_path, KIZUNA_SECURE_COOKIES="1", KIZUNA_HSTS_SECONDS="600")
    assert probe["http"] == [200, None]
    assert probe["hsts"] is None
    assert probe["csrf_secure"] is True
    assert probe["session_secure"] is True


def test_the_hsts_age_and_subdomains_are_settings(tmp_path: Path) -> None:
    probe = _probe(
        tmp_path, KIZUNA_HTTPS="1", KIZUNA_HSTS_SECONDS="600", KIZUNA_HSTS_SUBDOMAINS="1"
    )
    assert probe["hsts"] == "max-age=600; includeSubDomains"
