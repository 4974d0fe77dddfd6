"""The problems an import found: the first ``IMPORT_MAX_LISTED_PROBLEMS`` in full, the rest only counted.

A broken file can hold millions of problems; listing them all costs the worker memory and the reader
nothing useful. Every importer collects its problems in a ``ProblemList`` and says how many were left
unlisted.
"""

from collections.abc import Iterable, Iterator

from django.conf import settings


def max_listed_problems() -> int:
    return int(settings.IMPORT_MAX_LISTED_PROBLEMS)


class ProblemList[T]:
    """Problems in the order found: the first ones kept, every one counted."""

    def __init__(self, problems: Iterable[T] = ()) -> None:
        self.limit = max_listed_problems()
        self.listed: list[T] = []
        self.total = 0
        self.extend(problems)

    def add(self, problem: T) -> None:
        self.total += 1
        if len(self.listed) < self.limit:
            self.listed.append(problem)

    def extend(self, problems: Iterable[T]) -> None:
        for problem in problems:
            self.add(problem)

    @property
    def unlisted(self) -> int:
        return self.total - len(self.listed)

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total

    def __iter__(self) -> Iterator[T]:
        return iter(self.listed)
