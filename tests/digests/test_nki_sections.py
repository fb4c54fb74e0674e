"""Digest sections from nki: new results in the kommun weekly, NKI movement in the quarterly report."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from digests import recipients, services
from digests.constants import KOMMUN_WEEKLY, MEMBER_QUARTERLY
from nki.models import NkiImport, NkiResult, ReferenceValue, ServiceArea
from outbox.models import Message

from .conftest import full_contacts

pytestmark = pytest.mark.django_db


@pytest.fixture
def nki_week(kommun_a, kommun_b, user_a, user_b, week):
    """Imported last week: Flen totalt 2025 74.0 (30 answers) and bygglov 2025 58.5 (6 answers).
    Imported long ago: Flen totalt 2024 72.5. Värmdö: totalt 2025 81.2, imported last week."""
    full_contacts(kommun_a, "flen")
    full_contacts(kommun_b, "varmdo")
    total = ServiceArea.objects.get(code="totalt")
    bygglov = ServiceArea.objects.get(code="bygglov")
    fresh = NkiImport.objects.create(kind=NkiImport.Kind.XLSX, file_name="nki-2025.xlsx", file_hash="a" * 64)
    old = NkiImport.objects.create(kind=NkiImport.Kind.XLSX, file_name="nki-2024.xlsx", file_hash="b" * 64)
    in_week = timezone.make_aware(datetime.datetime.combine(week.start + datetime.timedelta(days=1), datetime.time(9)))
    NkiImport.objects.filter(pk=fresh.pk).update(imported_at=in_week)
    NkiImport.objects.filter(pk=old.pk).update(imported_at=in_week - datetime.timedelta(days=200))
    for kommun, area, year, nki, answers, source in [
        (kommun_a, total, 2025, "74.0", 30, fresh),
        (kommun_a, bygglov, 2025, "58.5", 6, fresh),
        (kommun_a, total, 2024, "72.5", 35, old),
        (kommun_b, total, 2025, "81.2", 50, fresh),
    ]:
        NkiResult.objects.create(
            kommun=kommun, area=area, year=year, nki=Decimal(nki), answers=answers, nki_import=source
        )


def test_kommun_digest_lists_its_new_nki_results_only(nki_week, user_a, user_b, week):
    services.digests_send(kind=KOMMUN_WEEKLY, period=week)
    flen = Message.objects.get(kind=KOMMUN_WEEKLY, to=user_a.email).body_text
    assert "Nya NKI-resultat" in flen
    assert "Totalt 2025: NKI 74,0 (högt), 30 svar" in flen
    assert "Bygglov 2025: NKI 58,5 (lågt), 6 svar, för få svar" in flen
    assert "2024" not in flen.split("Nya NKI-resultat", 1)[1].split("##", 1)[0]  # imported long ago
    assert "81,2" not in flen and "Värmdö" not in flen
    varmdo = Message.objects.get(kind=KOMMUN_WEEKLY, to=user_b.email).body_text
    assert "Totalt 2025: NKI 81,2 (mycket högt)" in varmdo and "74,0" not in varmdo


def test_kommun_digest_nki_in_english(nki_week, user_a, week):
    user_a.language = "en"
    user_a.save()
    services.digests_send(kind=KOMMUN_WEEKLY, period=week)
    body = Message.objects.get(kind=KOMMUN_WEEKLY, to=user_a.email).body_text
    assert "New NKI results" in body and "Total 2025: NKI 74.0 (high), 30 answers" in body


def test_quarterly_report_shows_nki_movement(nki_week, kommun_a):
    from digests import periods

    # 2025 is complete: Kolada's national figure for the year is stored.
    ReferenceValue.objects.create(
        area=ServiceArea.objects.get(code="totalt"), year=2025, source=ReferenceValue.Source.NATIONAL, value=75
    )
    quarter = periods.quarter(2026, 1)  # results up to 2026: the 2025 figure is the latest
    services.digests_send(kind=MEMBER_QUARTERLY, period=quarter)
    body = Message.objects.get(kind=MEMBER_QUARTERLY, to="kso@flen.example").body_text
    # 72.5 (35 answers, ±7.3) → 74.0 (30 answers, ±7.9): the intervals overlap, no clear change.
    assert (
        "NKI totalt 2025: 74,0 (högt). Ingen tydlig förändring från 2024 (+1,5, inom felmarginalen). "
        "Baserat på 30 svar." in body
    )
    assert "Upp 1,5" not in body and "81,2" not in body
    varmdo = Message.objects.get(kind=MEMBER_QUARTERLY, to="kso@varmdo.example").body_text
    assert "NKI totalt 2025: 81,2 (mycket högt)." in varmdo and "från 2024" not in varmdo


# --- NKI news for those responsible for NKI, bygglov and miljö -----------------------------------


def test_nki_bygglov_and_miljo_contacts_get_the_nki_news_until_they_unsubscribe(nki_week, kommun_a, week):
    """Flen: a bygglovschef, a miljö chief who also holds NKI, and a KSO (no such responsibility).
    The NKI contact of full_contacts is its weekly-digest reader's colleague, not a weekly recipient:
    it gets the NKI news too. The näringslivschef gets the NKI section in the weekly digest already."""
    import re
    from urllib.parse import urlparse

    from django.test import Client

    from digests.constants import NKI_WEEKLY
    from tests.factories import ContactFactory

    ContactFactory(kommun=kommun_a, role="bygglovschef", name="Bo Bygg", email="bygglov@flen.example")
    ContactFactory(kommun=kommun_a, role="other", holds_miljo=True, holds_nki=True, email="miljo@flen.example")
    report = services.digests_send(kind=NKI_WEEKLY, period=week)
    sent = {m.to: m for m in Message.objects.filter(kind=NKI_WEEKLY)}
    assert {"bygglov@flen.example", "miljo@flen.example", "nki@flen.example"} <= set(sent)
    assert "kso@flen.example" not in sent and "naringslivschef@flen.example" not in sent
    body = sent["bygglov@flen.example"].body_text
    # The bygglov chief reads bygglov only; the miljö chief who also holds NKI reads every area.
    assert "Nya NKI-resultat" in body and "Bygglov 2025" in body and "Totalt 2025" not in body
    assert "Totalt 2025: NKI 74,0 (högt), 30 svar" in sent["miljo@flen.example"].body_text
    assert "81,2" not in body  # Värmdö's results stay Värmdö's
    assert "Förfrågningar" not in body  # the NKI part only
    assert report.queued == len(sent)

    # Opt-out as for every digest: the link in the e-mail, then nothing more of this kind.
    link = urlparse(re.search(r"https?://\S+/avregistrera/[^/\s]+/", body).group(0)).path
    assert Client().post(link, {"action": "unsubscribe"}).status_code == 200
    Message.objects.filter(kind=NKI_WEEKLY).delete()  # a new week, as far as the keys go
    services.digests_send(kind=NKI_WEEKLY, period=week)
    again = set(Message.objects.filter(kind=NKI_WEEKLY).values_list("to", flat=True))
    assert "bygglov@flen.example" not in again and "miljo@flen.example" in again


def test_a_miljo_chief_gets_no_nki_news_when_only_other_areas_are_new(nki_week, kommun_a, week):
    from digests.constants import NKI_WEEKLY
    from tests.factories import ContactFactory

    ContactFactory(kommun=kommun_a, role="miljochef", holds_miljo=True, email="miljo-only@flen.example")
    chosen = {r.email: r for r in recipients.nki_news_recipients(week)}
    assert chosen["miljo-only@flen.example"].nki_areas == frozenset({"miljo-och-halsoskydd"})
    services.digests_send(kind=NKI_WEEKLY, period=week)
    # Flen's new results are totalt and bygglov: nothing about miljö- och hälsoskydd to tell.
    assert not Message.objects.filter(kind=NKI_WEEKLY, to="miljo-only@flen.example").exists()


def test_nki_news_is_not_sent_without_new_results(kommun_a, week):
    from digests.constants import NKI_WEEKLY
    from tests.factories import ContactFactory

    ContactFactory(kommun=kommun_a, role="bygglovschef", email="bygglov@flen.example")
    report = services.digests_send(kind=NKI_WEEKLY, period=week)
    assert report.queued == 0 and not Message.objects.filter(kind=NKI_WEEKLY).exists()
