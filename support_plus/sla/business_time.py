"""Business time: working hours minus holidays, in an SLA's own timezone. Pure Python, no database.

A `Calendar` measures time as *business seconds since a fixed epoch*, `B(t)`, from per-day prefix sums.
Each working window is a local wall-clock interval of the calendar's timezone, turned into absolute time
on its own date, so a day that changes to or from daylight saving time counts exactly the absolute time
its windows cover. With `B`, durations and deadlines are plain arithmetic:

- business time between a and b:      B(b) - B(a)
- deadline of d business seconds:     B⁻¹(B(start) + d)

and an SLA clock is one number per ticket (its origin, `B(start)` plus the business time paused), which
the sweep compares with `B(now)` in SQL (see support_plus.sla.engine).
"""

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

EPOCH = date(2015, 1, 1)  # tickets older than this count from here
LAST_DAY = date(2200, 1, 1)  # a calendar with no working time left before this has no deadline


class NoBusinessTime(Exception):
	"""The calendar has no working time left to reach the requested business time."""


@dataclass
class Calendar:
	"""Working windows per weekday (Monday = 0) as local times, holidays as local dates."""

	timezone: str
	windows: dict[int, list[tuple[time, time]]]
	holidays: frozenset[date] = frozenset()
	_tz: ZoneInfo = field(init=False, repr=False)
	_prefix: list[float] = field(init=False, repr=False)
	_days: dict = field(init=False, repr=False)

	def __post_init__(self):
		self._tz = ZoneInfo(self.timezone)
		self._prefix = [0.0]  # _prefix[i]: business seconds in the days before EPOCH + i
		self._days = {}  # local date -> its absolute intervals (the sweep asks for the same days often)

	# -- absolute time is a POSIX timestamp (float seconds) ------------------------------------------

	def day_windows(self, day: date) -> list[tuple[float, float]]:
		"""The absolute intervals a local date contributes."""
		cached = self._days.get(day)
		if cached is None:
			cached = self._days[day] = self._day_windows(day)
		return cached

	def _day_windows(self, day: date) -> list[tuple[float, float]]:
		if day in self.holidays:
			return []
		out = []
		for start, end in self.windows.get(day.weekday(), ()):
			a = datetime.combine(day, start, self._tz).timestamp()
			b = datetime.combine(day, end, self._tz).timestamp()
			if b > a:
				out.append((a, b))
		return out

	def _extend_to(self, index: int) -> None:
		prefix = self._prefix
		while len(prefix) <= index + 1:
			day = EPOCH + timedelta(days=len(prefix) - 1)
			prefix.append(prefix[-1] + sum(b - a for a, b in self._day_windows(day)))

	def _local_day_index(self, ts: float) -> int:
		return (datetime.fromtimestamp(ts, self._tz).date() - EPOCH).days

	def business_seconds(self, ts: float) -> float:
		"""B(ts): business seconds from the epoch to the instant ts."""
		index = self._local_day_index(ts)
		if index < 0:
			return 0.0
		self._extend_to(index)
		day = EPOCH + timedelta(days=index)
		return self._prefix[index] + sum(min(max(ts - a, 0.0), b - a) for a, b in self.day_windows(day))

	def instant_at(self, business: float) -> float:
		"""B⁻¹: the first instant at which B reaches `business`."""
		if business <= 0:
			return datetime.combine(EPOCH, time(), self._tz).timestamp()
		prefix = self._prefix
		while prefix[-1] < business:
			if EPOCH + timedelta(days=len(prefix)) > LAST_DAY:
				raise NoBusinessTime
			self._extend_to(len(prefix) + 365)
		day_index = bisect.bisect_left(prefix, business) - 1  # prefix[i] < business <= prefix[i + 1]
		remaining = business - prefix[day_index]
		for a, b in self.day_windows(EPOCH + timedelta(days=day_index)):
			if remaining <= b - a:
				return a + remaining
			remaining -= b - a
		raise AssertionError("prefix sums and day windows disagree")  # pragma: no cover

	def between(self, start: float, end: float) -> float:
		return max(0.0, self.business_seconds(end) - self.business_seconds(start))

	def deadline(self, start: float, seconds: float, pauses: Iterable[tuple[float, float]] = ()) -> float:
		"""When `seconds` of business time have passed since `start`, not counting the (closed) pauses."""
		paused = sum(self.between(a, b) for a, b in pauses)
		return self.instant_at(self.business_seconds(start) + paused + seconds)


def to_timestamp(value: datetime, timezone: str) -> float:
	"""A naive site datetime (in the site's timezone) as an absolute timestamp."""
	return value.replace(tzinfo=ZoneInfo(timezone)).timestamp()


def from_timestamp(ts: float, timezone: str) -> datetime:
	"""An absolute timestamp as a naive site datetime, to the second."""
	return datetime.fromtimestamp(round(ts), ZoneInfo(timezone)).replace(tzinfo=None)
