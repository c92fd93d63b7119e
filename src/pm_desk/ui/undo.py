"""Undo and redo of edits in the session: each step is a pair of service calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand


class ServiceCommand(QUndoCommand):
    """An edit already made by a service; undo and redo call services again (each audited)."""

    def __init__(
        self,
        text: str,
        redo: Callable[[], Any],
        undo: Callable[[], Any],
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(text)
        self._redo = redo
        self._undo = undo
        self._on_error = on_error
        self._first = True

    def redo(self) -> None:
        if self._first:  # the edit was made before the command was pushed
            self._first = False
            return
        self._run(self._redo)

    def undo(self) -> None:
        self._run(self._undo)

    def _run(self, action: Callable[[], Any]) -> None:
        from pm_desk.services.errors import ServiceError

        try:
            action()
        except ServiceError as exc:
            self.setObsolete(True)
            if self._on_error is not None:
                self._on_error(str(exc))
