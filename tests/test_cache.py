"""Versioned caching (members/cache.py): cached pages stay right after every kind of write.

Each page test reads a page once (filling the cache), changes what it is built from the way the
portal does (a form, a service, an import, a bulk write), and reads again: the change must show.
A second read with nothing changed must come from the cache (fewer queries, the same HTML).
The kommun page's profile and an inquiry's answer cards hold forms and are not cached: their tests
here check that writes show and that their forms are ordinary forms.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inquiries import services as inquiry_services
from inquiries.models import Answer, Inquiry
from members import cache
from members.cache import Topic
from members.models import Contact, Kommun, Membership, User
from nki import services as nki_services
from nki.models import NkiResult, ServiceArea
from overview.maturity.services import assessment_submit
from overview.models import Track
from tests.conftest import client_for
from tests.factories import ContactFactory, DialogEntryFactory, InquiryFactory, SiteFactory, UserFactory
from tests.nki.conftest import csv_bytes, make_results
from tests.overview.conftest import answer_set
from tests.overview.inquiry_data import dispatch

pytestmark = pytest.mark.django_db


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def without_tokens(html: str) -> str:
    """The page minus what differs per response by design (CSRF token, CSP nonce)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def add_result(code: str, year: int, area: str, nki: str, answers: int = 100) -> NkiResult:
    return NkiResult.objects.create(
        kommun=Kommun.objects.get(code=code),
        year=year,
        area=ServiceArea.objects.get(code=area),
        nki=Decimal(nki),
        answers=answers,
    )


# --- The module ----------------------------------------------------------------------------------


def test_a_topic_keeps_its_version_until_written(django_capture_on_commit_callbacks):
    first = cache.versions(Topic.NKI)
    assert cache.versions(Topic.NKI) == first
    assert cache.versions(Topic.NKI, Topic.REGISTER).startswith(first + ".")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with cache.retiring(Topic.NKI):
            assert cache.versions(Topic.NKI) == first  # retired when the block ends
        bumped = cache.versions(Topic.NKI)
    # Retired at once (the writer's own request) and again when the transaction commits.
    assert bumped != first
    assert len(callbacks) == 1
    assert cache.versions(Topic.NKI) not in (first, bumped)


def test_saves_deletes_and_relations_retire_their_topic(kommun_a, staff):
    before = cache.versions(Topic.REGISTER)
    membership = Membership.objects.filter(kommun=kommun_a).first()
    membership.note = "Ändrad"
    membership.save()
    after_save = cache.versions(Topic.REGISTER)
    assert after_save != before
    contacts = cache.versions(Topic.CONTACTS)
    contact = ContactFactory(kommun=kommun_a)
    assert cache.versions(Topic.CONTACTS) != contacts
    contacts = cache.versions(Topic.CONTACTS)
    contact.delete()
    assert cache.versions(Topic.CONTACTS) != contacts
    dialog = cache.versions(Topic.DIALOG)
    entry = DialogEntryFactory()
    dialog_after_create = cache.versions(Topic.DIALOG)
    assert dialog_after_create != dialog
    entry.kommuner.add(kommun_a)  # many-to-many changes count as writes
    assert cache.versions(Topic.DIALOG) != dialog_after_create
    assert cache.versions(Topic.REGISTER) == after_save  # other topics untouched


def test_an_unknown_topic_is_an_error_not_a_new_key():
    for misspelt in ("nki", "registr", None):
        with pytest.raises(TypeError):
            cache.versions(misspelt)
        with pytest.raises(TypeError):
            cache.key("page", topics=(misspelt,))
        with pytest.raises(TypeError), cache.retiring(misspelt):
            pass


def test_every_model_names_its_topics_or_is_named_exempt(monkeypatch):
    """The system check (run at start-up) passes for the project, and catches a model that forgets."""
    assert cache.check_models_declare_topics() == []
    monkeypatch.delattr(Contact, "cache_topics")
    errors = cache.check_models_declare_topics()
    assert [(e.id, e.obj) for e in errors] == [("sba.E001", Contact)]
    monkeypatch.setattr(Contact, "cache_topics", ("contacts",), raising=False)
    assert [e.id for e in cache.check_models_declare_topics()] == ["sba.E002"]


def test_every_cached_topic_is_fed_by_some_model():
    from django.apps import apps

    fed = {topic for model in apps.get_models() for topic in cache.topics_of(model)}
    assert fed == set(Topic)


def test_keys_differ_by_language_date_parts_and_release(monkeypatch):
    from django.utils import translation

    base = cache.key("page", "a", topics=(Topic.NKI,), by_date=True)
    assert cache.key("page", "a", topics=(Topic.NKI,), by_date=True) == base
    assert cache.key("page", "b", topics=(Topic.NKI,), by_date=True) != base
    with translation.override("en"):
        assert cache.key("page", "a", topics=(Topic.NKI,), by_date=True) != base
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(cache.timezone, "localdate", lambda: tomorrow)
    assert cache.key("page", "a", topics=(Topic.NKI,), by_date=True) != base
    assert cache.key("page", "a", topics=(Topic.NKI,)) == cache.key("page", "a", topics=(Topic.NKI,))
    monkeypatch.setattr(cache, "RELEASE", "another-deploy")
    assert cache.key("page", "a", topics=(Topic.NKI,), by_date=True) != base


def test_uncacheable_fragments_are_never_stored():
    one = cache.fragment("page", topics=(Topic.NKI,), cacheable=False)
    two = cache.fragment("page", topics=(Topic.NKI,), cacheable=False)
    assert one["fragment_timeout"] == two["fragment_timeout"] == 0
    assert one["fragment_key"] != two["fragment_key"]
    assert cache.fragment("page", topics=(Topic.NKI,))["fragment_timeout"] == cache.TIMEOUT


# --- NKI overview and kommun page ----------------------------------------------------------------


@pytest.fixture
def nki_results(db):
    with cache.retiring(Topic.NKI):  # bulk_create sends no signals; the portal's bulk writers do this
        make_results(["0482", "0120", "2584"], [2023, 2024], ["totalt", "bygglov"])


def test_nki_overview_is_served_from_the_cache_until_a_result_changes(nki_results, staff):
    client = client_for(staff)
    url = reverse("nki:index") + "?year=2024&scope=all"
    first, cold = get(client, url)
    second, warm = get(client, url)
    assert without_tokens(second) == without_tokens(first)
    assert warm < cold
    result = NkiResult.objects.get(kommun__code="0482", year=2024, area__code="totalt")
    result.nki = Decimal("99.5")
    result.save()
    third, _ = get(client, url)
    assert "99,5" in third and "99,5" not in first


def test_nki_import_retires_cached_tables(nki_results, staff):
    client = client_for(staff)
    url = reverse("nki:kommun", args=["0482"])
    before, _ = get(client, url)
    assert "2025" not in before
    content = csv_bytes([["År", "Kommun", "Myndighetsområde", "Antal svar", "NKI"], [2025, "0482", "Totalt", 88, 91.3]])
    report = nki_services.nki_import(content=content, file_name="nki-2025.csv", user=staff)
    assert report.ok and report.created == 1
    after, _ = get(client, url)
    assert "91,3" in after
    overview, _ = get(client, reverse("nki:index"))
    assert "NKI 2025" in overview


def test_nki_tables_are_cached_per_language(nki_results, staff):
    client = client_for(staff)
    url = reverse("nki:index")
    swedish, _ = get(client, url)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english, _ = get(client, url)
    assert "SBA-snitt" in swedish
    assert "SBA average" in english and "SBA average" not in swedish


def test_unknown_parameters_are_rendered_fresh_not_cached(nki_results, staff):
    client = client_for(staff)
    odd = reverse("nki:index") + "?utm_source=mail"
    get(client, odd)
    _, odd_again = get(client, odd)
    known = reverse("nki:index")
    get(client, known)
    _, known_again = get(client, known)
    # The selector ran again for the odd URL (nothing was stored), not for the known one.
    assert odd_again > known_again


def test_membership_change_retires_cached_nki_tables(nki_results, staff):
    client = client_for(staff)
    url = reverse("nki:index")  # members only by default
    before, _ = get(client, url)
    assert "Flen" in before
    with cache.retiring(Topic.REGISTER):
        Membership.objects.filter(kommun__code="0482").update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    after, _ = get(client, url)
    assert "Flen" not in after


# --- Kommun list ---------------------------------------------------------------------------------


def test_kommun_list_counts_a_new_contact(staff, kommun_a):
    client = client_for(staff)
    url = reverse("members:kommun_list") + "?q=Flen"
    before, cold = get(client, url)
    again, warm = get(client, url)
    assert warm < cold and without_tokens(again) == without_tokens(before)
    count = Contact.objects.filter(kommun=kommun_a).count()
    client.post(
        reverse("members:contact_create", args=[kommun_a.code]),
        {"role": Contact.Role.NARINGSLIVSCHEF, "name": "Ny Person", "email": "ny@flen.se", "phone": ""},
    )
    assert Contact.objects.filter(kommun=kommun_a).count() == count + 1
    after, _ = get(client, url)
    assert re.search(rf'<td class="text-end">{count + 1}</td>', after)


def test_kommun_users_never_get_the_staff_list(staff, user_a):
    get(client_for(staff), reverse("members:kommun_list"))
    assert client_for(user_a).get(reverse("members:kommun_list")).status_code == 404


# --- Staff overview ------------------------------------------------------------------------------


def test_staff_overview_follows_dialog_maturity_and_answers(staff, kommun_a, kommun_b, user_a):
    client = client_for(staff)
    url = reverse("overview:index")
    today = timezone.localdate()
    made = dispatch(kommun_a, sent=today - datetime.timedelta(days=3), deadline=today + datetime.timedelta(days=5))
    dispatch(kommun_b, sent=today - datetime.timedelta(days=3), inquiry=made.inquiry)
    first, cold = get(client, url)
    again, warm = get(client, url)
    assert warm < cold and without_tokens(again) == without_tokens(first)
    assert made.inquiry.reference in first

    # A meeting with Flen takes it off "members without contact".
    without = re.search(r'id="no-contact-heading".*?</section>', first, re.S).group(0)
    assert "Flen" in without
    DialogEntryFactory(kommuner=[kommun_a], date=today)
    after_meeting, _ = get(client, url)
    assert "Flen" not in re.search(r'id="no-contact-heading".*?</section>', after_meeting, re.S).group(0)

    # A self-assessment changes the maturity distribution.
    assessment_submit(
        kommun=kommun_a, track=Track.NKI, answers=answer_set(Track.NKI, yes_levels=["aktiv"]), user=user_a
    )
    after_assessment, _ = get(client, url)
    assert after_assessment != after_meeting

    # An answer lowers the answers awaited for the inquiry.
    Answer.objects.create(dispatch=made, decision=Answer.Decision.DECLINED, decline_reason=Answer.DeclineReason.NO_LAND)
    after_answer, _ = get(client, url)
    assert after_answer != after_assessment
    made.inquiry.status = Inquiry.Status.ANSWERS_CLOSED
    made.inquiry.save()
    closed, _ = get(client, url)
    assert made.inquiry.reference not in closed


# --- Inquiry page: the match table (no longer cached: fast enough cold, docs/PERFORMANCE.md) --------


def test_match_table_follows_sites_and_dispatches(staff, kommun_a, kommun_b):
    site = SiteFactory(kommun=kommun_a, name="Flen Norra", area_ha=3)
    inquiry = InquiryFactory(req_area_ha=20, responsible=staff)
    client = client_for(staff)
    url = reverse("inquiries:detail", args=[inquiry.pk])
    first, _ = get(client, url)
    again, _ = get(client, url)
    assert without_tokens(again) == without_tokens(first)

    def flen_row(html: str) -> str:
        return re.search(rf'<label for="k-{kommun_a.pk}">Flen</label>.*?</tr>', html, re.S).group(0)

    site.area_ha = 40  # a bigger site: Flen now meets the area requirement
    site.save()
    after_site, _ = get(client, url)
    assert flen_row(after_site) != flen_row(first)
    assert "40" in flen_row(after_site) and "40" not in flen_row(first)

    inquiry_services.inquiry_dispatch(inquiry=inquiry, kommun_ids=[kommun_b.pk], user=staff)
    after_send, _ = get(client, url)
    assert f'id="k-{kommun_b.pk}"' in after_site and f'id="k-{kommun_b.pk}"' not in after_send


def test_cache_retire_command_retires_every_topic():
    from io import StringIO

    from django.core.management import call_command

    before = {topic: cache.versions(topic) for topic in Topic}
    out = StringIO()
    call_command("cache_retire", stdout=out)
    assert all(cache.versions(topic) != version for topic, version in before.items())
    assert "nki" in out.getvalue()


def test_inquiry_list_shows_new_inquiries_answers_and_renamed_staff(staff, kommun_a):
    client = client_for(staff)
    url = reverse("inquiries:index")
    first, cold = get(client, url)
    _, warm = get(client, url)
    assert warm < cold
    inquiry = InquiryFactory(code_name="Projekt Lodjur", responsible=staff)
    with_new, _ = get(client, url)
    assert "Projekt Lodjur" in with_new and "Projekt Lodjur" not in first
    staff.first_name, staff.last_name = "Greta", "Nyström"
    staff.save()
    renamed, _ = get(client, url)
    assert "Greta Nyström" in renamed
    made = dispatch(kommun_a, sent=timezone.localdate(), inquiry=inquiry)
    Answer.objects.create(dispatch=made, decision=Answer.Decision.INTERESTED, offer="Mark finns.")
    answered, _ = get(client, url)
    assert answered != renamed


# --- Kommun page ---------------------------------------------------------------------------------


def test_kommun_page_parts_follow_writes_and_differ_by_role(staff, user_a, kommun_a):
    url = kommun_a.get_absolute_url()
    staff_client, own_client = client_for(staff), client_for(user_a)
    staff_first, _ = get(staff_client, url)
    mine, _ = get(own_client, url)
    # Staff edit memberships; the kommun's own user does not, even right after staff filled the cache.
    assert "/medlemskap/" in staff_first and "/medlemskap/" not in mine

    ContactFactory(kommun=kommun_a, name="Sara Kontaktsson")
    for client in (staff_client, own_client):
        page, _ = get(client, url)
        assert "Sara Kontaktsson" in page

    today = timezone.localdate()
    made = dispatch(kommun_a, sent=today, deadline=today + datetime.timedelta(days=4), code_name="Projekt Järv")
    page, _ = get(own_client, url)
    assert "Projekt Järv" in page  # the open-inquiries panel
    Answer.objects.create(dispatch=made, decision=Answer.Decision.DECLINED, decline_reason=Answer.DeclineReason.NO_LAND)
    page, _ = get(own_client, url)
    assert "Projekt Järv" not in page  # answered: no longer waiting


# --- Kommun inbox --------------------------------------------------------------------------------


def test_an_inbox_shows_its_own_dispatches_and_answers_not_another_kommuns(user_a, user_b, kommun_a, kommun_b):
    today = timezone.localdate()
    inquiry = InquiryFactory(
        code_name="Projekt Lo", status=Inquiry.Status.SENT, answer_deadline=today + datetime.timedelta(days=6)
    )
    a_client, b_client = client_for(user_a), client_for(user_b)
    url = reverse("inquiries:index")
    a_first, cold = get(a_client, url)
    _, warm = get(a_client, url)
    assert "Projekt Lo" not in a_first and warm < cold

    made = dispatch(kommun_a, sent=today, deadline=today + datetime.timedelta(days=6), inquiry=inquiry)
    a_after, _ = get(a_client, url)
    assert "Projekt Lo" in a_after
    b_after, _ = get(b_client, url)
    assert "Projekt Lo" not in b_after

    colleague = client_for(UserFactory(kommun=kommun_a, role=User.Role.KOMMUN))
    shared, _ = get(colleague, url)
    assert "Projekt Lo" in shared
    Answer.objects.create(dispatch=made, decision=Answer.Decision.INTERESTED, offer="Vi har mark.")
    answered, _ = get(a_client, url)
    assert "Projekt Lo" in re.search(r'id="answered-heading".*?</section>', answered, re.S).group(0)


# --- Inquiry page: the answer cards (not cached) -------------------------------------------------


def test_inquiry_cards_follow_actions_with_ordinary_forms(staff, kommun_a, kommun_b):
    today = timezone.localdate()
    inquiry = InquiryFactory(status=Inquiry.Status.SENT, answer_deadline=today + datetime.timedelta(days=9))
    a = dispatch(kommun_a, sent=today, inquiry=inquiry, answered_after_days=0)
    b = dispatch(kommun_b, sent=today, inquiry=inquiry)
    client = client_for(staff)
    url = reverse("inquiries:detail", args=[inquiry.pk])
    first, _ = get(client, url)

    def card(html: str, d) -> str:
        return re.search(
            rf'<article class="card h-100 answer-card" id="dispatch-{d.pk}".*?</article>', html, re.S
        ).group(0)

    # Every button and field of an answer's card sits in its own form, each with a CSRF token.
    for action in ("forward", "reopen", "feedback", "shortlist"):
        action_url = reverse("inquiries:dispatch_action", args=[a.pk, action])
        assert re.search(
            rf'<form[^>]* method="post" action="{action_url}"[^>]*>'
            r'<input type="hidden" name="csrfmiddlewaretoken"',
            card(first, a),
        )
    assert 'form="' not in first and "formaction" not in first
    # No card and no actions for a kommun that has not answered: one line in the list.
    assert f'id="dispatch-{b.pk}"' in first and f'class="card h-100 answer-card" id="dispatch-{b.pk}"' not in first
    for action in ("shortlist", "reopen", "forward", "feedback"):
        assert reverse("inquiries:dispatch_action", args=[b.pk, action]) not in first

    client.post(reverse("inquiries:dispatch_action", args=[a.pk, "forward"]))
    client.post(reverse("inquiries:dispatch_action", args=[a.pk, "feedback"]), {"feedback": "Tack, ni kom nära."})
    after, _ = get(client, url)
    forwarded = 'class="badge text-bg-info"'
    assert forwarded in card(after, a) and forwarded not in card(first, a)
    assert "Tack, ni kom nära." in card(after, a)


def test_within_a_request_a_value_is_read_once_and_each_caller_gets_its_own_copy():
    builds = []

    def build():
        builds.append(1)
        return {"years": [2024, 2025]}

    cache.request_started()
    try:
        first = cache.get_or_build("memo-test", topics=(Topic.NKI,), build=build)
        first["years"].append(1999)  # a caller that changes what it got …
        again = cache.get_or_build("memo-test", topics=(Topic.NKI,), build=build)
        assert again == {"years": [2024, 2025]}  # … does not change what the next caller gets
        assert len(builds) == 1
        with cache.retiring(Topic.NKI):  # a write in the request: the next read is fresh
            pass
        cache.get_or_build("memo-test", topics=(Topic.NKI,), build=build)
        assert len(builds) == 2
    finally:
        cache.request_finished()


def test_outside_a_request_every_read_asks_the_cache():
    """A task or command has no request: a version written by another process shows at once."""
    cache.request_finished()
    before = cache.versions(Topic.NKI)
    from django.core.cache import cache as backend

    backend.set(cache.PREFIX + Topic.NKI, "another-process", None)  # as another process retires it
    assert cache.versions(Topic.NKI) == "another-process" != before
    cache.request_started()
    try:
        seen = cache.versions(Topic.NKI)
        backend.set(cache.PREFIX + Topic.NKI, "later", None)
        assert cache.versions(Topic.NKI) == seen  # within a request: one snapshot
    finally:
        cache.request_finished()
