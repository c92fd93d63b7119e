"""The friendly side of recurrence: what the repeat picker offers, as RRULE text and in words.

A `RepeatChoice` is what a person picks (daily, weekly on some days, monthly on a day or on the
nth weekday, yearly; ending never, after N times or on a date); `to_rule` writes it as an RFC
5545 RRULE and `from_rule` reads one back when the picker can show it. `describe` says any rule
in a sentence, so a list never shows `FREQ=MONTHLY;BYDAY=3TU` to someone who did not type it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from pm_desk.domain.recurrence import RecurrenceError, rule_parts

FREQUENCIES = ("daily", "weekly", "monthly", "yearly")
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
_UNITS = {"daily": "day", "weekly": "week", "monthly": "month", "yearly": "year"}


@dataclass(frozen=True)
class RepeatChoice:
    frequency: str = "weekly"  # daily, weekly, monthly, yearly
    interval: int = 1
    weekdays: tuple[int, ...] = ()  # weekly: 0 = Monday … 6 = Sunday
    monthly_by: str = "weekday"  # monthly: "day" (a day of the month) or "weekday" (the nth weekday)
    month_day: int = 1  # monthly by day and yearly: 1–31, or −1 for the last day
    nth: int = 1  # monthly by weekday: 1–5, or −1 for the last
    weekday: int = 0  # monthly by weekday
    month: int = 1  # yearly: 1–12
    ends: str = "never"  # never, after, on
    count: int = 10
    until: date | None = None

    def problem(self) -> str | None:
        """Why this choice cannot be a rule, in words, or None."""
        if self.frequency not in FREQUENCIES:
            return f"{self.frequency!r} is not daily, weekly, monthly or yearly"
        if not 1 <= self.interval <= 1000:
            return "repeat every 1 to 1,000 periods"
        if self.frequency == "weekly" and not self.weekdays:
            return "choose at least one day of the week"
        if not (1 <= abs(self.month_day) <= 31) or self.month_day < -1:
            return "the day of the month must be 1–31 or the last day"
        if self.nth not in ORDINALS or not 0 <= self.weekday <= 6:
            return "choose which weekday of the month"
        if self.ends == "after" and not 1 <= self.count <= 10_000:
            return "end after 1 to 10,000 times"
        if self.ends == "on" and self.until is None:
            return "choose the last date"
        if self.ends not in {"never", "after", "on"}:
            return f"{self.ends!r} is not never, after or on"
        return None


def default_choice(start: datetime, frequency: str = "weekly") -> RepeatChoice:
    """The choice a picker opens with for a reminder starting at `start` (a local time)."""
    nth = (start.day - 1) // 7 + 1
    return RepeatChoice(
        frequency=frequency,
        weekdays=(start.weekday(),),
        monthly_by="weekday",
        month_day=start.day,
        nth=-1 if nth == 5 else nth,
        weekday=start.weekday(),
        month=start.month,
    )


def to_rule(choice: RepeatChoice) -> str:
    """The RRULE of a choice (UNTIL as a bare date: the end of that day in the reminder's zone)."""
    problem = choice.problem()
    if problem:
        raise RecurrenceError(problem)
    parts = [f"FREQ={choice.frequency.upper()}"]
    if choice.interval != 1:
        parts.append(f"INTERVAL={choice.interval}")
    if choice.frequency == "weekly":
        parts.append("BYDAY=" + ",".join(DAY_CODES[d] for d in sorted(set(choice.weekdays))))
    elif choice.frequency == "monthly" and choice.monthly_by == "day":
        parts.append(f"BYMONTHDAY={choice.month_day}")
    elif choice.frequency == "monthly":
        parts.append(f"BYDAY={choice.nth}{DAY_CODES[choice.weekday]}")
    elif choice.frequency == "yearly":
        parts.append(f"BYMONTH={choice.month};BYMONTHDAY={choice.month_day}")
    if choice.ends == "after":
        parts.append(f"COUNT={choice.count}")
    elif choice.ends == "on" and choice.until is not None:
        parts.append(f"UNTIL={choice.until.strftime('%Y%m%d')}")
    return ";".join(parts)


def from_rule(
    rule: str, until_local: date | None = None, base: RepeatChoice | None = None
) -> RepeatChoice | None:
    """The picker's choice for a rule, or None when the picker cannot show it (a custom rule).

    `until_local` is the rule's UNTIL as a local date, which only the caller (who knows the zone)
    can tell; what the rule does not say is taken from `base` (the picker's defaults)."""
    try:
        values = dict(rule_parts(rule))
    except RecurrenceError:
        return None
    freq = values.pop("FREQ", "").lower()
    if freq not in FREQUENCIES:
        return None
    choice = replace(base or RepeatChoice(), frequency=freq, interval=1, ends="never", until=None)
    try:
        choice = replace(choice, interval=int(values.pop("INTERVAL", "1")))
        if "COUNT" in values:
            choice = replace(choice, ends="after", count=int(values.pop("COUNT")))
        if "UNTIL" in values:
            values.pop("UNTIL")
            if until_local is None:
                return None
            choice = replace(choice, ends="on", until=until_local)
        values.pop("WKST", None)
        picked = _pattern(choice, values)
    except (ValueError, IndexError):
        return None
    if picked is None or picked.problem():
        return None
    return picked


def _pattern(choice: RepeatChoice, values: dict[str, str]) -> RepeatChoice | None:
    byday = values.pop("BYDAY", None)
    bymonthday = values.pop("BYMONTHDAY", None)
    bymonth = values.pop("BYMONTH", None)
    if values:  # BYSETPOS, BYHOUR…: more than the picker offers
        return None
    if choice.frequency == "daily":
        return choice if byday is None and bymonthday is None and bymonth is None else None
    if choice.frequency == "weekly":
        if byday is None or bymonthday or bymonth or any(len(d) != 2 for d in byday.split(",")):
            return None
        return replace(choice, weekdays=tuple(DAY_CODES.index(d) for d in byday.split(",")))
    if choice.frequency == "monthly" and bymonth is None:
        if bymonthday is not None and byday is None and "," not in bymonthday:
            return replace(choice, monthly_by="day", month_day=int(bymonthday))
        if byday is not None and bymonthday is None and "," not in byday and len(byday) > 2:
            return replace(
                choice, monthly_by="weekday", nth=int(byday[:-2]), weekday=DAY_CODES.index(byday[-2:])
            )
        return None
    if choice.frequency == "yearly" and byday is None and bymonth and bymonthday:
        if "," in bymonth or "," in bymonthday:
            return None
        return replace(choice, month=int(bymonth), month_day=int(bymonthday))
    return None


def describe(rule: str | None, until_local: date | None = None) -> str:
    """A rule in words: "Monthly on the third Tuesday", "Every 2 weeks on Monday and Friday"."""
    if not rule:
        return "Does not repeat"
    choice = from_rule(rule, until_local)
    if choice is None:
        return f"Custom: {rule}"
    unit = _UNITS[choice.frequency]
    head = choice.frequency.capitalize() if choice.interval == 1 else f"Every {choice.interval} {unit}s"
    if choice.frequency == "weekly":
        days = [DAY_NAMES[d] for d in sorted(set(choice.weekdays))]
        head += " on " + _join(days)
    elif choice.frequency == "monthly" and choice.monthly_by == "day":
        head += " on the last day" if choice.month_day == -1 else f" on day {choice.month_day}"
    elif choice.frequency == "monthly":
        head += f" on the {ORDINALS[choice.nth]} {DAY_NAMES[choice.weekday]}"
    elif choice.frequency == "yearly":
        day = "the last day of" if choice.month_day == -1 else f"{choice.month_day}"
        head += f" on {day} {MONTH_NAMES[choice.month - 1]}"
    if choice.ends == "after":
        head += ", once" if choice.count == 1 else f", {choice.count} times"
    elif choice.ends == "on" and choice.until is not None:
        head += f", until {choice.until.isoformat()}"
    return head


def _join(words: list[str]) -> str:
    if len(words) <= 2:
        return " and ".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
