"""An administrator answers a request about one person: the register, the search, the export
page, the erasure, the retention page and the audit log, checked with axe and the CSP in Chromium."""

import pytest

from members.models import Contact
from privacy.models import PrivacyAction

from ..factories import ContactFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.parametrize("language", ["sv", "en"]),
]


def test_admin_finds_and_erases_a_person(browser_for, language, admin_user, kommun_a):
    contact = ContactFactory(kommun=kommun_a, name="Greta Öberg", email="greta.oberg@flen.example", phone="070-5551234")
    b = browser_for(language)
    t = b.t
    b.login_as(admin_user)
    b.visit("/personuppgifter/", "register")
    assert t("Legal basis") in b.main_text
    b.submit(b.link(t("One person's data")), "people")
    b.fill("input[name=q]", "öberg")
    b.submit(b.button(t("Search"), within=b.find("main")), "people-found")
    b.submit(b.link("Greta Öberg"), "person")
    assert "070-5551234" in b.main_text
    b.click(b.find("input[name=confirm]"))
    b.submit(b.button(t("Erase this person's data")), "erased")
    assert not Contact.objects.filter(pk=contact.pk).exists()
    b.submit(b.link(t("Retention")), "retention")
    b.submit(b.link(t("Audit log")), "audit")
    assert PrivacyAction.objects.filter(action=PrivacyAction.Action.ERASE).exists()
