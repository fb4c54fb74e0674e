"""nki.forms.NkiQuery: the NKI pages' query string, where a bad value is its default."""

from django.http import QueryDict

from nki.forms import NkiQuery


def test_defaults_and_bad_values():
    assert NkiQuery(QueryDict("")).values == {
        "year": None,
        "scope": "members",
        "lan": "",
        "size": "",
        "sort": "name",
        "export": "",
        "table": "",
        "years": "",
    }
    bad = NkiQuery(QueryDict("year=20x3&scope=everyone&lan=0123&size=huge&sort=&export=pdf&table=x&years=7")).values
    assert bad == {
        "year": None,
        "scope": "members",
        "lan": "01",
        "size": "",
        "sort": "name",
        "export": "",
        "table": "x",
        "years": "",
    }
    assert NkiQuery(QueryDict("years=all")).values["years"] == "all"
    good = NkiQuery(QueryDict(f"year=2023&scope=all&sort=-bygglov&export=xlsx&sort={'x' * 50}"))
    assert good.overview_params() == {"year": 2023, "scope": "all", "lan": "", "size": "", "sort": "x" * 40}
    assert good.values["export"] == "xlsx"
