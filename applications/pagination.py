"""Pagination that never counts a whole table: long lists (the reviewers' queue of a year's applications)
count at most LIMIT rows and say "oltre" beyond that."""
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class BoundedPaginator(Paginator):
    LIMIT = 1_000  # 40 pages of 25: beyond that, reviewers narrow the queue with its filters (bench: scale)

    @cached_property
    def count(self) -> int:
        """SELECT COUNT(*) over at most LIMIT + 1 rows, in no particular order (how many there are up
        to the limit does not depend on the order, and sorting first made the count read every match)."""
        counted = self.object_list.order_by()[: self.LIMIT + 1].count()
        self.truncated = counted > self.LIMIT
        return min(counted, self.LIMIT)
