# Two commands: `make run` and `make test`. Everything else is optional.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export PATH := $(HOME)/.local/bin:$(PATH)

.PHONY: run test test-fast bootstrap test-services-stop lint bench-retention bench-letters bench-newsletter bench-sepa bench-queue bench-dashboard bench-import bench-load bench-mixed bench-median3 chaos-mailing chaos mutate fuzz screenshots messages

run:
	scripts/bootstrap.sh
	scripts/run.sh

# The tests keep their files (media, outbox, queues) in var/test, never in make run's var/:
# the payment-file sweep, for one, would take make run's files for files of no batch.
TEST_VAR_DIR = MANTELZORG_VAR_DIR="$(CURDIR)/var/test"
# The suite runs in TEST_WORKERS pytest-xdist processes (auto: one per CPU), each with its own
# test database, Redis database and var dir (tests/conftest.py). `--dist load` hands tests out
# in collection order, so in each worker the browser tests come last (tests/e2e/conftest.py).
# TEST_WORKERS=0 runs everything in one process. At most 8 workers: each takes the next Redis
# database after REDIS_URL's (0-7 with the default /0; Redis has 16).
TEST_WORKERS ?= auto
PYTEST_XDIST = -n $(TEST_WORKERS) --maxprocesses 8 --dist load

test:
	scripts/bootstrap.sh --test
	uv run --frozen ruff check .
	uv run --frozen lint-imports
	eval "$$(scripts/test-services.sh env)" && $(TEST_VAR_DIR) uv run --frozen pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

# The suite without the browser tests, for a quick check while working.
test-fast:
	eval "$$(scripts/test-services.sh env)" && $(TEST_VAR_DIR) uv run --frozen pytest $(PYTEST_XDIST) -m "not e2e" $(PYTEST_ARGS)

bootstrap:
	scripts/bootstrap.sh --test

# The hostile-input tests with ten times the examples of `make test` (tests/security/hostile.py).
fuzz:
	scripts/bootstrap.sh --test
	eval "$$(scripts/test-services.sh env)" && $(TEST_VAR_DIR) FUZZ_EXAMPLES=3000 uv run --frozen pytest $(PYTEST_XDIST) tests/security $(PYTEST_ARGS)

# Mutation testing of the code that decides money, access and erasure (docs/TESTING.md).
# Not part of `make test`: it runs the tests once per mutant and takes a long while.
# MUTANTS='core.ratelimit*' runs only those; MUTATE_CHILDREN=N mutants at a time (3: tests
# wait on PostgreSQL much of the time, so three keep two cores busy; MUTANTS=--again, which
# tests the survivors again, runs one at a time). It goes on from the results in
# tests/mutation_results.json (commit them after a run); MUTANTS=--fresh starts over.
mutate:
	scripts/bootstrap.sh --test
	eval "$$(scripts/test-services.sh env)" && $(TEST_VAR_DIR) uv run --frozen python scripts/mutate.py $(MUTANTS)

# Pictures of the main pages (public and back office, every language of the script's
# LANGUAGES) in docs/screenshots/, taken by the tests' Chromium from the demo data on a
# throwaway database of the tests' PostgreSQL (scripts/screenshots.py).
screenshots:
	scripts/bootstrap.sh --test
	eval "$$(scripts/test-services.sh env)" && uv run --frozen python scripts/screenshots.py

# The translation catalogues (locale/): gather the Dutch texts from the code and templates
# into every language's django.po, then say per language what is still to translate.
messages:
	scripts/bootstrap.sh
	uv run --frozen python scripts/messages.py make
	uv run --frozen python scripts/messages.py status

test-services-stop:
	scripts/test-services.sh stop

lint:
	uv run --frozen ruff check .
	uv run --frozen lint-imports

# Benchmarks (not tests): each prints a last line `BENCH <name> key=value …`.
bench-retention:
	scripts/bootstrap.sh
	eval "$$(scripts/test-services.sh env)" && uv run --frozen python benchmarks/bench_retention.py

bench-letters:
	scripts/bootstrap.sh
	eval "$$(scripts/test-services.sh env)" && uv run --frozen python benchmarks/bench_letters.py

bench-newsletter:
	scripts/bootstrap.sh
	eval "$$(scripts/test-services.sh env)" && uv run --frozen python benchmarks/bench_newsletter.py

bench-sepa:
	scripts/bootstrap.sh
	eval "$$(scripts/test-services.sh env)" && uv run --frozen python benchmarks/bench_sepa.py

bench-queue:
	scripts/bootstrap.sh
	eval "$$(scripts/test-services.sh env)" && uv run --frozen python benchmarks/bench_queue.py

bench-dashboard:
	scripts/bootstrap.sh
	eval "$$(scripts/test-services.sh env)" && uv run --frozen python benchmarks/bench_dashboard.py

bench-import:
	scripts/bootstrap.sh
	eval "$$(scripts/test-services.sh env)" && uv run --frozen python benchmarks/bench_import.py

# gunicorn as in production on 127.0.0.1 and wrk (Debian's, installed if missing).
bench-load:
	scripts/bootstrap.sh
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	eval "$$(scripts/test-services.sh env)" && uv run --frozen python benchmarks/bench_load.py

# A benchmark three times in a row (RUNS=…): the median and spread of each figure, for
# docs/BENCHMARKS.md. `make bench-median3 BENCH=bench-letters`.
bench-median3:
	uv run --frozen python benchmarks/median3.py $(BENCH) $(or $(RUNS),3)

# A mixed day: gunicorn and a real worker as in production, three flows (wrk) while the
# retention, print, newsletter and payment-batch jobs run. BENCH_SCALE=0.1 for a quick run.
bench-mixed:
	scripts/bootstrap.sh
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	eval "$$(scripts/test-services.sh env)" && uv run --frozen python benchmarks/bench_mixed.py

# Fault tests (not tests of the suite): each prints a last line `CHAOS <name> …`.
chaos-mailing:
	scripts/bootstrap.sh
	eval "$$(scripts/test-services.sh env)" && uv run --frozen python benchmarks/chaos_mailing.py

# Redis and PostgreSQL restarted, the worker killed, beat started twice: one `CHAOS` line
# each. Starts its own throwaway PostgreSQL and Redis (files in /tmp, see benchmarks/chaos.py),
# not the tests'.
chaos:
	scripts/bootstrap.sh
	uv run --frozen python benchmarks/chaos.py
