"""Business-time arithmetic, checked against a deliberately simple minute-by-minute reference."""

from datetime import date, datetime, time, timedelta, timezone
from typing import ClassVar
from unittest import TestCase
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support_plus.sla.business_time import Calendar, from_timestamp, to_timestamp

TIMEZONES = [
	"UTC",
	"America/New_York",
	"Europe/Berlin",
	"Asia/Kolkata",
	"Asia/Kathmandu",
	"Australia/Adelaide",
]
MINUTE = 60


def reference_deadline(calendar_tz, windows, holidays, start, minutes, pauses):
	"""Walk minute by minute from `start` (UTC, on a minute) and count the minutes that are working time
	in the calendar's local time, not on a holiday and not paused; the deadline is the end of the minute
	that completes `minutes`."""
	tz = ZoneInfo(calendar_tz)
	counted, t = 0, start
	if minutes == 0:
		return start
	while True:
		local = t.astimezone(tz)
		working = local.date() not in holidays and any(
			a <= local.time() < b for a, b in windows.get(local.weekday(), ())
		)
		paused = any(p0 <= t < p1 for p0, p1 in pauses)
		if working and not paused:
			counted += 1
			if counted == minutes:
				return t + timedelta(minutes=1)
		t += timedelta(minutes=1)


def minutes_of_day(minute: int) -> time:
	return time(minute // 60, minute % 60)


@st.composite
def calendars(draw):
	windows = {}
	for weekday in draw(st.sets(st.integers(0, 6), min_size=1, max_size=7)):
		start = draw(st.integers(0, 22 * 60))
		end = draw(st.integers(start + 30, min(start + 14 * 60, 23 * 60 + 59)))
		windows[weekday] = [(minutes_of_day(start), minutes_of_day(end))]
	first_day = date(2026, 3, 1)
	holidays = frozenset(first_day + timedelta(days=d) for d in draw(st.sets(st.integers(0, 40), max_size=6)))
	return draw(st.sampled_from(TIMEZONES)), windows, holidays


class TestBusinessTimeProperties(TestCase):
	@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
	@given(
		calendar=calendars(),
		start_minute=st.integers(0, 20 * 24 * 60),
		minutes=st.integers(1, 3 * 9 * 60),
		pause_specs=st.lists(st.tuples(st.integers(0, 6 * 24 * 60), st.integers(1, 2 * 24 * 60)), max_size=3),
	)
	def test_deadline_matches_the_minute_by_minute_reference(
		self, calendar, start_minute, minutes, pause_specs
	):
		tz, windows, holidays = calendar
		# March 2026 crosses daylight saving time in New York (8th), Berlin (29th) and Adelaide (April 5th).
		start = datetime(2026, 3, 1, tzinfo=timezone.utc) + timedelta(minutes=start_minute)
		pauses = sorted(
			(start + timedelta(minutes=offset), start + timedelta(minutes=offset + length))
			for offset, length in pause_specs
		)
		merged = []  # the engine gets pauses that do not overlap, as a ticket's history has them
		for a, b in pauses:
			if merged and a <= merged[-1][1]:
				merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
			else:
				merged.append((a, b))
		expected = reference_deadline(tz, windows, holidays, start, minutes, merged)
		# The engine adds the paused business time up front: the same as the reference whenever the
		# pauses end before the deadline, which is how an SLA uses it (a running pause has no deadline).
		if merged and merged[-1][1] > expected:
			return
		cal = Calendar(tz, windows, holidays)
		got = cal.deadline(
			start.timestamp(), minutes * MINUTE, [(a.timestamp(), b.timestamp()) for a, b in merged]
		)
		self.assertAlmostEqual(
			got, expected.timestamp(), delta=0.001, msg=(tz, windows, holidays, start, merged)
		)

	@settings(max_examples=40, deadline=None)
	@given(calendar=calendars(), a=st.integers(0, 30 * 24 * 60), span=st.integers(0, 10 * 24 * 60))
	def test_business_time_between_counts_working_minutes(self, calendar, a, span):
		tz, windows, holidays = calendar
		start = datetime(2026, 3, 1, tzinfo=timezone.utc) + timedelta(minutes=a)
		end = start + timedelta(minutes=span)
		zone, counted, t = ZoneInfo(tz), 0, start
		while t < end:
			local = t.astimezone(zone)
			if local.date() not in holidays and any(
				x <= local.time() < y for x, y in windows.get(local.weekday(), ())
			):
				counted += 1
			t += timedelta(minutes=1)
		cal = Calendar(tz, windows, holidays)
		self.assertAlmostEqual(cal.between(start.timestamp(), end.timestamp()), counted * MINUTE, delta=0.001)


class TestBusinessTimeExamples(TestCase):
	office: ClassVar = {d: [(time(9), time(18))] for d in range(5)}  # Monday to Friday, 09:00-18:00

	def test_outside_hours_starts_at_the_next_working_minute(self):
		cal = Calendar("Europe/Berlin", self.office)
		friday_evening = datetime(2026, 3, 6, 20, 0, tzinfo=ZoneInfo("Europe/Berlin")).timestamp()
		deadline = cal.deadline(friday_evening, 2 * 3600)
		self.assertEqual(
			datetime.fromtimestamp(deadline, ZoneInfo("Europe/Berlin")),
			datetime(2026, 3, 9, 11, 0, tzinfo=ZoneInfo("Europe/Berlin")),
		)

	def test_holidays_are_skipped(self):
		cal = Calendar("UTC", self.office, frozenset({date(2026, 3, 9)}))
		friday_5pm = datetime(2026, 3, 6, 17, 0, tzinfo=timezone.utc).timestamp()
		deadline = cal.deadline(friday_5pm, 2 * 3600)  # 1h on Friday, Monday is a holiday, 1h on Tuesday
		self.assertEqual(
			datetime.fromtimestamp(deadline, timezone.utc), datetime(2026, 3, 10, 10, 0, tzinfo=timezone.utc)
		)

	def test_site_and_calendar_timezones_meet_in_absolute_time(self):
		# A Kolkata support desk on a New York site: 09:00 IST Monday is 22:30 EST Sunday on the site.
		cal = Calendar("Asia/Kolkata", self.office)
		start = to_timestamp(datetime(2026, 3, 1, 22, 30), "America/New_York")  # Sunday evening, site time
		self.assertEqual(
			from_timestamp(cal.deadline(start, 3600), "America/New_York"), datetime(2026, 3, 1, 23, 30)
		)

	def test_exact_end_of_window(self):
		cal = Calendar("UTC", self.office)
		monday_9 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc).timestamp()
		self.assertEqual(
			datetime.fromtimestamp(cal.deadline(monday_9, 9 * 3600), timezone.utc),
			datetime(2026, 3, 2, 18, 0, tzinfo=timezone.utc),
		)
