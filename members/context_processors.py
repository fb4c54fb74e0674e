from django.http import HttpRequest

from . import access


def portal(request: HttpRequest) -> dict:
    """What every page's navigation needs to know about the user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_portal_staff": False, "is_kommun_user": False}
    return {
        "is_portal_staff": access.is_staff(user),
        "is_kommun_user": access.is_kommun_user(user),
    }
