"""The member value report in Chromium: checked with axe like every journey's page, and printed by
the browser on A4, as a näringslivschef would before a meeting with the politicians (issue 14)."""

import base64
import io

import pypdf
import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.parametrize("language", ["sv", "en"]),
]


def test_kommun_prints_its_member_value_report_on_one_page(browser_for, language, demo_data, user_a, kommun_a):
    from selenium.webdriver.common.print_page_options import PrintOptions

    b = browser_for(language)
    t = b.t
    b.login_as(user_a)
    b.visit(f"/oversikt/rapporter/kommun/{kommun_a.code}/", "member-value-report")
    # Two charts drawn on the server, each with its text for screen readers; the PDF one click away.
    assert len(b.find_all("svg.chart-svg[role=img]")) == 2
    assert f"/kommun/{kommun_a.code}/pdf/?period=period-" in b.link(t("Download PDF")).get_attribute("href")
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7
    options.background = True
    pdf = pypdf.PdfReader(io.BytesIO(base64.b64decode(b.driver.print_page(options))))
    # At most two A4 pages (issue 14); one before the survey, good-example and activity sections came.
    assert 1 <= len(pdf.pages) <= 2
    text = pdf.pages[0].extract_text()
    assert kommun_a.name in text and t("Maturity per track") in text
    footer = t("SBA Portal — Stockholm Business Alliance, run by Invest Stockholm.")
    assert t("Download PDF") not in text and footer not in text  # no buttons, menu or footer
