"""`make run`, the one command a newcomer needs: the portal's own error pages (never Django's
technical 404 listing the URL patterns), the real host and port in the banner and in e-mail links,
and the demo logins printed last, the demo's e-mails summed up in one line."""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from outbox.models import Message

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def make_run_env(**variables) -> dict[str, dict[str, str]]:
    """The environment `make run` gives each manage.py command, from `make -n` (nothing runs)."""
    args = [f"{k}={v}" for k, v in variables.items()]
    clean = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT", "MAKEFLAGS")}
    # -o: the virtualenv counts as installed, so the dry run prints only the run recipe.
    make = shutil.which("make")
    assert make, "make run needs GNU make"
    dry = subprocess.run(
        [make, "-n", "-o", ".venv/.installed-dev", "run", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    commands = {}
    for line in dry.stdout.splitlines():
        words = shlex.split(line)
        if "manage.py" not in words:
            continue
        at = words.index("manage.py")
        env = dict(w.split("=", 1) for w in words[: at - 1] if "=" in w)
        commands[words[at + 1]] = env
    assert set(commands) == {"migrate", "load_demo", "runserver"}, dry.stdout
    return commands


def test_make_run_serves_with_debug_off_and_the_port_in_site_url():
    commands = make_run_env(PORT="8123")
    for env in commands.values():
        assert env.get("DEBUG", "false") != "true"
        assert env["DEMO"] == "true"
        assert env["SITE_URL"] == "http://127.0.0.1:8123"
    assert make_run_env()["runserver"]["SITE_URL"] == "http://127.0.0.1:8000"


def test_under_make_run_an_unknown_page_is_the_portals_404(tmp_path):
    """In a fresh process with exactly `make run`'s environment (settings are read at start-up)."""
    env = make_run_env(PORT="8123")["runserver"]
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'sba_portal.settings'; django.setup(); "
        "from django.test import Client; from django.conf import settings; "
        "r = Client().get('/kommuner/9999/no-such-page/'); "
        "print(settings.DEBUG, settings.HTTPS, r.status_code); print(r.content.decode())"
    )
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "HTTPS", "DATABASE_URL", "REDIS_URL", "DEMO", "SITE_URL")
    }
    clean["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"  # never touched: the 404 needs no data
    result = subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    first, page = result.stdout.split("\n", 1)
    assert first == "False False 404"
    assert "Sidan finns inte" in page or "Page not found" in page
    assert "URLconf" not in page and "Using the URLconf" not in page and "technical" not in page.lower()
    assert '<html lang="sv"' in page


# Transactional, as under make run: each e-mail is delivered as its row commits.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_load_demo_prints_a_one_line_e_mail_summary_then_the_logins_on_the_real_port(settings, capsys):
    env = make_run_env(PORT="8123")["load_demo"]
    settings.DEBUG = False
    settings.DEMO = env["DEMO"] == "true"
    settings.SITE_URL = env["SITE_URL"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # EMAIL_URL=consolemail://
    before = Message.objects.count()

    call_command("load_demo")

    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.strip()]
    emails = Message.objects.count() - before
    assert emails > 0
    # Nothing of the e-mails themselves on the console …
    assert "Subject:" not in out and "Content-Type:" not in out
    # … one summary line, with the count and the e-mail log on the real port …
    summary = [line for line in lines if line.startswith("Demo:")]
    assert len(summary) == 1 and f"{emails} e-mail" in summary[0]
    assert "http://127.0.0.1:8123/e-post/logg/" in summary[0]
    # … then the banner and the logins, last.
    banner = lines.index(next(line for line in lines if line.startswith("Demo data loaded")))
    assert "http://127.0.0.1:8123/" in lines[banner]
    assert banner == len(lines) - 6 and lines[banner - 1] == summary[0]
    assert all("password: sba-demo-2026" in line for line in lines[banner + 1 :])
    # The e-mails' links point at the address the demo is served on.
    bodies = list(Message.objects.order_by("pk")[before:].values_list("body_text", flat=True))
    assert all("127.0.0.1:8000" not in body for body in bodies)
    assert any("http://127.0.0.1:8123/" in body for body in bodies)
    statuses = set(
        Message.objects.order_by("pk")[before:].exclude(key="demo:failed-example").values_list("status", flat=True)
    )
    assert statuses == {Message.Status.SENT}  # delivered (quietly), not left in the queue


def test_every_page_links_a_favicon_that_is_served(client):
    page = client.get("/konto/login/").content.decode()
    icons = re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"', page)
    assert len(icons) == 3 and any(i.endswith(".svg") for i in icons) and any(i.endswith(".ico") for i in icons)
    for href in icons:
        response = client.get(href)
        assert response.status_code == 200, href
        assert int(response.headers.get("Content-Length", 1)) > 0
