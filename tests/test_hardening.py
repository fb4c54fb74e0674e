"""Hardening: CSP-clean templates, security headers, production settings, the security log and
password rules. (Brute-force lockout, session expiry and rate-limited password reset: test_auth.py;
two-step sign-in: test_two_factor.py.)"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from .conftest import PASSWORD, client_for
from .test_access_crawler import world as world

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.I)


def page_templates() -> list[Path]:
    """Every HTML template of the project that a browser renders as a page (e-mails excluded: the
    CSP does not apply in mail clients, and inline styles are how e-mail is styled)."""
    found = []
    for path in ROOT.rglob("*.html"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in (".venv", "staticfiles", "node_modules") or "templates" not in parts:
            continue
        if "email" in parts or path.name.endswith("_email.html") or parts[0] == "tests":
            continue
        found.append(path)
    return found


def test_no_template_has_inline_script_handlers_or_styles():
    templates = page_templates()
    assert len(templates) > 50  # the walk found the project's templates
    problems = []
    for path in templates:
        text = path.read_text()
        for label, pattern in (("inline <script>", INLINE_SCRIPT), ("on*= handler", EVENT_HANDLER)):
            problems += [f"{path.relative_to(ROOT)}: {label}: {m.group(0)[:60]}" for m in pattern.finditer(text)]
        problems += [f"{path.relative_to(ROOT)}: style=: {m.group(0)[:60]}" for m in STYLE_ATTRIBUTE.finditer(text)]
    assert problems == [], "\n".join(problems)


def test_the_template_check_catches_what_it_should():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/portal.js"></script>')
    assert EVENT_HANDLER.search('<a href="#" onclick="x()">')
    assert STYLE_ATTRIBUTE.search('<div class="a" style="color:red">')
    assert not EVENT_HANDLER.search("<p>Sign on=now</p>")


def test_security_headers_on_every_page(client, user_a):
    for response in (client.get(reverse("login")), client_for(user_a).get(reverse("members:my_kommun"))):
        csp = response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        policy = response["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


def _production(code: str, **extra) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "HTTPS", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env = {
        **clean,
        "DEBUG": "false",
        "SECRET_KEY": "p" * 30 + "Q" * 30 + "-production-like",
        "ALLOWED_HOSTS": "portal.example.se",
        "SITE_URL": "https://portal.example.se",
        "DJANGO_SETTINGS_MODULE": "sba_portal.settings",
        **extra,
    }
    return subprocess.run([sys.executable, *code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_production_cookies_and_hsts():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.LANGUAGE_COOKIE_NAME, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_AGE)"
    )
    result = _production(["-c", code])
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "__Host-language",
        "True",
        "True",
        "True",
        "True",
        "True",
        "31536000",
        "True",
        "7200",
    ]


def test_the_demo_switch_refuses_to_serve_a_real_host_name():
    code = "import django; django.setup(); from django.conf import settings as s; print(s.SECRET_KEY[:15])"
    refused = _production(["-c", code], DEMO="true", SECRET_KEY="")
    assert refused.returncode != 0
    assert "DEMO=true is the local demo" in refused.stderr and "unset DEMO in production" in refused.stderr
    local = _production(["-c", code], DEMO="true", SECRET_KEY="", ALLOWED_HOSTS="127.0.0.1,localhost")
    assert local.returncode == 0, local.stderr
    assert local.stdout.strip() == "django-insecure"


def test_check_deploy_reports_nothing_with_production_settings():
    result = _production(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# --- The security log ----------------------------------------------------------------------------


@pytest.fixture
def security_log(caplog):
    """The security logger does not propagate (its own handler in settings): listen to it directly."""
    logger = logging.getLogger("sba_portal.security")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="sba_portal.security")
    yield caplog
    logger.removeHandler(caplog.handler)


def _lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "sba_portal.security"]


def test_sign_in_and_failed_sign_in_are_logged_with_address(client, user_a, security_log):
    client.post(reverse("login"), {"username": user_a.email, "password": "wrong"}, REMOTE_ADDR="198.51.100.7")
    client.post(reverse("login"), {"username": user_a.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")
    lines = _lines(security_log)
    assert f"failed sign-in: username={user_a.email!r} ip=198.51.100.7" in lines
    assert f"sign-in: user={user_a.pk} ip=198.51.100.7" in lines
    assert not any("wrong" in line for line in lines)  # never the password


def test_refused_access_is_logged_with_who_what_and_where(world, user_b, security_log):
    url = reverse("inquiries:dispatch", kwargs={"pk": world.dispatch.pk})
    response = client_for(user_b).get(url, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 404
    lines = _lines(security_log)
    assert any(
        line.startswith(f"access refused or missing: user={user_b.pk} model=inquiries.Dispatch") for line in lines
    )
    assert f"refused: status=404 user={user_b.pk} method=GET path={url} ip=203.0.113.9" in lines


def test_staff_page_refusal_is_logged(user_a, security_log):
    client_for(user_a).get(reverse("members:user_list"), REMOTE_ADDR="203.0.113.10")
    assert any(
        line.startswith(f"staff page refused: user={user_a.pk}") and "ip=203.0.113.10" in line
        for line in _lines(security_log)
    )


# --- Password rules ------------------------------------------------------------------------------

WEAK = [
    ("kort1", "Det här lösenordet är för kort. Det måste innehålla minst 10 tecken."),
    ("1234567890123", "Detta lösenord är enbart numeriskt."),
    ("password123", "Detta lösenord är alldeles för vanligt."),
    ("nlc@flen.example", "Ditt lösenord är alltför likt"),
]


@pytest.mark.parametrize(("weak", "message"), WEAK)
def test_weak_password_refused_on_password_change(user_a, weak, message):
    response = client_for(user_a).post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    user_a.refresh_from_db()
    assert user_a.check_password(PASSWORD)


def test_weak_password_refused_on_invitation(staff, kommun_a):
    from django.utils import timezone
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from members.models import User
    from members.tokens import invitation_token

    user = User.objects.create_user("ny@flen.example", None, kommun=kommun_a, invited_at=timezone.now())
    url = reverse(
        "accept_invitation",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": invitation_token.make_token(user)},
    )
    response = client_for(None).post(url, {"new_password1": "kort", "new_password2": "kort"})
    assert response.status_code == 200
    assert "Det här lösenordet är för kort. Det måste innehålla minst 10 tecken." in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()


# --- Control characters, demo loader, idle limit --------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/kommuner/04%0082/",
        "/kommuner/0482%00/kontakter/ny/",
        "/nki/kommun/0482%00/",
        "/oversikt/mognad/04%0082/",
        "/forfragningar/1%00/",
    ],
)
def test_a_control_character_in_the_path_is_a_404_page(url, staff):
    response = client_for(staff).get(url)
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


@pytest.mark.parametrize("params", [{"q": "Fl\x00en"}, {"lan": "04\x00"}, {"sort": "name\x1b"}, {"q\x00": "x"}])
def test_a_control_character_in_a_filter_is_a_400_page(params, staff):
    for url in (reverse("members:kommun_list"), reverse("inquiries:index"), reverse("nki:index")):
        response = client_for(staff).get(url, params)
        assert response.status_code == 400, url
        assert "Adressen är inte giltig" in response.content.decode()


def test_load_demo_refuses_without_debug(settings):
    from django.core.management import CommandError, call_command

    from members.models import User

    settings.DEBUG = False
    users = User.objects.count()
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")
    assert User.objects.count() == users


def test_an_idle_limit_cannot_be_shorter_than_the_renewal_interval(monkeypatch):
    import importlib

    import sba_portal.settings as project_settings

    monkeypatch.setenv("SESSION_IDLE_SECONDS", "60")
    try:
        reloaded = importlib.reload(project_settings)
        assert reloaded.SESSION_COOKIE_AGE == 2 * reloaded.SESSION_RENEW_AFTER_SECONDS
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)


def test_free_text_has_a_limit_with_a_message_and_nothing_is_stored(user_a, kommun_a):
    """A megabyte of text in a contact's notes is refused in Swedish; the contact keeps its notes."""
    from members.models import FREE_TEXT_MAX_LENGTH, Contact

    from .factories import ContactFactory

    contact = ContactFactory(kommun=kommun_a, notes="Kort anteckning")
    url = reverse("members:contact_edit", args=[kommun_a.code, contact.pk])
    client = client_for(user_a)
    form = client.get(url).context["form"]
    data = {f.html_name: f.value() for f in form if f.value() is not None}
    data["notes"] = "x" * (1024 * 1024)
    response = client.post(url, data)
    assert response.status_code == 200
    assert f"som mest {FREE_TEXT_MAX_LENGTH} tecken (den har {1024 * 1024})" in response.content.decode()
    assert Contact.objects.get(pk=contact.pk).notes == "Kort anteckning"
    data["notes"] = "y" * FREE_TEXT_MAX_LENGTH  # at the limit: saved
    assert client.post(url, data).status_code == 302
    assert len(Contact.objects.get(pk=contact.pk).notes) == FREE_TEXT_MAX_LENGTH
