"""Bad uploads are refused with a clear message and nothing is stored; good ones are kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inquiries.models import Answer, Attachment

from ..conftest import client_for
from .helpers import EXE, PDF, PNG, docx_bytes

pytestmark = pytest.mark.django_db


def _post(user, dispatch, contact, upload):
    return client_for(user).post(
        dispatch.get_absolute_url(),
        {"decision": "interested", "offer": "Erbjudande", "contact": contact.pk, "files": upload},
    )


def _stored_files(settings) -> list:
    root = settings.PRIVATE_MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("program.exe", EXE, "program.exe är inte en tillåten filtyp."),
        ("offert.pdf", EXE, "offert.pdf är inte en riktig PDF-fil"),
        ("bild.png", PDF, "bild.png är inte en riktig PNG-fil"),
        ("karta.docx", docx_bytes(with_content_types=False), "karta.docx är inte en riktig DOCX-fil"),
        ("script.html", b"<script>alert(1)</script>", "script.html är inte en tillåten filtyp."),
        ("noext", PDF, "noext är inte en tillåten filtyp."),
    ],
)
def test_bad_upload_refused_and_nothing_stored(settings, user_a, sent, contacts, name, content, message):
    response = _post(user_a, sent["a"], contacts["a_nlc"], SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Answer.objects.exists()
    assert not Attachment.objects.exists()
    assert _stored_files(settings) == []


def test_oversized_upload_refused(settings, user_a, sent, contacts):
    settings.UPLOAD_MAX_BYTES = 1024
    response = _post(user_a, sent["a"], contacts["a_nlc"], SimpleUploadedFile("stor.pdf", PDF + b"0" * 2000))
    assert response.status_code == 200
    assert "stor.pdf är för stor" in response.content.decode()
    assert not Attachment.objects.exists() and _stored_files(settings) == []


def test_english_message_for_english_user(settings, user_a, sent, contacts):
    client = client_for(user_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        sent["a"].get_absolute_url(),
        {
            "decision": "interested",
            "offer": "Offer",
            "contact": contacts["a_nlc"].pk,
            "files": SimpleUploadedFile("offer.pdf", EXE),
        },
    )
    assert "offer.pdf is not really a PDF file" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("karta.png", PNG, "image/png"),
        ("plan.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("Offert.PDF", PDF, "application/pdf"),
    ],
)
def test_good_uploads_are_kept_outside_public_urls(settings, user_a, sent, contacts, name, content, content_type):
    response = _post(user_a, sent["a"], contacts["a_nlc"], SimpleUploadedFile(name, content))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == content_type
    [stored] = _stored_files(settings)
    assert stored.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert name.split(".")[0] not in stored.name
