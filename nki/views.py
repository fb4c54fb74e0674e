from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from members import access


@access.portal_user_required
def index(request: HttpRequest) -> HttpResponse:
    # Placeholder until the NKI issue lands: the navigation already points here.
    return render(request, "nki/index.html")
