"""Pagination that never counts a whole table: long lists (the reviewers' queue of a year's applications)
count at most LIMIT rows and say "oltre" beyond that."""
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class BoundedPaginator(Paginator):
    LIMIT = 1_000  # 40 pages of 25: beyond that, reviewers narrow the queue with its filters (bench: scale)

    def __init__(self, object_list, per_page, *args, late_rows: bool = False, **kwargs):
        """late_rows: pages after the first read their keys alone, then those rows (a "late row lookup"):
        an OFFSET over the full query joins every skipped row's related tables (select_related) before
        dropping it, so page 40 cost three times page 1 on a large database (bench: scale). For a queryset
        ordered on its index with the key as tie-breaker, without distinct or aggregates."""
        super().__init__(object_list, per_page, *args, **kwargs)
        self.late_rows = late_rows

    @cached_property
    def count(self) -> int:
        """SELECT COUNT(*) over at most LIMIT + 1 rows, in no particular order (how many there are up
        to the limit does not depend on the order, and sorting first made the count read every match)."""
        counted = self.object_list.order_by()[: self.LIMIT + 1].count()
        self.truncated = counted > self.LIMIT
        return min(counted, self.LIMIT)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if not self.late_rows or bottom == 0:
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = self.object_list.order_by().in_bulk(keys)
        return self._get_page([rows[key] for key in keys if key in rows], number, self)


class WindowCountPaginator(Paginator):
    """A Paginator for a queryset annotated with the count of all its rows on each row
    (`.annotate(rows_in_total=Window(Count("*")))`): the page asked is read in one query and its first row
    tells how many there are; only a page with no rows (a number past the end) asks for a COUNT."""

    COUNT = "rows_in_total"

    def get_page(self, number):
        try:
            asked = int(number)  # as validate_number reads it; not a number: the first page, as get_page gives
        except (TypeError, ValueError):
            asked = 1
        if asked >= 1 and not self.orphans:
            bottom = (asked - 1) * self.per_page
            rows = list(self.object_list[bottom:bottom + self.per_page])
            if rows:
                self.count = getattr(rows[0], self.COUNT)  # the cached_property, known without a COUNT
                return self._get_page(rows, asked, self)
        return super().get_page(number)
