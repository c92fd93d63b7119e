"""Which table holds each kind of record: the one map from `RecordKind` to its model.

Built from the mapped models' own `record_kind`, so a new model is found here by being imported
in `pm_desk.store.models`; nothing else keeps a list of kinds and models.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from pm_desk.domain.enums import RecordKind
from pm_desk.store.models.base import Base, Record


@cache
def models_by_kind() -> Mapping[RecordKind, type[Record]]:
    """Every record model by its kind (read once, after all models are imported)."""
    found: dict[RecordKind, type[Record]] = {}
    for mapper in Base.registry.mappers:
        model = mapper.class_
        if not issubclass(model, Record):
            continue
        if model.record_kind in found:
            raise TypeError(
                f"{model.__name__} and {found[model.record_kind].__name__} both say they hold "
                f"{model.record_kind.value} records"
            )
        found[model.record_kind] = model
    return found


def model_for(kind: RecordKind | str) -> type[Record]:
    """The model of a kind of record; `kind` may be the kind's name as text ("officer").

    Raises KeyError for a name that is no kind of record."""
    try:
        return models_by_kind()[RecordKind(kind)]
    except ValueError:
        raise KeyError(kind) from None
