"""The journeys' page checks can fail: a CSP violation and an accessibility violation are caught."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_csp_and_axe_checks_catch_a_broken_page(browser_for):
    b = browser_for("sv")
    b.visit("/konto/login/", "clean")  # passes both checks

    # An inline script, as a template might add one: the CSP blocks it and the check says so.
    b.driver.execute_script(
        "const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.head.appendChild(s);"
    )
    with pytest.raises(AssertionError, match="Content-Security-Policy violations"):
        b.assert_no_csp_violation()
    assert b.driver.execute_script("return window.x") is None

    # An image without a text alternative is a critical WCAG 1.1.1 failure.
    b.driver.execute_script(
        "const img = document.createElement('img'); img.src = '/static/none.png';"
        "document.querySelector('main').appendChild(img);"
    )
    with pytest.raises(AssertionError, match=r"image-alt \(critical\)"):
        b.assert_accessible()
