"""Natural keys, name normalization and identifier checks of the interchange tables."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime

US_STATES: dict[str, str] = {
    "AL": "ALABAMA", "AK": "ALASKA", "AZ": "ARIZONA", "AR": "ARKANSAS", "CA": "CALIFORNIA",
    "CO": "COLORADO", "CT": "CONNECTICUT", "DE": "DELAWARE", "DC": "DISTRICT OF COLUMBIA",
    "FL": "FLORIDA", "GA": "GEORGIA", "HI": "HAWAII", "ID": "IDAHO", "IL": "ILLINOIS",
    "IN": "INDIANA", "IA": "IOWA", "KS": "KANSAS", "KY": "KENTUCKY", "LA": "LOUISIANA",
    "ME": "MAINE", "MD": "MARYLAND", "MA": "MASSACHUSETTS", "MI": "MICHIGAN", "MN": "MINNESOTA",
    "MS": "MISSISSIPPI", "MO": "MISSOURI", "MT": "MONTANA", "NE": "NEBRASKA", "NV": "NEVADA",
    "NH": "NEW HAMPSHIRE", "NJ": "NEW JERSEY", "NM": "NEW MEXICO", "NY": "NEW YORK",
    "NC": "NORTH CAROLINA", "ND": "NORTH DAKOTA", "OH": "OHIO", "OK": "OKLAHOMA", "OR": "OREGON",
    "PA": "PENNSYLVANIA", "RI": "RHODE ISLAND", "SC": "SOUTH CAROLINA", "SD": "SOUTH DAKOTA",
    "TN": "TENNESSEE", "TX": "TEXAS", "UT": "UTAH", "VT": "VERMONT", "VA": "VIRGINIA",
    "WA": "WASHINGTON", "WV": "WEST VIRGINIA", "WI": "WISCONSIN", "WY": "WYOMING",
    "AS": "AMERICAN SAMOA", "GU": "GUAM", "MP": "NORTHERN MARIANA ISLANDS", "PR": "PUERTO RICO",
    "VI": "VIRGIN ISLANDS", "UM": "UNITED STATES MINOR OUTLYING ISLANDS",
}  # fmt: skip
_STATE_BY_NAME = {name: code for code, name in US_STATES.items()}
_SPACES = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
# ASCII digits only: `\d` would also take Arabic-Indic, Devanagari and other Unicode digits.
_A_NUMBER = re.compile(r"A[0-9]{8,9}")
# A masked A-number as `mask_a_number` writes it (or typed with stars or x's): only its tail.
_MASKED_A_NUMBER = re.compile(r"A[•*X]{3,7}([0-9]{4})")
_ORI = re.compile(r"[A-Z]{2}[A-Z0-9]{7}")


def state_code(value: str) -> str | None:
    """The USPS code for a code or a full state name in any case; None when it is neither."""
    text = _SPACES.sub(" ", value.strip()).upper()
    if text in US_STATES:
        return text
    return _STATE_BY_NAME.get(text)


def clean_name(value: str) -> str:
    """A name as stored: trimmed, inner spaces collapsed, curly apostrophes made straight."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value).translate(_APOSTROPHES)).strip()


def normalize_name(value: str) -> str:
    """The form two agency names are compared in: cleaned and case-folded."""
    return clean_name(value).casefold()


def is_valid_a_number(value: str) -> bool:
    return _A_NUMBER.fullmatch(value) is not None


def mask_a_number(value: str | None) -> str:
    """An A-number shown in a list: only its last four digits."""
    if not value:
        return ""
    return "A•••••" + value[-4:]


def mask_from_tail(last4: str | None) -> str:
    """The masked form of an A-number known by its last four digits."""
    return "A•••••" + last4 if last4 else ""


def masked_tail(value: str) -> str | None:
    """The last four digits a masked A-number shows (`A•••••1234`, upper case, no spaces or
    dashes), or None when `value` is not a masked A-number."""
    found = _MASKED_A_NUMBER.fullmatch(value)
    return found.group(1) if found else None


def ori_problem(ori: str, state: str) -> str | None:
    """Why an ORI is not valid for an agency of `state`, or None when it is."""
    if _ORI.fullmatch(ori) is None:
        return "must be 9 letters or digits, starting with the two-letter state code"
    if ori[:2] != state:
        return f"must start with the agency's state code {state}"
    return None


def instant_key(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def join_key(*parts: object) -> str:
    return "|".join("" if p is None else str(p) for p in parts)
