"""The staff upload page: preview first, then confirm; the command gives the same result."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from nki import demo
from nki.models import NkiImport, NkiResult
from tests.conftest import client_for

from .conftest import csv_bytes, kolada_bytes, kolada_value, xlsx_bytes

pytestmark = pytest.mark.django_db

URL = reverse("nki:import")


def snapshot() -> list[tuple]:
    fields = ("kommun__code", "year", "area__code", "nki", "answers", "ci_low", "ci_high", "information", "source")
    return sorted(NkiResult.objects.values_list(*fields))


def preview(client, content: bytes, name: str, **extra):
    return client.post(URL, {"action": "preview", "file": SimpleUploadedFile(name, content), **extra})


def confirm(client, response):
    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', response.content.decode()).group(1)
    return client.post(URL, {"action": "confirm", "digest": digest}, follow=True)


def test_preview_stores_nothing_then_confirm_imports(staff, long_rows):
    client = client_for(staff)
    response = preview(client, xlsx_bytes(long_rows), "insikt.xlsx")

    assert response.status_code == 200
    text = response.content.decode()
    assert "Förhandsgranskning: 4 nya, 0 uppdaterade, 0 oförändrade." in text
    assert "Flen (0482)" in text and "68,4" in text
    assert not NkiResult.objects.exists()

    done = confirm(client, response)
    assert "4 nya, 0 uppdaterade, 0 oförändrade." in done.content.decode()
    assert NkiResult.objects.count() == 4
    assert NkiImport.objects.get().imported_by == staff
    assert "insikt.xlsx" in done.content.decode()  # listed under earlier imports


def test_reupload_of_the_same_file_says_no_changes_and_offers_no_confirm(staff, long_rows):
    client = client_for(staff)
    confirm(client, preview(client, xlsx_bytes(long_rows), "insikt.xlsx"))
    response = preview(client, xlsx_bytes(long_rows), "insikt.xlsx")
    text = response.content.decode()
    assert "Inga ändringar: alla 4 värden i filen finns redan." in text
    assert 'name="digest"' not in text


def test_a_bad_file_shows_every_problem_in_swedish_and_stores_nothing(staff):
    content = csv_bytes(
        [["Kommun", "År", "Område", "NKI"], ["Flenn", 2023, "Bygglov", 70.0], ["Flen", 2023, "Bygg", 170.0]]
    )
    response = preview(client_for(staff), content, "fel.csv")
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    assert "Filen importerades inte: 3 problem. Ingenting ändrades." in text
    assert re.search(r"2\s+A \(Kommun\)\s+Okänd kommun ”Flenn”.", text)
    assert re.search(r"3\s+C \(Område\)\s+Okänt myndighetsområde ”Bygg”.", text)
    assert re.search(r"3\s+D \(NKI\)\s+170,0 ligger utanför 0–100.", text) or "170.0 ligger utanför 0–100." in text
    assert 'name="digest"' not in text
    assert not NkiResult.objects.exists() and not NkiImport.objects.exists()


def test_too_large_or_fake_files_get_a_clear_message(staff, settings):
    client = client_for(staff)
    text = preview(client, b"not really excel", "nki.xlsx").content.decode()
    assert "Filen är ingen giltig Excelfil (.xlsx)." in text
    settings.UPLOAD_MAX_BYTES = 100
    text = preview(client, b"x" * 500, "nki.csv").content.decode()
    assert "Filen är större än 100 byte." in text
    assert not NkiResult.objects.exists()


def test_confirm_accepts_only_a_file_this_session_previewed(staff, admin_user, long_rows):
    response = preview(client_for(staff), xlsx_bytes(long_rows), "insikt.xlsx")
    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', response.content.decode()).group(1)
    # Another staff member's session cannot confirm it, nor can anyone confirm a made-up hash.
    other = client_for(admin_user).post(URL, {"action": "confirm", "digest": digest}, follow=True)
    assert "finns inte längre kvar" in other.content.decode()
    made_up = client_for(staff).post(URL, {"action": "confirm", "digest": "../../etc/passwd"}, follow=True)
    assert "finns inte längre kvar" in made_up.content.decode()
    assert not NkiResult.objects.exists()


def test_kommun_users_cannot_upload(user_a, long_rows):
    response = preview(client_for(user_a), xlsx_bytes(long_rows), "insikt.xlsx")
    assert response.status_code == 404
    assert not NkiResult.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "extra"),
    [
        ("insikt.xlsx", None, {}),
        ("nki.csv", csv_bytes([["Kommunkod", "År", "Bygglov", "Serveringstillstånd"], ["0482", 2022, 64.5, 81.0]]), {}),
        ("kolada.json", kolada_bytes([kolada_value("U07451", "0120", 2021, 73.9)]), {}),
        (
            "bygglov.csv",
            csv_bytes([["Kommun", "NKI", "Antal svar"], ["Värmdö", 66.1, 45]]),
            {"area": "bygglov", "year": 2020},
        ),
    ],
)
def test_command_and_upload_page_give_the_same_result(staff, long_rows, tmp_path, name, content, extra):
    content = content or xlsx_bytes(long_rows)
    client = client_for(staff)
    confirm(client, preview(client, content, name, **extra))
    by_page = snapshot()
    assert by_page
    NkiResult.objects.all().delete()
    NkiImport.objects.all().delete()

    path = tmp_path / name
    path.write_bytes(content)
    options = {"area": extra["area"], "year": extra["year"]} if extra else {}
    call_command("import_nki", str(path), "--dry-run", **options)
    assert not NkiResult.objects.exists()
    call_command("import_nki", str(path), **options)

    assert snapshot() == by_page
    assert NkiImport.objects.get().file_name == name


def test_command_refuses_a_bad_file_with_the_problems(tmp_path, capsys):
    path = tmp_path / "fel.csv"
    path.write_bytes(csv_bytes([["Kommun", "År", "Område", "NKI"], ["Flenn", 2023, "Bygglov", 70.0]]))
    with pytest.raises(CommandError):
        call_command("import_nki", str(path))
    assert "Flenn" in capsys.readouterr().err
    assert not NkiResult.objects.exists()


def test_demo_data_is_idempotent_and_covers_members_over_several_years(db):
    created = demo.load()
    assert created > 290 * 10 * 5
    assert demo.load() == 0
    assert NkiResult.objects.count() == created
    flen = NkiResult.objects.filter(kommun__code="0482", area__code="totalt")
    assert sorted(flen.values_list("year", flat=True)) == list(range(2016, 2026))
    assert NkiResult.objects.filter(answers__lt=7).exists() and NkiResult.objects.filter(answers__lt=10).exists()
    assert NkiResult.objects.filter(ci_low__isnull=False).exists()
    assert all(Decimal(0) <= v <= Decimal(100) for v in NkiResult.objects.values_list("nki", flat=True)[:500])


def test_abandoned_previews_are_removed_after_a_day(staff, long_rows, settings):
    import os
    import time as _time
    from pathlib import Path

    from nki import services

    old = services.nki_upload_stash(content=b"old preview")
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "nki_uploads" / old
    two_days_ago = _time.time() - 2 * 24 * 3600
    os.utime(path, (two_days_ago, two_days_ago))
    fresh = services.nki_upload_stash(content=b"fresh preview")
    assert not path.exists()
    assert services.nki_upload_fetch(digest=fresh) == b"fresh preview"
    assert services.nki_upload_fetch(digest=old) is None
