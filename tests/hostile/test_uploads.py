"""Hostile uploads at every upload endpoint: a wrong extension, a renamed executable (Windows MZ
and Linux ELF headers under a document's name), an oversized file, and a zip bomb inside an xlsx.

Each is refused with a clear message in Swedish, nothing in the database changes and no file is
kept. The zip bomb is refused from the zip's directory, before anything is unpacked (the test
would take minutes and gigabytes otherwise, and is bounded in time).
"""

from __future__ import annotations

import io
import time
import zipfile
from dataclasses import dataclass
from functools import cache

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ..conftest import client_for
from .conftest import changed, snapshot, url_patterns

pytestmark = pytest.mark.django_db

MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00"
BOMB_UNPACKED = 128 * 1024 * 1024  # unpacks 1000-fold: far beyond any real document or NKI report


@cache
def zip_bomb_xlsx() -> bytes:
    """An .xlsx whose sheet XML unpacks to 128 MB (a few hundred KB packed), built in chunks."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        chunk = b" " * (1024 * 1024)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0"?><worksheet><sheetData>')
            for _ in range(BOMB_UNPACKED // len(chunk)):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


@dataclass(frozen=True)
class Endpoint:
    persona: str
    url: object  # world → URL
    data: object  # world → form data without the file
    file_field: str
    limit: object  # settings → the size limit of this endpoint


ENDPOINTS = {
    "inquiries:dispatch": Endpoint(
        "user_a",
        lambda w: reverse("inquiries:dispatch", kwargs={"pk": w.dispatch.pk}),
        lambda w: {"decision": "interested", "offer": "Erbjudande", "contact": w.contact.pk},
        "files",
        lambda s: s.UPLOAD_MAX_BYTES,
    ),
    "members:population_import": Endpoint(
        "staff",
        lambda w: reverse("members:population_import"),
        lambda w: {"source": "SCB"},
        "file",
        lambda s: 2 * 1024 * 1024,  # its own, smaller limit
    ),
    "members:fact_import": Endpoint(
        "staff",
        lambda w: reverse("members:fact_import"),
        lambda w: {"source": "SCB", "action": "preview"},
        "file",
        lambda s: 5 * 1024 * 1024,  # its own limit
    ),
    "nki:import": Endpoint(
        "staff",
        lambda w: reverse("nki:import"),
        lambda w: {"year": "2024"},
        "file",
        lambda s: s.UPLOAD_MAX_BYTES,
    ),
}

# (case, endpoint) → file name, content and the message (or part of it) the user must see
CASES = {
    ("wrong extension", "inquiries:dispatch"): ("program.exe", b"hello", "program.exe är inte en tillåten filtyp"),
    ("wrong extension", "members:population_import"): (
        "data.exe",
        "kommunkod;år;folkmängd\n".encode(),
        "Ladda upp en CSV-fil",
    ),
    ("wrong extension", "nki:import"): ("nki.exe", b"kommun;index\n", "Bara .xlsx-, .csv- och Kolada-.json-filer"),
    ("renamed MZ", "inquiries:dispatch"): ("offert.pdf", MZ, "offert.pdf är inte en riktig PDF-fil"),
    ("renamed MZ", "members:population_import"): ("folk.csv", MZ, "Filen är inte text i UTF-8 eller Windows-1252"),
    ("renamed MZ", "nki:import"): ("nki.xlsx", MZ, "Filen är ingen giltig Excelfil"),
    ("renamed ELF", "inquiries:dispatch"): ("tabell.xlsx", ELF, "tabell.xlsx är inte en riktig XLSX-fil"),
    ("renamed ELF", "members:population_import"): ("folk.csv", ELF, "Första raden måste ange kolumnerna"),
    ("renamed ELF", "nki:import"): ("nki.csv", ELF, "Filen är inte text"),
    ("oversized", "inquiries:dispatch"): ("stor.pdf", None, "stor.pdf är för stor"),
    ("oversized", "members:population_import"): ("stor.csv", None, "Filen är större än 2 MB"),
    ("oversized", "nki:import"): ("stor.csv", None, "Filen är större än"),
    ("zip bomb", "inquiries:dispatch"): ("bomb.xlsx", "bomb", "bomb.xlsx packas upp till mycket mer data"),
    ("zip bomb", "members:population_import"): ("bomb.xlsx", "bomb", "Ladda upp en CSV-fil"),
    ("wrong extension", "members:fact_import"): ("data.exe", b"region;2024\n", "Ladda upp en CSV-, Excel-"),
    ("renamed MZ", "members:fact_import"): ("fakta.csv", MZ, "Filen är inte text i UTF-8 eller Windows-1252"),
    ("renamed ELF", "members:fact_import"): ("fakta.csv", ELF, "Ingen rubrikrad hittades"),
    ("oversized", "members:fact_import"): ("stor.csv", None, "Filen är större än 5 MB"),
    ("zip bomb", "members:fact_import"): ("bomb.xlsx", "bomb", "Excelfilen packas upp till mycket mer data"),
    ("zip bomb", "nki:import"): ("bomb.xlsx", "bomb", "Excelfilen packas upp till mycket mer data"),
}


def test_every_upload_endpoint_is_covered():
    """Every view whose form takes a file is in ENDPOINTS (found by its template's file input)."""
    from .conftest import _catalogue

    assert {endpoint for _case, endpoint in CASES} == set(ENDPOINTS)
    if _catalogue is not None:  # the catalogue is built by the form tests when they run first
        assert {name for name, files in _catalogue.files.items() if files} <= set(ENDPOINTS)


@pytest.mark.parametrize(("case", "endpoint"), sorted(CASES))
def test_hostile_upload_refused(world, personas, settings, case, endpoint):
    settings.UPLOAD_MAX_BYTES = 512 * 1024  # the oversized file stays small enough to be quick
    spec = ENDPOINTS[endpoint]
    name, content, message = CASES[(case, endpoint)]
    if content is None:
        content = b"%PDF-1.4\n" + b"0" * spec.limit(settings)  # one limit's worth, plus the header
    elif content == "bomb":
        content = zip_bomb_xlsx()
        assert len(content) < settings.UPLOAD_MAX_BYTES  # small packed: only the unpacked size tells
    client = client_for(personas[spec.persona])  # signing in writes last_login: before the snapshot
    media = settings.PRIVATE_MEDIA_ROOT
    before, files_before = snapshot(), sorted(media.rglob("*")) if media.exists() else []
    started = time.monotonic()
    response = client.post(spec.url(world), {**spec.data(world), spec.file_field: SimpleUploadedFile(name, content)})
    assert time.monotonic() - started < 5, "the upload was unpacked or read at length"
    assert response.status_code == 200
    assert message in response.content.decode()
    assert changed(before, snapshot()) == []
    assert (sorted(media.rglob("*")) if media.exists() else []) == files_before


def test_the_bomb_really_unpacks_to_hundreds_of_megabytes():
    with zipfile.ZipFile(io.BytesIO(zip_bomb_xlsx())) as archive:
        assert sum(i.file_size for i in archive.infolist()) > BOMB_UNPACKED


def test_every_url_that_takes_files_is_listed():
    # A view reading request.FILES that is not an upload endpoint here fails this test.
    import inspect

    takes_files = set()
    for name, route, pattern in url_patterns():
        if route.startswith("admin/"):
            continue
        try:
            source = inspect.getsource(inspect.unwrap(pattern.callback))
        except (OSError, TypeError):
            continue
        if "request.FILES" in source:
            takes_files.add(name)
    assert takes_files == set(ENDPOINTS)
