"""What is wrong with an input, said as `file:line: column: what is wrong`."""

from __future__ import annotations

from dataclasses import dataclass, field

# Values quoted in a message are cut to this many characters: a 10 MB cell is not echoed.
SHOWN = 40


def shown(value: object) -> str:
    """A value quoted for a message, short and on one line."""
    text = str(value).replace("\r", " ").replace("\n", " ")
    if len(text) > SHOWN:
        text = text[:SHOWN] + "…"
    return repr(text)


@dataclass(frozen=True, order=True)
class RowProblem:
    source: str  # a file name, or `book.xlsx[sheet]`
    line: int  # 0: the file as a whole
    column: str  # "" when the problem is not about one column
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


@dataclass
class Findings:
    """The problems (which stop an import) and notes (which do not) met while reading a set."""

    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def problem(self, source: str, line: int, column: str, message: str) -> None:
        self.problems.append(RowProblem(source, line, column, message))

    def note(self, message: str) -> None:
        self.notes.append(message)

    def extend(self, other: Findings) -> None:
        self.problems.extend(other.problems)
        self.notes.extend(other.notes)
