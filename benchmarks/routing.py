"""Routing a new ticket on a busy site: `auto_assign` latency and the cost of routing every new ticket.

    ./scripts/benchmark.sh routing [--technicians N] [--teams T] [--tickets M] [--samples S]

Makes N technicians (default 500: users with only the Service Technician role, weekday working hours, two
skills each) in T teams (default 20), and M open tickets (default 100,000) assigned to them, bulk inserted
with their ToDos, then the load counters set by `recount` (one grouped query). Then:
- p50/p95 of `auto_assign` on S new tickets (default 200), each of a random team and skill;
- insert_overhead: the time to insert a ticket with Support Plus Settings' *Route New Tickets
  Automatically* on over the time with it off, each with what its commit then runs (the after-commit
  callbacks: with the switch on, queueing the routing job), alternating in rounds so both see the same
  machine state. The queued jobs are deleted again; the job itself is what p50/p95 measure.
Everything is rolled back (the routing's own COMMIT is not timed: the benchmark never commits; what that
commit empties and a later sample would search, the realtime messages to send, is emptied after each).
Targets on the 2-core machine: p95_ms <= 20, insert_overhead <= 1.5.
Last line: routing p50_ms=<n> p95_ms=<n> insert_overhead=<ratio>
"""

import argparse
import random
import statistics
import time

import click

import frappe
from frappe.utils import now_datetime
from frappe.utils.background_jobs import get_job

from support_plus.dispatch import assignment, auto_route, routing
from support_plus.dispatch.load import recount
from support_plus.tests.dispatch_fixtures import make_skill

SKILLS = ("Bench Networking", "Bench Printers", "Bench Cooling", "Bench Electrical")
LEVELS = ("Beginner", "Intermediate", "Expert")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ROUNDS = 10
BATCH = 5000


def run(args: list[str]) -> dict:
	parser = argparse.ArgumentParser(prog="routing")
	parser.add_argument("--technicians", type=int, default=500)
	parser.add_argument("--teams", type=int, default=20)
	parser.add_argument("--tickets", type=int, default=100_000)
	parser.add_argument("--samples", type=int, default=200)
	parser.add_argument("--profile", action="store_true", help="print where auto_assign spends its time")
	parser.add_argument(
		"--cold-roles", action="store_true", help="do not warm the technicians' roles (a cleared Redis)"
	)
	opts = parser.parse_args(args)
	# Not flags.in_test: Frappe then makes the assignee's notification (and its email) inline and commits.
	rng = random.Random(20261130)
	remove_leftovers()
	try:
		for skill in SKILLS:
			make_skill(skill)
		teams = make_technicians(opts.technicians, opts.teams, rng)
		make_assigned_tickets(opts.tickets, teams, rng)
		start = time.perf_counter()
		recount()
		click.echo(f"load counters set in {time.perf_counter() - start:.2f} s", err=True)
		if opts.profile:
			import cProfile
			import pstats

			profiler = cProfile.Profile()
		if opts.profile:
			warm_up(teams, roles=not opts.cold_roles)
			profiler.enable()
		latencies, decisions = time_auto_assign(
			opts.samples, teams, rng, warm=not opts.profile, roles=not opts.cold_roles
		)
		if opts.profile:
			profiler.disable()
			stats = pstats.Stats(profiler, stream=click.get_text_stream("stderr")).sort_stats("cumulative")
			stats.print_stats(45)
			stats.print_callees(r"assign_to.py.*\(assign\)|permissions.py:76|document.py.*\(insert\)")
			count_queries(teams, rng)
		overhead = insert_overhead(opts.samples, teams, rng)
	finally:
		frappe.db.rollback()
		frappe.db.after_commit.reset()
	click.echo(
		f"the routing decision alone (rank, rows locked): p50 {statistics.median(decisions):.2f} ms, "
		f"p95 {p95(decisions):.2f} ms; the rest of auto_assign is the assignment (ToDo and its hooks, share, notification)",
		err=True,
	)
	return {
		"p50_ms": round(statistics.median(latencies), 2),
		"p95_ms": round(p95(latencies), 2),
		"insert_overhead": round(overhead, 3),
	}


def count_queries(teams: list, rng: random.Random) -> None:
	"""SQL statements of one auto_assign, by its caller in support_plus or Frappe (profiling only)."""
	import traceback
	from collections import Counter

	issue = new_ticket(teams, rng, 999_999)
	callers: Counter = Counter()
	real_sql = frappe.db.sql

	def counting_sql(query, *args, **kwargs):
		frames = [
			f
			for f in traceback.extract_stack()[:-1]
			if not any(part in f.filename for part in ("/database/", "query_builder", "/model/document.py"))
		]
		where = " < ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.name}" for f in frames[-4:])
		callers[(str(query).split()[0].lower(), where)] += 1
		return real_sql(query, *args, **kwargs)

	frappe.db.sql = counting_sql
	try:
		assignment.auto_assign(issue)
	finally:
		frappe.db.sql = real_sql
	click.echo(f"auto_assign ran {sum(callers.values())} SQL statements:", err=True)
	for (verb, where), n in callers.most_common():
		click.echo(f"  {n:3d} {verb:8s} {where}", err=True)


def p95(values: list[float]) -> float:
	return sorted(values)[int(0.95 * (len(values) - 1))]


def remove_leftovers() -> None:
	"""What an interrupted run may have left (the run itself never commits)."""
	tickets = frappe.get_all(
		"Issue",
		or_filters={"name": ("like", "RBENCH%"), "subject": ("like", "New routing benchmark ticket%")},
		pluck="name",
	)
	for start in range(0, len(tickets), BATCH):
		chunk = tickets[start : start + BATCH]
		for doctype, field in (
			("ToDo", "reference_name"),
			("Comment", "reference_name"),
			("DocShare", "share_name"),
		):
			frappe.db.delete(doctype, {field: ("in", chunk)})
		frappe.db.delete("Issue", {"name": ("in", chunk)})
	like = "bench-tech-%@example.com"
	for doctype, field in (
		("Has Role", "parent"),
		("Service Technician Skill", "parent"),
		("Service Technician Working Hours", "parent"),
		("Support Team Member", "technician"),
		("Service Technician", "name"),
		("Notification Log", "for_user"),
		("Notification Settings", "name"),
		("User", "name"),
	):
		frappe.db.delete(doctype, {field: ("like", like)})
	frappe.db.delete("Support Team", {"name": ("like", "Bench Team %")})
	frappe.db.commit()  # nosemgrep: only leftovers of an earlier run are removed


def make_technicians(n: int, team_count: int, rng: random.Random) -> list[list[str]]:
	"""Users, profiles, skills, working hours and teams, bulk inserted; the team members' names."""
	now = now_datetime()
	common = {"creation": now, "modified": now, "owner": "Administrator", "modified_by": "Administrator"}
	users, roles, techs, skills, hours, members, team_rows = [], [], [], [], [], [], []
	teams: list[list[str]] = [[] for _ in range(team_count)]
	for i in range(n):
		user = f"bench-tech-{i:04d}@example.com"
		users.append((user, user, f"Bench Tech {i}", f"Bench Tech {i}", 1, "System User", *common.values()))
		roles.append((frappe.generate_hash(length=10), user, "User", "roles", 1, "Service Technician"))
		techs.append(
			(user, user, f"Bench Tech {i}", "Active", 250, 0, None, *common.values())
		)  # capacity 250: ~200 open each
		for idx, skill in enumerate(rng.sample(SKILLS, 2), start=1):
			skills.append(
				(
					frappe.generate_hash(length=10),
					user,
					"Service Technician",
					"skills",
					idx,
					skill,
					rng.choice(LEVELS),
				)
			)
		for idx, day in enumerate(WEEKDAYS, start=1):
			hours.append(
				(
					frappe.generate_hash(length=10),
					user,
					"Service Technician",
					"working_hours",
					idx,
					day,
					"00:00:00",
					"23:59:59",
				)
			)
		team = i % team_count
		teams[team].append(user)
		members.append(
			(
				frappe.generate_hash(length=10),
				f"Bench Team {team:02d}",
				"Support Team",
				"members",
				len(teams[team]),
				user,
			)
		)
	for t in range(team_count):
		team_rows.append((f"Bench Team {t:02d}", f"Bench Team {t:02d}", *common.values()))
	meta = ("creation", "modified", "owner", "modified_by")
	child = ("name", "parent", "parenttype", "parentfield", "idx")
	with click.progressbar(
		length=7, label="Making technicians and teams", file=click.get_text_stream("stderr")
	) as bar:
		for doctype, fields, rows in (
			("User", ("name", "email", "first_name", "full_name", "enabled", "user_type", *meta), users),
			("Has Role", ("name", "parent", "parenttype", "parentfield", "idx", "role"), roles),
			(
				"Service Technician",
				(
					"name",
					"user",
					"full_name",
					"status",
					"capacity",
					"open_tickets",
					"last_assigned_on",
					*meta,
				),
				techs,
			),
			("Service Technician Skill", (*child, "skill", "level"), skills),
			("Service Technician Working Hours", (*child, "weekday", "start_time", "end_time"), hours),
			("Support Team", ("name", "team_name", *meta), team_rows),
			("Support Team Member", (*child, "technician"), members),
		):
			frappe.db.bulk_insert(doctype, fields, rows, ignore_duplicates=True)
			bar.update(1)
	return [[f"Bench Team {t:02d}", members_] for t, members_ in enumerate(teams)]


def make_assigned_tickets(n: int, teams: list, rng: random.Random) -> None:
	"""Open tickets of every team, each assigned (an Open ToDo) to one of the team's technicians."""
	now = now_datetime()
	issue_fields = ("name", "subject", "status", "priority", "support_team", "opening_date", "creation", "modified", "owner", "modified_by")  # fmt: skip
	todo_fields = ("name", "status", "allocated_to", "reference_type", "reference_name", "description", "priority", "date", "acceptance", "creation", "modified", "owner", "modified_by")  # fmt: skip
	issues, todos = [], []
	with click.progressbar(
		range(n), label="Making assigned open tickets", file=click.get_text_stream("stderr")
	) as bar:
		for i in bar:
			team, members = teams[i % len(teams)]
			name = f"RBENCH{i:07d}"
			issues.append((name, f"Routing benchmark {i}", "Open", "Medium", team, now.date(), now, now, "Administrator", "Administrator"))  # fmt: skip
			todos.append((f"RBT{i:07d}", "Open", rng.choice(members), "Issue", name, "Benchmark", "Medium", now.date(), "Accepted", now, now, "Administrator", "Administrator"))  # fmt: skip
			if len(issues) == BATCH:
				frappe.db.bulk_insert("Issue", issue_fields, issues)
				frappe.db.bulk_insert("ToDo", todo_fields, todos)
				issues, todos = [], []
	if issues:
		frappe.db.bulk_insert("Issue", issue_fields, issues)
		frappe.db.bulk_insert("ToDo", todo_fields, todos)


def new_ticket(teams: list, rng: random.Random, i: int) -> str:
	team, _members = rng.choice(teams)
	return (
		frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": f"New routing benchmark ticket {i}",
				"priority": "Medium",
				"support_team": team,
				"required_skill": rng.choice(SKILLS),
			}
		)
		.insert()
		.name
	)


def warm_up(teams: list, roles: bool = True) -> None:
	"""A long-running worker has every technician's calendar and the metadata cached, and the site's Redis
	their roles (Frappe keeps them until a role or user changes): so has this run."""
	for team, members in teams:
		for user in members if roles else ():  # their roles, as the site's Redis keeps them
			frappe.get_roles(user)
		for skill in SKILLS:
			issue = frappe.get_doc(
				{"doctype": "Issue", "subject": "Warm-up", "support_team": team, "required_skill": skill}
			).insert()
			routing.rank(issue.name)
	assignment.auto_assign(issue.name)


def time_auto_assign(
	samples: int, teams: list, rng: random.Random, warm: bool = True, roles: bool = True
) -> tuple[list[float], list[float]]:
	"""Milliseconds of `auto_assign`, and of its routing decision alone (`rank` with the rows locked)."""
	auto_assign_off()
	if warm:
		warm_up(teams, roles)
	latencies, decisions = [], []
	with click.progressbar(
		range(samples), label="auto_assign on new tickets", file=click.get_text_stream("stderr")
	) as bar:
		for i in bar:
			issue = new_ticket(teams, rng, i)
			start = time.perf_counter()
			routing.rank(issue, lock=True)
			decisions.append((time.perf_counter() - start) * 1000)
			start = time.perf_counter()
			user = assignment.auto_assign(issue)
			latencies.append((time.perf_counter() - start) * 1000)
			# The routing job commits here, which sends and empties the transaction's realtime messages: kept
			# over every sample, Frappe's look for a duplicate in them (a list) grew with each one.
			getattr(frappe.local, "_realtime_log", []).clear()
			assert user, f"nobody eligible for {issue}"
	return latencies, decisions


def insert_overhead(samples: int, teams: list, rng: random.Random) -> float:
	per_round = max(1, samples // ROUNDS)
	timings = {"on": 0.0, "off": 0.0}
	queued = []
	with click.progressbar(
		length=2 * per_round * ROUNDS,
		label="Inserting with routing on and off",
		file=click.get_text_stream("stderr"),
	) as bar:
		for r in range(ROUNDS):
			for mode in ("on", "off"):
				frappe.db.set_single_value("Support Plus Settings", auto_route.SETTING, int(mode == "on"))
				for i in range(per_round):
					start = time.perf_counter()
					issue = new_ticket(teams, rng, r * per_round + i)
					frappe.db.after_commit.run()  # what the ticket's commit then runs, without the COMMIT
					timings[mode] += time.perf_counter() - start
					if mode == "on":
						queued.append(issue)
					bar.update(1)
	auto_assign_off()
	for issue in queued:
		job = get_job(auto_route.job_id(issue))
		assert job, f"no routing job queued for {issue}"
		job.delete()
	return timings["on"] / timings["off"]


def auto_assign_off() -> None:
	frappe.db.set_single_value("Support Plus Settings", auto_route.SETTING, 0)
	frappe.db.after_commit.reset()
