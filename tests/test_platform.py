"""Health check, settings from the environment, security headers, translations, vendored assets."""

import os
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from .conftest import client_for, require_service

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_embedded_broker(client, settings):
    settings.CELERY_BROKER_URL = None
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["broker"].startswith("not configured")


def test_healthz_reports_an_unreachable_broker(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    from sba_portal.celery import app

    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = os.environ.get("REDIS_URL") or None
    assert response.status_code == 200
    assert response.json()["broker"].startswith("unreachable")


def test_healthz_with_real_redis(client, settings):
    url = os.environ.get("REDIS_URL", "")
    require_service("Redis (REDIS_URL)", bool(url))
    settings.CELERY_BROKER_URL = url
    from sba_portal.celery import app

    app.conf.broker_url = url
    response = client.get("/healthz")
    assert response.json() == {"database": "ok", "cache": "ok", "broker": "ok"}
    assert response.status_code == 200


def test_ci_runs_on_postgresql():
    if os.environ.get("CI"):
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def _settings_in_subprocess(env: dict) -> subprocess.CompletedProcess:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'sba_portal.settings'; django.setup(); "
        "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, s.SECURE_HSTS_SECONDS, "
        "s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)"
    )
    clean = {
        k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "HTTPS", "DATABASE_URL", "REDIS_URL")
    }
    return subprocess.run([sys.executable, "-c", code], env={**clean, **env}, cwd=ROOT, capture_output=True, text=True)


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _settings_in_subprocess({"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_are_secure_by_default():
    result = _settings_in_subprocess(
        {"DEBUG": "false", "SECRET_KEY": "x" * 60, "REDIS_URL": "redis://127.0.0.1:6379/0"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["__Host-sessionid", "31536000", "django.db.backends.sqlite3", "False"]


def test_embedded_defaults_run_tasks_in_process():
    result = _settings_in_subprocess({"DEBUG": "true"})
    assert result.stdout.split()[-1] == "True"


def test_security_headers_on_every_page(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_state_changing_forms_need_csrf(user_a, kommun_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user_a)
    response = client.post(reverse("members:contact_create", args=[kommun_a.code]), {"name": "X", "role": "other"})
    assert response.status_code == 403


def test_pages_have_no_inline_scripts_or_styles(staff, kommun_a):
    client = client_for(staff)
    for url in [
        reverse("login"),
        reverse("members:kommun_list"),
        kommun_a.get_absolute_url(),
        reverse("overview:index"),
    ]:
        body = client.get(url).content.decode()
        assert "<script>" not in body and " style=" not in body and "onclick=" not in body, url


def test_every_swedish_message_is_translated():
    missing = []
    for po_path in ROOT.glob("**/locale/sv/LC_MESSAGES/django.po"):
        if ".venv" in po_path.parts:
            continue
        po = polib.pofile(str(po_path))
        missing += [f"{po_path.relative_to(ROOT)}: {e.msgid[:60]}" for e in po.untranslated_entries()]
        missing += [f"{po_path.relative_to(ROOT)} (fuzzy): {e.msgid[:60]}" for e in po.fuzzy_entries()]
    assert missing == []


def test_vendored_assets_are_present_with_licences():
    vendor = ROOT / "static" / "vendor"
    for path in [
        "bootstrap/css/bootstrap.min.css",
        "bootstrap/js/bootstrap.bundle.min.js",
        "bootstrap/LICENSE",
        "htmx/htmx.min.js",
        "htmx/LICENSE",
        "chartjs/chart.umd.min.js",
        "axe-core/axe.min.js",
    ]:
        assert (vendor / path).stat().st_size > 0, path


def test_admin_lists_every_model_with_search(admin_user, kommun_a):
    from django.contrib import admin

    client = client_for(admin_user)
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url, {"q": "Flen"} if model_admin.search_fields else {})
        assert response.status_code == 200, url


def test_admin_is_closed_to_portal_staff_and_kommun_users(staff, user_a):
    for user in (staff, user_a):
        response = client_for(user).get(reverse("admin:index"))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_redis_cache_when_configured():
    url = os.environ.get("REDIS_URL", "")
    require_service("Redis (REDIS_URL)", bool(url))
    from sba_portal.cache_backend import RedisCache

    cache = RedisCache(url, {})
    cache.set("sba-portal-test", "ok", 5)
    assert cache.get("sba-portal-test") == "ok"
    assert cache.get_many(["sba-portal-test", "sba-portal-none"]) == {"sba-portal-test": "ok"}
    # One Redis client per connection pool, reused across calls (Django's builds one per call).
    assert cache._cache.get_client() is cache._cache.get_client()
    assert cache._cache.get_client(write=True) is cache._cache.get_client("any", write=True)
    cache.delete("sba-portal-test")
    assert cache.get("sba-portal-test") is None


def test_one_swedish_translation_per_message_across_apps():
    """Django merges all catalogs and the first app wins, so the same msgid translated two ways
    in two apps silently shows the wrong word in one of them: give such messages a context."""
    seen: dict[tuple, set] = {}
    for po_path in ROOT.glob("**/locale/sv/LC_MESSAGES/django.po"):
        if ".venv" in po_path.parts:
            continue
        for entry in polib.pofile(str(po_path)):
            if entry.msgstr:
                seen.setdefault((entry.msgctxt, entry.msgid), set()).add(entry.msgstr)
    assert {key: values for key, values in seen.items() if len(values) > 1} == {}
