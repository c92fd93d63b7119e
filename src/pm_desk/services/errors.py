"""The errors a service raises; each message is a sentence a person can act on."""

from __future__ import annotations

from dataclasses import dataclass


class ServiceError(Exception):
    """Base of every refusal a service makes. `str(error)` is shown to the user as is."""


class PermissionDenied(ServiceError):
    """The acting user's role or caseload does not allow the action (audited)."""

    def __init__(self, message: str, record_kind: str | None = None, record_id: str | None = None) -> None:
        super().__init__(message)
        self.record_kind = record_kind
        self.record_id = record_id


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    """The record changed since it was read, or the change collides with another record."""


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ValidationError(ServiceError):
    """One or more fields are wrong; `problems` names each field, for display next to it."""

    def __init__(self, problems: list[FieldProblem] | FieldProblem) -> None:
        self.problems = [problems] if isinstance(problems, FieldProblem) else list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    def for_field(self, field: str) -> str | None:
        return next((p.message for p in self.problems if p.field == field), None)


class Problems:
    """Collects field problems so a form shows all of them at once, not the first alone."""

    def __init__(self) -> None:
        self.items: list[FieldProblem] = []

    def add(self, field: str, message: str) -> None:
        self.items.append(FieldProblem(field, message))

    def require(self, field: str, value: object, label: str | None = None) -> None:
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add(field, f"{label or field.replace('_', ' ')} is required")

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationError(self.items)


def field_error(field: str, message: str) -> ValidationError:
    """A validation error about one field."""
    return ValidationError(FieldProblem(field, message))
