"""Long lists of organisations (6 000 at most) are shown a page at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from survey.formatting import number_sv

PAGE_SIZE = 50
T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.number * self.size, self.total)

    @property
    def caption(self) -> str:
        if self.pages == 1:
            return f"{number_sv(self.total)} organisationer"
        return (f"{number_sv(self.first)}–{number_sv(self.last)} av "
                f"{number_sv(self.total)} organisationer")


def paginate(items: Sequence[T], number: int, size: int = PAGE_SIZE) -> Page[T]:
    """The page `number` (1-based; beyond the end means the last page)."""
    pages = max(1, -(-len(items) // size))
    number = min(max(number, 1), pages)
    start = (number - 1) * size
    return Page(items[start:start + size], number, size, len(items))
