"""Several OS processes working on the test site at once, as Frappe's workers do in production: scripts
(run_in_processes), and real RQ workers of the bench on a job queue server of the test's own."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, suppress

import psutil
import redis
from rq.job import Job, JobStatus

import frappe
from frappe.utils import background_jobs

from support_plus.demo.mail_sink import free_port


def run_in_processes(script: str, *args: str, count: int, timeout: int = 600) -> list[str]:
	"""Run `python -c script SITE SITES_PATH *args` in `count` processes at once; their outputs, in order.
	What they must see is committed by the caller first. A process that fails fails the test, with the
	end of its error output."""
	processes = [
		subprocess.Popen(
			[sys.executable, "-c", script, frappe.local.site, frappe.local.sites_path, *args],
			stdout=subprocess.PIPE,
			stderr=subprocess.PIPE,
			text=True,
		)
		for _ in range(count)
	]
	outputs = []
	for process in processes:
		out, err = process.communicate(timeout=timeout)
		if process.returncode != 0:
			raise AssertionError(err[-3000:])
		outputs.append(out)
	return outputs


BENCH_WORKER = ("-m", "frappe.utils.bench_helper", "frappe", "worker")  # what `bench worker` executes
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@contextmanager
def own_job_queue():
	"""This process's background jobs go to a Redis server of their own on loopback, started here and
	stopped on the way out (with everything in it); yields its URL, for workers to be given as
	FRAPPE_REDIS_QUEUE. Frappe's `redis_queue` setting, as a site whose machines share one queue server
	would have it: enqueue, deduplication and the workers are Frappe's and RQ's own."""
	folder = tempfile.mkdtemp(prefix="sp-redis-queue-")
	port = free_port()
	server = subprocess.Popen(
		[REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
		cwd=folder,
		stdout=subprocess.DEVNULL,
		stderr=subprocess.DEVNULL,
		start_new_session=True,
	)
	url = f"redis://127.0.0.1:{port}"
	before = frappe.local.conf.get("redis_queue"), background_jobs._redis_queue_conn
	try:
		connection = redis.from_url(url)
		deadline = time.monotonic() + 10
		while True:
			try:
				connection.ping()
				break
			except redis.ConnectionError:
				if time.monotonic() > deadline or server.poll() is not None:
					raise
				time.sleep(0.05)
		frappe.local.conf.redis_queue = url
		background_jobs._redis_queue_conn = None  # Frappe keeps one connection per process
		yield url
	finally:
		frappe.local.conf.redis_queue, background_jobs._redis_queue_conn = before
		server.terminate()
		try:
			server.wait(10)
		except subprocess.TimeoutExpired:
			server.kill()
			server.wait(10)
		shutil.rmtree(folder, ignore_errors=True)


class BenchWorkers:
	"""`count` RQ workers of this bench, each its own OS process running what `bench worker --queue QUEUE`
	runs (bench's CLI changes to the sites folder and executes `python -m frappe.utils.bench_helper frappe
	worker ...`), on the queue server at `redis_url`. A context manager: stopped on the way out, whatever
	happened (warm shutdown, then the process group and its work horses killed)."""

	def __init__(self, count: int, queue: str, redis_url: str):
		self.count, self.queue, self.redis_url = count, queue, redis_url
		self.connection = redis.from_url(redis_url)
		self.folder = tempfile.mkdtemp(prefix="sp-workers-")
		self.processes = []

	def __enter__(self) -> "BenchWorkers":
		try:
			for i in range(self.count):
				with open(self.log_path(i), "w") as log:
					self.processes.append(
						subprocess.Popen(
							[sys.executable, *BENCH_WORKER, "--queue", self.queue],
							cwd=frappe.local.sites_path,
							env={**os.environ, "FRAPPE_REDIS_QUEUE": self.redis_url},
							stdout=log,
							stderr=subprocess.STDOUT,
							start_new_session=True,  # a process group of its own, to stop it whole
						)
					)
		except BaseException:
			self.stop()
			raise
		return self

	def __exit__(self, *exc) -> None:
		self.stop()

	def log_path(self, i: int) -> str:
		return os.path.join(self.folder, f"worker-{i}.log")

	@property
	def pids(self) -> set[int]:
		return {process.pid for process in self.processes}

	def logs(self) -> str:
		"""The end of each worker's output, for a failure's message."""
		parts = []
		for i, process in enumerate(self.processes):
			with open(self.log_path(i)) as log:
				parts.append(f"--- worker {process.pid}:\n{log.read()[-3000:]}")
		return "\n".join(parts)

	def check_alive(self) -> None:
		if any(process.poll() is not None for process in self.processes):
			raise AssertionError("a worker stopped\n" + self.logs())

	def wait_listening(self, timeout: float = 60) -> None:
		"""Until every worker waits for a job: blocked on the queue server (RQ's BLMOVE, or BLPOP on older
		Redis), where nothing else blocks."""
		deadline = time.monotonic() + timeout
		while sum("b" in client["flags"] for client in self.connection.client_list()) < self.count:
			self.check_alive()
			if time.monotonic() > deadline:
				clients = [(c["cmd"], c["flags"], c["age"]) for c in self.connection.client_list()]
				raise AssertionError(f"the workers did not start in {timeout} s: {clients}\n" + self.logs())
			time.sleep(0.1)

	def wait_done(self, job_ids: list[str], timeout: float = 60) -> list[Job]:
		"""Until these jobs have finished; fails at the first failed one, with its traceback."""
		deadline = time.monotonic() + timeout
		while True:
			jobs = Job.fetch_many(job_ids, connection=self.connection)
			statuses = [job.get_status() if job else None for job in jobs]
			for job, status in zip(jobs, statuses, strict=True):
				if status == JobStatus.FAILED:
					raise AssertionError(f"job {job.id} failed:\n{job.exc_info}")
			if all(status == JobStatus.FINISHED for status in statuses):
				return jobs
			self.check_alive()
			if time.monotonic() > deadline:
				raise AssertionError(f"jobs not done in {timeout} s: {statuses}\n" + self.logs())
			time.sleep(0.2)

	def stop(self) -> None:
		for process in self.processes:
			with suppress(ProcessLookupError):
				os.killpg(process.pid, signal.SIGTERM)  # warm shutdown: an idle worker leaves at once
		for process in self.processes:
			try:
				process.wait(15)
			except subprocess.TimeoutExpired:
				# Still in a job: RQ runs each in a work horse with a session of its own.
				with suppress(psutil.NoSuchProcess):
					for horse in psutil.Process(process.pid).children(recursive=True):
						horse.kill()
				with suppress(ProcessLookupError):
					os.killpg(process.pid, signal.SIGKILL)
				process.wait(10)
		shutil.rmtree(self.folder, ignore_errors=True)
