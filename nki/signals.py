"""Keep NkiYearCoverage right on every model save and delete of an NkiResult (admin, forms,
QuerySet.delete(), a kommun's cascade, loaddata). Writes that bypass signals call
services.coverage_refresh themselves."""

from __future__ import annotations

from .models import NkiResult
from .services import coverage_refresh

_PENDING = "_nki_coverage_pending"


def result_saving(sender, instance: NkiResult, raw: bool = False, **kwargs) -> None:
    # A save may move a result to another year: the year it leaves needs recomputing too.
    instance._nki_year_before = (
        NkiResult.objects.filter(pk=instance.pk).values_list("year", flat=True).first()
        if instance.pk is not None
        else None
    )


def result_saved(sender, instance: NkiResult, **kwargs) -> None:
    years = {instance.year, getattr(instance, "_nki_year_before", None)} - {None}
    coverage_refresh(years=years)


def result_deleting(sender, instance: NkiResult, origin=None, **kwargs) -> None:
    # Django sends every pre_delete of one delete() before its first row goes, and every
    # post_delete after all of a model's rows have gone. Noting the years on the delete's origin
    # (the queryset, the kommun of a cascade, the result itself) lets post_delete recompute each
    # year once, not once per row: deleting a national year is 2,320 rows.
    if origin is not None:
        vars(origin).setdefault(_PENDING, set()).add(instance.year)


def result_deleted(sender, instance: NkiResult, origin=None, **kwargs) -> None:
    pending = vars(origin).get(_PENDING) if origin is not None else None
    if pending is None:
        coverage_refresh(years={instance.year})
    elif instance.year in pending:
        pending.discard(instance.year)
        coverage_refresh(years={instance.year})
