"""URLs built once per page, not once per row: `reverse()` costs about as much as rendering a row.

    kommun_url = links.maker("members:kommun_detail")
    kommun_url("0482")  # "/kommuner/0482/"

The pattern is reversed once with a placeholder; each row only substitutes its argument (quoted
as reverse() would). For URL patterns with one `str` or `slug` argument.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.urls import reverse

PLACEHOLDER = "__arg__"


def maker(viewname: str) -> Callable[[object], str]:
    """A function giving the URL of `viewname` for one argument, reversed once."""
    template = reverse(viewname, args=[PLACEHOLDER])
    head, tail = template.split(PLACEHOLDER, 1)
    return lambda arg: f"{head}{quote(str(arg), safe='')}{tail}"
