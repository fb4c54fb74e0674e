"""Views of the wiring: the start page sends each user to where their work is."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from members import access


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Staff start on the overview; a kommun user on Min kommun."""
    if access.is_kommun_user(request.user):
        return redirect("members:my_kommun")
    if access.is_staff(request.user):
        return redirect("overview:index")
    raise Http404
