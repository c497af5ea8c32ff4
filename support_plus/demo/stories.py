"""What happens to each demo ticket over the last two months: a plan of timed steps, made from a seed.

A real support month has tickets opened every working day (and a few at night and at weekends), first
answers within the SLA most of the time and late sometimes, customers who do not answer, parts that take
days, tickets that come back after they were resolved, ratings that are mostly good, and some
cancellations. `plan(i, now)` gives the i-th ticket its story; the loader plays each step at its own time
(`frappe.flags.current_time`), so every rule (SLA clocks, breaches, reopen counts, auto-close, ratings)
reacts as it would have on that day. Steps later than `now` have not happened yet: a recent ticket is
still Open or In Progress.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

DAYS = 60

# Mean hours to the first answer and to the fix, by priority (most within the SLA of data.SLA_HOURS).
RESPONSE_HOURS = {"Low": 10, "Medium": 5, "High": 1.5, "Critical": 0.4}
RESOLUTION_HOURS = {"Low": 60, "Medium": 30, "High": 10, "Critical": 3}


@dataclass
class Step:
	at: datetime
	action: str  # open, reply, work, wait_customer, customer_reply, parts, resolve, close, cancel, hold
	values: dict = field(default_factory=dict)


def plan(i: int, count: int, now: datetime) -> list[Step]:
	"""The i-th of `count` tickets: opened at a steady pace over the last DAYS days, its steps in order."""
	rng = random.Random(f"support_plus-demo-{i}")
	opened = _working_moment(now - timedelta(days=DAYS * (count - i) / count), rng)
	priority = rng.choices(("Low", "Medium", "High", "Critical"), weights=(3, 5, 2, 1))[0]
	late = rng.random() < 0.15  # about one ticket in seven misses a deadline
	steps = [Step(opened, "open", {"priority": priority})]
	if rng.random() < 0.06:
		return [*steps, Step(opened + timedelta(hours=rng.uniform(0.5, 6)), "cancel")]
	t = opened + _hours(RESPONSE_HOURS[priority] * (4 if late else 1), rng)
	steps.append(Step(t, "reply"))
	if rng.random() < 0.35:  # the team needs something from the customer
		t += _hours(2, rng)
		steps.append(Step(t, "wait_customer"))
		t += _hours(40, rng)
		steps.append(Step(t, "customer_reply"))
	t += _hours(1, rng)
	steps.append(Step(t, "work"))
	if rng.random() < 0.2:  # a part has to be ordered
		t += _hours(3, rng)
		steps.append(Step(t, "parts"))
		t += _hours(120, rng)
		steps.append(Step(t, "work"))
	if rng.random() < 0.15:  # the hard ones: a part from abroad, a customer who is away for weeks
		t += _hours(2, rng)
		steps.append(Step(t, rng.choice(("parts", "wait_customer"))))
		t += timedelta(days=rng.uniform(7, 45))
		steps.append(Step(t, "work"))
	t = max(t, opened + _hours(RESOLUTION_HOURS[priority] * (3 if late else 1), rng))
	steps.append(Step(t, "resolve"))
	if rng.random() < 0.1:  # it was not fixed after all
		t += _hours(24, rng)
		steps.append(Step(t, "customer_reply"))
		t += _hours(2, rng)
		steps.append(Step(t, "work"))
		t += _hours(RESOLUTION_HOURS[priority], rng)
		steps.append(Step(t, "resolve"))
	t += _hours(96, rng)  # most customers never confirm: Resolved until they do, or auto-close
	rating = rng.choices((5, 4, 3, 2, 1), weights=(50, 30, 10, 6, 4))[0] if rng.random() < 0.7 else None
	steps.append(Step(t, "close", {"rating": rating}))
	return steps


def _hours(mean: float, rng: random.Random) -> timedelta:
	return timedelta(hours=max(0.1, rng.expovariate(1 / mean)))


def _working_moment(day: datetime, rng: random.Random) -> datetime:
	"""Mostly a weekday between 08:00 and 18:00; one ticket in ten arrives at night or at the weekend."""
	if rng.random() >= 0.1:
		while day.weekday() >= 5:
			day -= timedelta(days=1)
		hour = rng.choices(range(8, 18), weights=(3, 6, 6, 5, 3, 3, 5, 4, 3, 2))[0]
	else:
		hour = rng.choice((6, 7, 19, 20, 21, 22))
	return day.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60), microsecond=0)
