"""The pages of the main window, built the first time each is shown: starting the app builds only
what it shows (Today, and the pages that count things for the rail)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from pm_desk.ui.pages.base import Page


class PageBook(Mapping[str, Page]):
    def __init__(self, classes: tuple[type[Page], ...], build: Callable[[type[Page]], Page]) -> None:
        self._classes = {cls.name: cls for cls in classes}
        self._build = build
        self._made: dict[str, Page] = {}

    def __getitem__(self, name: str) -> Page:
        page = self._made.get(name)
        if page is None:
            page = self._build(self._classes[name])
            self._made[name] = page
        return page

    def __iter__(self) -> Iterator[str]:
        return iter(self._classes)

    def __len__(self) -> int:
        return len(self._classes)

    def title(self, name: str) -> str:
        return self._classes[name].title

    def made(self) -> list[Page]:
        """The pages built so far (the others hold nothing to save or refresh)."""
        return list(self._made.values())

    def page_for_kind(self, kind: str) -> str | None:
        """The page a record of `kind` lives on, without building any page."""
        for name, cls in self._classes.items():
            kinds = cls.kinds or ((getattr(cls, "kind", ""),) if getattr(cls, "kind", "") else ())
            if kind in kinds:
                return name
        return None
