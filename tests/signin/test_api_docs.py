"""/api/docs for signed-in people only, from the site's own files, under the policy."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_docs_page_sends_anyone_else_to_sign_in(client: Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/api/docs"


def test_the_docs_page_uses_only_the_sites_own_files(client: Client, make_person: Callable) -> None:
    client.force_login(make_person("hanako", role="coordinator"))
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.content.decode()
    references = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("swagger-ui-bundle" in r for r in references)
    for reference in references:
        # Relative to this site: no scheme, no other host, no protocol-relative //host.
        assert reference.startswith("/"), reference
        assert not reference.startswith("//"), reference
        assert client.get(reference).status_code == 200, reference
    assert "http://" not in page
    assert "https://" not in page
    assert '"validatorUrl": null' in page
