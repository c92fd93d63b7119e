"""The sizes of the demo data sets (DESIGN.md, Scale)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    field_offices: int
    managers: int
    agreements: int
    officers: int
    transfers: int
    oncall_years: int
    staff: int = 2

    @property
    def oncall_days(self) -> int:
        return 365 * self.oncall_years


SCALES: dict[str, Scale] = {
    "small": Scale(
        "small", field_offices=1, managers=4, agreements=12, officers=150, transfers=2_000, oncall_years=1
    ),
    "program": Scale(
        "program",
        field_offices=8,
        managers=40,
        agreements=1_200,
        officers=25_000,
        transfers=200_000,
        oncall_years=2,
    ),
    "large": Scale(
        "large",
        field_offices=25,
        managers=200,
        agreements=2_000,
        officers=60_000,
        transfers=1_000_000,
        oncall_years=3,
    ),
}


def scale_named(name: str) -> Scale:
    try:
        return SCALES[name]
    except KeyError:
        known = ", ".join(SCALES)
        raise ValueError(f"unknown demo scale {name!r} (known: {known})") from None
