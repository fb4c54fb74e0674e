"""Population import: the page and the command, all-or-nothing, idempotent."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from members.models import Population

from .conftest import client_for

pytestmark = pytest.mark.django_db

GOOD = "Kommunkod;Kommun;År;Folkmängd\n0482;Flen;2024;16 543\n0120;Värmdö;2024;47 123\n1880;Örebro;2024;160 100\n"


def upload(client, text: str, encoding="utf-8", name="folkmangd.csv"):
    file = SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")
    return client.post(reverse("members:population_import"), {"file": file, "source": "SCB 2024"})


def test_import_semicolon_cp1252_with_spaces_and_reimport_is_unchanged(staff):
    client = client_for(staff)
    response = upload(client, GOOD, encoding="cp1252")
    assert response.status_code == 302
    stored = dict(Population.objects.filter(year=2024).values_list("kommun__code", "population"))
    assert stored == {"0482": 16543, "0120": 47123, "1880": 160100}
    response = upload(client, GOOD)
    assert "0 nya, 0 ändrade, 3 oförändrade" in client.get(response["Location"]).content.decode()


def test_bad_rows_are_all_listed_and_nothing_is_stored(staff):
    bad = "kommun,år,folkmängd\nFlen,2024,16543\nAtlantis,2024,5\nVärmdö,20x4,47000\nÖrebro,2024,många\nFlen,2024,1\n"
    response = upload(client_for(staff), bad)
    body = response.content.decode()
    assert "Rad 3: okänd kommun." in body
    assert "Rad 4, år: ange ett år mellan 1950 och 2100." in body
    assert "Rad 5, folkmängd: ange ett heltal." in body
    assert "Rad 6: kommunen och året finns två gånger i filen." in body
    assert not Population.objects.exists()


def test_wrong_file_type_and_missing_columns(staff):
    client = client_for(staff)
    assert "Ladda upp en CSV-fil" in upload(client, GOOD, name="folk.exe").content.decode()
    assert "Första raden måste" in upload(client, "a;b;c\n1;2;3\n").content.decode()
    assert (
        "inte text"
        in client.post(
            reverse("members:population_import"),
            {"file": SimpleUploadedFile("x.csv", b"\x81\x8d\x8f\x90\x9d" * 10), "source": "x"},
        ).content.decode()
    )
    assert not Population.objects.exists()


def test_command_gives_the_same_result(tmp_path, staff):
    path = tmp_path / "folk.csv"
    path.write_text(GOOD, encoding="utf-8-sig")
    call_command("import_population", str(path))
    assert Population.objects.get(kommun__code="0482", year=2024).population == 16543
    path.write_text("kommunkod;år;folkmängd\n9999;2024;1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Rad 2: okänd kommun"):
        call_command("import_population", str(path))


def test_only_staff_may_import(user_a, client):
    assert upload(client_for(user_a), GOOD).status_code == 404
    assert upload(client, GOOD).status_code == 302  # anonymous: to sign-in
    assert not Population.objects.exists()
