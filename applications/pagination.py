"""Pagination that never counts a whole table: long lists (the reviewers' queue of a year's applications)
count at most LIMIT rows and say "oltre" beyond that."""
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class BoundedPaginator(Paginator):
    LIMIT = 1_000  # 40 pages of 25: beyond that, reviewers narrow the queue with its filters (bench: scale)

    @cached_property
    def count(self) -> int:
        """SELECT COUNT(*) over the first LIMIT + 1 rows only."""
        counted = self.object_list[: self.LIMIT + 1].count()
        self.truncated = counted > self.LIMIT
        return min(counted, self.LIMIT)
