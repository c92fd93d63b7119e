"""Natural keys: state codes, agency-name normalization, A-numbers and ORIs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pm_desk.domain.keys import (
    US_STATES,
    clean_name,
    instant_key,
    is_valid_a_number,
    join_key,
    mask_a_number,
    normalize_name,
    ori_problem,
    state_code,
)

# --- state codes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("FL", "FL"),
        ("fl", "FL"),
        (" fl ", "FL"),
        ("florida", "FL"),
        ("FLORIDA", "FL"),
        (" Florida ", "FL"),
        ("Florida\t", "FL"),
        ("new  york", "NY"),
        ("North Carolina", "NC"),
        ("District of Columbia", "DC"),
        ("puerto rico", "PR"),
        ("TX", "TX"),
    ],
)
def test_state_code_accepts_codes_and_names(value: str, code: str) -> None:
    assert state_code(value) == code


@pytest.mark.parametrize(
    "value", ["XX", "", "   ", "F", "FLA", "Flor", "Floridaa", "F L", "North-Carolina", "Fl."]
)
def test_state_code_rejects_anything_else(value: str) -> None:
    assert state_code(value) is None


def test_every_state_name_maps_back_to_its_code() -> None:
    assert len(US_STATES) == 57  # 50 states, DC and the territories
    for code, name in US_STATES.items():
        assert state_code(code) == code
        assert state_code(name.title()) == code


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [
        ("Calhoun County Sheriff’s Office ", "Calhoun County Sheriff's Office"),
        ("  Polk   County\tSheriff‘s  Office\n", "Polk County Sheriff's Office"),
        ("O`Brien County", "O'Brien County"),
        ("Pe\u0301rez Police", "P\u00e9rez Police"),  # combining accent composed (NFC)
        ("Already Clean", "Already Clean"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_clean_name(value: str, cleaned: str) -> None:
    assert clean_name(value) == cleaned


def test_clean_name_keeps_case() -> None:
    assert clean_name("DeKalb County") == "DeKalb County"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Calhoun County Sheriff’s Office ", "Calhoun County Sheriff's Office"),
        ("CALHOUN COUNTY SHERIFF'S OFFICE", "calhoun county sheriff’s office"),
        ("Calhoun  County Sheriff's\u00a0Office", "Calhoun County Sheriff's Office"),
        ("Pe\u0301rez Police", "P\u00c9REZ POLICE"),
    ],
)
def test_names_that_are_one_agency(first: str, second: str) -> None:
    assert normalize_name(first) == normalize_name(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Calhoun County Sheriff's Office", "Calhoun County Sheriffs Office"),
        ("Polk County Sheriff's Office", "Polk County Jail"),
        ("Lee County", "Leon County"),
    ],
)
def test_names_that_are_not(first: str, second: str) -> None:
    assert normalize_name(first) != normalize_name(second)


words = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéÉñÑ.-&'"), min_size=1
)
names = st.lists(words, min_size=1, max_size=6)
PROPERTY = settings(max_examples=300)


@PROPERTY
@given(value=st.text())
def test_normalize_and_clean_are_idempotent(value: str) -> None:
    assert normalize_name(normalize_name(value)) == normalize_name(value)
    assert clean_name(clean_name(value)) == clean_name(value)


@PROPERTY
@given(value=st.text())
def test_cleaned_names_have_no_curly_apostrophes_or_stray_spaces(value: str) -> None:
    cleaned = clean_name(value)
    assert "\u2019" not in cleaned and "\u2018" not in cleaned
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned


@PROPERTY
@given(parts=names, quotes=st.lists(st.sampled_from(["'", "\u2019", "\u2018", "`"]), min_size=1))
def test_normalize_ignores_the_kind_of_apostrophe(parts: list[str], quotes: list[str]) -> None:
    straight = " ".join(parts)
    curly = "".join(quotes[i % len(quotes)] if ch == "'" else ch for i, ch in enumerate(straight))
    assert normalize_name(curly) == normalize_name(straight)


@PROPERTY
@given(
    parts=names,
    separators=st.lists(st.sampled_from([" ", "  ", "\t", " \u00a0 ", "\n"]), min_size=1),
    lead=st.sampled_from(["", " ", "\t  "]),
    trail=st.sampled_from(["", " ", "  \n"]),
)
def test_normalize_ignores_extra_spaces(
    parts: list[str], separators: list[str], lead: str, trail: str
) -> None:
    spaced = (
        lead
        + "".join(p + separators[i % len(separators)] for i, p in enumerate(parts[:-1]))
        + parts[-1]
        + trail
    )
    assert normalize_name(spaced) == normalize_name(" ".join(parts))


@PROPERTY
@given(parts=names)
def test_normalize_ignores_case(parts: list[str]) -> None:
    name = " ".join(parts)
    assert normalize_name(name.upper()) == normalize_name(name.lower()) == normalize_name(name.swapcase())


# --- A-numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["A12345678", "A123456789", "A00000000", "A000000000"])
def test_valid_a_numbers(value: str) -> None:
    assert is_valid_a_number(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "A",
        "A1234567",  # 7 digits
        "A1234567890",  # 10 digits
        "12345678",
        "123456789",
        "a12345678",
        "AA12345678",
        "A-12345678",
        "A 12345678",
        "A1234 5678",
        " A12345678",
        "A12345678 ",
        "A12345678\n",
        "A1234567X",
        "A\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668",  # Arabic-Indic digits
        "A\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18",  # full-width digits
    ],
)
def test_invalid_a_numbers(value: str) -> None:
    assert not is_valid_a_number(value)


@settings(max_examples=300)
@given(digits=st.text(alphabet="0123456789", min_size=0, max_size=12))
def test_a_number_is_a_and_eight_or_nine_digits(digits: str) -> None:
    assert is_valid_a_number("A" + digits) is (len(digits) in (8, 9))


@pytest.mark.parametrize(
    ("value", "masked"),
    [("A123456789", "A•••••6789"), ("A12345678", "A•••••5678"), (None, ""), ("", "")],
)
def test_mask_a_number_shows_only_the_last_four(value: str | None, masked: str) -> None:
    assert mask_a_number(value) == masked


# --- ORIs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("ori", "state"), [("FL0130000", "FL"), ("TX2270000", "TX"), ("GA033015C", "GA")])
def test_valid_ori(ori: str, state: str) -> None:
    assert ori_problem(ori, state) is None


@pytest.mark.parametrize(
    "ori",
    [
        "FL013000",
        "FL01300000",
        "fl0130000",
        "FL-130000",
        "F10130000",
        "FL013 000",
        "",
        "FL0130000 ",
        "1L0130000",
    ],
)
def test_malformed_ori(ori: str) -> None:
    assert ori_problem(ori, "FL") == "must be 9 letters or digits, starting with the two-letter state code"


def test_ori_of_another_state() -> None:
    assert ori_problem("GA0330000", "FL") == "must start with the agency's state code FL"


# --- keys -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "key"),
    [
        (datetime(2026, 10, 31, 14, 5, tzinfo=UTC), "2026-10-31T14:05:00Z"),
        (
            datetime(2026, 10, 31, 10, 5, 30, 999, tzinfo=timezone(timedelta(hours=-4))),
            "2026-10-31T14:05:30Z",
        ),
        (datetime(2024, 2, 29, 23, 0, tzinfo=timezone(timedelta(hours=-2))), "2024-03-01T01:00:00Z"),
    ],
)
def test_instant_key_is_utc_to_the_second(instant: datetime, key: str) -> None:
    assert instant_key(instant) == key


def test_join_key() -> None:
    assert join_key("FL", "Calhoun County Sheriff's Office", "jail_enforcement") == (
        "FL|Calhoun County Sheriff's Office|jail_enforcement"
    )
    assert join_key("FL", None, 12) == "FL||12"
