from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from members import access

from . import selectors


@access.staff_required
def index(request: HttpRequest) -> HttpResponse:
    """Staff start page: today's work first, then the region's figures."""
    return render(request, "overview/index.html", selectors.staff_overview())
