"""Attachments go to file storage in chunks and come back streamed: a 10 MB file never sits
whole in the process's memory, its checksum is Kizuna's own, and a hidden item's file
answers exactly like a missing one."""

from __future__ import annotations

import hashlib
import re
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from kizuna.core import bounds
from kizuna.core.models import Person
from kizuna.core.public_ids import new_public_id
from kizuna.sharing import services
from kizuna.sharing.models import Attachment, SharedItem

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@contextmanager
def allocation_peak() -> Iterator[list[int]]:
    """The most memory Python allocated at once inside the block, beyond what it held before."""
    peak: list[int] = []
    tracemalloc.start()
    try:
        yield peak
    finally:
        peak.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()


def _stored_files() -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def _upload(client: Client, item: SharedItem, tmp_path: Path, data: bytes) -> tuple[int, list[int]]:
    """POST the multipart form read from a file on disk, as a server reads a socket: the
    request's own body is not in memory either, so the peak is the application's."""
    body = tmp_path / "body"
    body.write_bytes(encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("survey.bin", data)}))
    with body.open("rb") as stream:
        environ = client._base_environ(  # type: ignore[attr-defined]
            PATH_INFO=f"/sharing/{item.public_id}/attachments/",
            REQUEST_METHOD="POST",
            CONTENT_TYPE=MULTIPART_CONTENT,
            CONTENT_LENGTH=str(body.stat().st_size),
            **{"wsgi.input": stream},
        )
        with allocation_peak() as peak:
            response = client.handler(environ)
    return response.status_code, peak


def test_a_ten_mb_attachment_streams_in_and_out(
    client: Client, jp_info: Person, share: Callable, tmp_path: Path
) -> None:
    item = share(jp_info)
    data = bytes(range(256)) * (bounds.MAX_ATTACHMENT_BYTES // 256)
    expected = hashlib.sha256(data).hexdigest()
    client.force_login(jp_info)
    # A first, small file loads what any first request loads (code, catalogues, templates).
    assert _upload(client, item, tmp_path, b"warm-up")[0] == 302
    small = Attachment.objects.get(item=item)
    warm = client.get(f"/sharing/{item.public_id}/attachments/{small.public_id}/")
    assert b"".join(warm.streaming_content) == b"warm-up"  # type: ignore[attr-defined]
    status, upload_peak = _upload(client, item, tmp_path, data)
    assert status == 302
    attachment = Attachment.objects.exclude(pk=small.pk).get(item=item)
    assert (attachment.size, attachment.sha256) == (len(data), expected)
    assert Path(attachment.file.path).read_bytes() == data  # in storage, not in the row
    with allocation_peak() as download_peak:
        response = client.get(f"/sharing/{item.public_id}/attachments/{attachment.public_id}/")
        assert response.streaming
        received = hashlib.sha256()
        for chunk in response.streaming_content:  # type: ignore[attr-defined]
            received.update(chunk)  # the test client closes the file after the last chunk
    assert received.hexdigest() == expected
    assert response["Content-Length"] == str(len(data))
    # A file held whole would take 10 MB; chunks and the page's own work take far less.
    assert upload_peak[0] < 3 * MB, upload_peak
    assert download_peak[0] < 3 * MB, download_peak


def test_a_file_over_the_limit_is_refused_beside_the_field_and_nothing_is_kept(
    client: Client, jp_info: Person, share: Callable, tmp_path: Path
) -> None:
    item = share(jp_info)
    before = _stored_files()
    client.force_login(jp_info)
    too_large = SimpleUploadedFile("big.bin", b"x" * (bounds.MAX_ATTACHMENT_BYTES + 1))
    response = client.post(f"/sharing/{item.public_id}/attachments/", {"file": too_large})
    assert response.status_code == 422
    page = response.content.decode()
    assert "ファイルが10MBを超えています。" in page  # beside the field, in the reader's language
    assert page.index('name="file"') < page.index("ファイルが10MBを超えています。")
    assert not Attachment.objects.exists()
    assert _stored_files() == before


def test_a_wrong_checksum_from_the_api_leaves_no_file(jp_info: Person, share: Callable) -> None:
    item = share(jp_info)
    before = _stored_files()
    with pytest.raises(ValidationError, match="sha256"):
        services.attachment_add(
            person=jp_info, item=item, name="r.txt", content_type="", data=b"r", sha256="0" * 64
        )
    assert _stored_files() == before


def _as_any(page: bytes) -> bytes:
    """The page without its CSRF tokens and the ids in the path it returns to."""
    return re.sub(rb"\d", b"", re.sub(rb"[A-Za-z0-9]{64}", b"<token>", page))


def test_a_hidden_items_attachment_answers_like_a_missing_one(
    client: Client, jp_info: Person, us_info: Person, share: Callable
) -> None:
    hidden = share(jp_info, releasable_to=("national_only",))
    attachment = services.attachment_add(
        person=jp_info, item=hidden, name="n.txt", content_type="text/plain", data=b"national"
    )
    client.force_login(us_info)
    seen = client.get(f"/sharing/{hidden.public_id}/attachments/{attachment.public_id}/")
    missing = client.get(f"/sharing/{new_public_id()}/attachments/{new_public_id()}/")
    assert seen.status_code == missing.status_code == 404
    assert _as_any(seen.content) == _as_any(missing.content)
    assert b"national" not in seen.content
    client.force_login(jp_info)
    own = client.get(f"/sharing/{hidden.public_id}/attachments/{attachment.public_id}/")
    assert b"".join(own.streaming_content) == b"national"  # type: ignore[attr-defined]
