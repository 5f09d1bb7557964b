import pytest

from app.data.calendar import seed_adjustments, seed_years
from app.domain.calendar import CalendarSnapshot, build_snapshot


@pytest.fixture(scope="session")
def calendar() -> CalendarSnapshot:
    """The shipped calendar: statutory holidays plus the seeded official swaps."""
    return build_snapshot(seed_adjustments(), seed_years(), revision=1)
