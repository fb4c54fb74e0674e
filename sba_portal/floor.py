"""The benchmark's floor: a fixed page with no database and no template (bench/run.py).

Mounted only when the BENCH_FLOOR setting is on (the benchmark's gunicorn sets BENCH_FLOOR=1), so
it never exists in production or in the test suite. Its throughput is what the stack itself costs
on the machine (gunicorn, WSGI, the middleware); each page's throughput is reported against it.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

BODY = b"<!doctype html><html lang=sv><title>floor</title><p>floor</p></html>\n"


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


@login_required
def floor_signed_in(request: HttpRequest) -> HttpResponse:
    """The same page behind sign-in: what the session, user, two-step and lockout middleware cost
    a signed-in request before any page does work (compared with the anonymous floor)."""
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")
