from datetime import UTC, datetime

import pytest

from prep.accounts.days import day_start


@pytest.mark.parametrize(
    "now, tz, expected",
    [
        (datetime(2026, 11, 2, 3, 59, tzinfo=UTC), "UTC", datetime(2026, 11, 1, 4, tzinfo=UTC)),
        (datetime(2026, 11, 2, 4, 0, tzinfo=UTC), "UTC", datetime(2026, 11, 2, 4, tzinfo=UTC)),
        # 02:00 UTC is 18:00 the day before in Los Angeles (UTC-8 in November).
        (
            datetime(2026, 11, 2, 2, 0, tzinfo=UTC),
            "America/Los_Angeles",
            datetime(2026, 11, 1, 12, tzinfo=UTC),
        ),
    ],
)
def test_day_starts_at_the_rollover_hour_in_the_users_timezone(now, tz, expected):
    assert day_start(now, timezone=tz, rollover_hour=4) == expected
