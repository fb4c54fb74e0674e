"""The e-mail log shows and filters kinds by their labels (outbox.kinds), never by their codes."""

import re

import pytest
from django.urls import reverse

from digests.kinds import DIGEST_KINDS
from inquiries import notifications
from members.services import INVITATION_KIND, PASSWORD_RESET_KIND
from outbox import kinds
from outbox.models import Message

from ..conftest import client_for

pytestmark = pytest.mark.django_db

SENT_BY_THE_PRODUCT = [
    *notifications.KIND_LABELS,
    *(k.code for k in DIGEST_KINDS),
    INVITATION_KIND,
    PASSWORD_RESET_KIND,
]


def test_every_kind_the_product_sends_has_a_label():
    for code in SENT_BY_THE_PRODUCT:
        assert str(kinds.get(code).label) != code, code


@pytest.fixture
def one_of_each():
    for index, code in enumerate(SENT_BY_THE_PRODUCT):
        Message.objects.create(key=f"k{index}", kind=code, to=f"r{index}@flen.example", subject="S", body_text="B")


def test_log_rows_and_filter_show_labels_not_codes(staff, one_of_each):
    page = client_for(staff).get(reverse("outbox:log")).content.decode()
    options = dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', page))
    for code in SENT_BY_THE_PRODUCT:
        label = str(kinds.get(code).label)
        assert options[code] == label  # the filter: the code is only the value sent back
    text = re.sub(r'value="[^"]*"', "", page)
    for code in SENT_BY_THE_PRODUCT:
        assert code not in text, code
    assert "Kommunens svar på en förfrågan" in text  # inquiry_answer, in Swedish
    assert "Ny förfrågan till kommunen" in text


def test_filter_by_kind_keeps_the_label_selected(staff, one_of_each):
    response = client_for(staff).get(reverse("outbox:log"), {"kind": notifications.ANSWER})
    assert [m.kind for m in response.context["page"].object_list] == [notifications.ANSWER]
    assert re.search(
        r'<option value="inquiry_answer" selected>Kommunens svar på en förfrågan</option>', response.content.decode()
    )
