"""Undo and redo of edits in the session: each step starts an operation (itself audited)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand


class ServiceCommand(QUndoCommand):
    """An edit already made by an operation; undo and redo start operations that take it back or
    make it again (each runs on the database worker and is audited like any write)."""

    def __init__(self, text: str, redo: Callable[[], None], undo: Callable[[], None]) -> None:
        super().__init__(text)
        self._redo = redo
        self._undo = undo
        self._first = True

    def redo(self) -> None:
        if self._first:  # the edit was made before the command was pushed
            self._first = False
            return
        self._redo()

    def undo(self) -> None:
        self._undo()
