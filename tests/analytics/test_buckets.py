"""Local calendar buckets: timezone parsing, DST days and hours, MongoDB's week numbers."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tessera.analytics.buckets import (
    Unit,
    buckets,
    mongo_weekday,
    parse_timezone,
    sunday_week,
)


def wall(year: int, month: int, day: int) -> datetime:
    """A local wall-clock time, naive as the buckets give it."""
    return datetime(year, month, day)  # noqa: DTZ001


def ms(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000)


@pytest.mark.parametrize(
    ("value", "offset"),
    [("+05:30", timedelta(hours=5, minutes=30)), ("-0300", timedelta(hours=-3)),
     ("+02", timedelta(hours=2)), ("+00:00", timedelta(0))],
)  # fmt: skip
def test_offsets_are_fixed_zones(value: str, offset: timedelta) -> None:
    assert parse_timezone(value) == timezone(offset)


def test_iana_names_are_zones() -> None:
    zone = parse_timezone("Europe/Rome")

    assert datetime(2024, 7, 1, tzinfo=zone).utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize(
    "value", ["Mars/Olympus", "+25:00", "+05:75", "", "../../etc/passwd", "Europe", "x" * 100]
)
def test_anything_else_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match=r"timezone|offset"):
        parse_timezone(value)


def test_a_day_when_clocks_go_back_lasts_25_hours() -> None:
    rome = parse_timezone("Europe/Rome")

    found = buckets(ms("2024-10-27T12:00:00"), ms("2024-10-27T12:00:00"), rome, Unit.DAY)

    assert [(b.start, b.end, b.local) for b in found] == [
        (ms("2024-10-26T22:00:00"), ms("2024-10-27T23:00:00"), wall(2024, 10, 27))
    ]


def test_an_hour_skipped_by_dst_has_no_bucket() -> None:
    rome = parse_timezone("Europe/Rome")

    found = buckets(ms("2024-03-30T23:00:00"), ms("2024-03-31T02:30:00"), rome, Unit.HOUR)

    assert [b.local.hour for b in found] == [0, 1, 3, 4]
    assert all(b.end - b.start == 3_600_000 for b in found)


def test_an_hour_that_happens_twice_is_one_bucket() -> None:
    rome = parse_timezone("Europe/Rome")

    found = buckets(ms("2024-10-26T23:00:00"), ms("2024-10-27T02:30:00"), rome, Unit.HOUR)

    assert [(b.local.hour, (b.end - b.start) // 60_000) for b in found] == [
        (1, 60),
        (2, 120),  # 02:00-03:00 summer time, then 02:00-03:00 winter time
        (3, 60),
    ]


def test_half_hour_offsets_start_hours_at_the_half_hour() -> None:
    found = buckets(ms("2024-05-01T10:00:00"), ms("2024-05-01T10:40:00"), timezone(
        timedelta(hours=5, minutes=30)), Unit.HOUR)  # fmt: skip

    assert [(b.start, b.local.hour) for b in found] == [
        (ms("2024-05-01T09:30:00"), 15),
        (ms("2024-05-01T10:30:00"), 16),
    ]


def test_weeks_start_on_sunday_and_on_the_first_of_a_month() -> None:
    found = buckets(ms("2024-09-30T12:00:00"), ms("2024-10-07T12:00:00"), UTC, Unit.WEEK)

    assert [b.local.date() for b in found] == [
        date(2024, 9, 29),  # Sunday
        date(2024, 10, 1),  # Tuesday, a new month
        date(2024, 10, 6),  # Sunday
    ]


def test_months_follow_the_calendar() -> None:
    found = buckets(ms("2024-01-31T00:00:00"), ms("2024-03-01T00:00:00"), UTC, Unit.MONTH)

    assert [(b.local.date(), (b.end - b.start) // 86_400_000) for b in found] == [
        (date(2024, 1, 1), 31),
        (date(2024, 2, 1), 29),
        (date(2024, 3, 1), 31),
    ]


def test_week_numbers_are_strftime_u() -> None:
    day = wall(2020, 12, 20)
    for _ in range(800):
        assert sunday_week(day) == int(day.strftime("%U")), day
        day += timedelta(days=1)


def test_weekdays_count_from_sunday() -> None:
    assert [mongo_weekday(wall(2024, 9, day)) for day in range(1, 8)] == [1, 2, 3, 4, 5, 6, 7]
