"""Uploaded files: type by content, size limits, content addressing, nothing kept on refusal."""
import hashlib
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.errors import InvalidInput
from services.file_store import LocalFileStore, accept, clean_name

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


def docx_bytes():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    return buf.getvalue()


def files_in(root):
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("content, media_type", [
    (JPEG, "image/jpeg"), (PNG, "image/png"), (PDF, "application/pdf"),
    (docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_an_allowed_file_is_kept_under_its_sha256(tmp_path, content, media_type):
    store = LocalFileStore(tmp_path)
    stored = accept(io.BytesIO(content), "site/photo 1.bin", store)
    digest = hashlib.sha256(content).hexdigest()
    assert (stored.sha256, stored.size, stored.media_type, stored.name) == (
        digest, len(content), media_type, "photo 1.bin")
    assert files_in(tmp_path) == [tmp_path / digest[:2] / digest[2:4] / digest]
    with store.open(digest) as f:
        assert f.read() == content


@pytest.mark.parametrize("content, name, code", [
    (b"", "empty.jpg", "file_empty"),
    (ELF, "photo.jpg", "file_type"),          # a renamed executable
    (WINDOWS_EXE, "scan.pdf", "file_type"),
    (b"just some text, not a document", "notes.docx", "file_type"),
    (b"<html><script>alert(1)</script></html>", "page.png", "file_type"),
])
def test_a_bad_file_is_refused_and_nothing_kept(tmp_path, content, name, code):
    with pytest.raises(InvalidInput) as err:
        accept(io.BytesIO(content), name, LocalFileStore(tmp_path))
    assert err.value.code == code
    assert files_in(tmp_path) == []


def test_a_file_over_the_limit_is_refused_and_nothing_kept(tmp_path):
    content = JPEG + b"\x00" * (3 * 1024 * 1024)
    with pytest.raises(InvalidInput) as err:
        accept(io.BytesIO(content), "big.jpg", LocalFileStore(tmp_path), max_bytes=2 * 1024 * 1024)
    assert (err.value.code, err.value.params) == ("file_too_large", {"max_mb": 2})
    assert files_in(tmp_path) == []


def test_exactly_the_limit_is_accepted(tmp_path):
    content = JPEG + b"\x00" * (1024 * 1024 - len(JPEG))
    assert accept(io.BytesIO(content), "a.jpg", LocalFileStore(tmp_path),
                  max_bytes=1024 * 1024).size == 1024 * 1024


def test_the_same_content_is_kept_once(tmp_path):
    store = LocalFileStore(tmp_path)
    first = accept(io.BytesIO(PDF), "a.pdf", store)
    second = accept(io.BytesIO(PDF), "b.pdf", store)
    assert first.sha256 == second.sha256 and (first.name, second.name) == ("a.pdf", "b.pdf")
    assert len(files_in(tmp_path)) == 1


def test_a_store_opens_only_content_addresses(tmp_path):
    store = LocalFileStore(tmp_path)
    for bad in ("../../etc/passwd", "A" * 64, "0" * 63):
        with pytest.raises(FileNotFoundError):
            store.open(bad)
    assert not store.exists("0" * 64)


@pytest.mark.parametrize("name, cleaned", [
    ("C:\\Users\\wang\\照片 1.jpg", "照片 1.jpg"), ("../../x.pdf", "x.pdf"),
    ("a\x00b\r\n.pdf", "ab.pdf"), ("", "file"), (None, "file"), (".hidden", "hidden"),
])
def test_file_names_are_cleaned(name, cleaned):
    assert clean_name(name) == cleaned


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2048), st.text(max_size=300))
def test_any_upload_is_either_kept_intact_or_refused_leaving_nothing(tmp_path_factory, body, name):
    root = tmp_path_factory.mktemp("store")
    store = LocalFileStore(root)
    for content in (body, JPEG + body):
        try:
            stored = accept(io.BytesIO(content), name, store)
        except InvalidInput as err:
            assert err.code in ("file_empty", "file_type")
            continue
        with store.open(stored.sha256) as f:
            assert f.read() == content
        assert len(stored.name) <= 200 and "/" not in stored.name
    assert all(p.name[:1] != "." for p in files_in(root))  # no temporary file left behind
