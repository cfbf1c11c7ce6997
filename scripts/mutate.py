"""Mutation testing (`make mutate`): change the code that decides money, access and erasure one
small step at a time and count how many of those changes a test notices.

mutmut makes the mutants (one comparison flipped, one argument dropped, one statement gone) in
mutants/ and runs the tests that reach each changed function. This script runs it, then prints
one line per module,

    MUTATION module=… tried=… killed=… survived=… equivalent=… score=…

with score = killed / (tried - equivalent). Equivalent mutants are those that cannot change
behaviour; each is listed with its reason in tests/mutation_equivalents.toml. A surviving mutant
that is not there is a hole in the tests: the script names it and exits 1 when a module scores
under the goal.

    scripts/mutate.py                 run every module in pyproject's [tool.mutmut] only_mutate
    scripts/mutate.py --report        only print the figures of the last run
    scripts/mutate.py --again         test the survivors again (after adding tests)
    scripts/mutate.py --fresh         forget every earlier result and start over
    scripts/mutate.py NAME-GLOB …     only these mutants (mutmut's names: 'core.ratelimit*')

A whole run takes hours on two cores (the submission's mutants reach hundreds of tests), more
than one working session. So the results are kept in the repository,
tests/mutation_results.json (each mutant's outcome, and a hash of each function as it was
tested), and a run on a fresh clone goes on where the last one stopped: mutmut tests again
only the mutants of functions whose code changed since. A test that is weakened later does
not make an earlier "killed" run again: `--fresh` checks everything from scratch.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = ROOT / "tests" / "mutation_equivalents.toml"
RESULTS = ROOT / "tests" / "mutation_results.json"
GOAL = 0.90
# A mutant whose tests time out or crash was noticed too; "no tests" and "suspicious" were not.
NOTICED = {"killed", "timeout", "segfault", "caught by type check"}


def module_of(mutant_name):
    """`appreciation.x_check__mutmut_3` and `core.ratelimit.xǁLimitǁhit__mutmut_1` → module."""
    head = mutant_name.split("__mutmut_")[0]
    for marker in (".xǁ", ".x_"):
        if marker in head:
            return head.split(marker)[0]
    return head


def configured_paths():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]["only_mutate"]


def configured_modules():
    return [path.removesuffix(".py").replace("/", ".") for path in configured_paths()]


def meta_path(path: str) -> Path:
    """Where mutmut keeps one source file's results (exit code per mutant, function hashes)."""
    return ROOT / "mutants" / f"{path}.meta"


def restore_results() -> None:
    """Put the results kept in the repository where mutmut looks for them, for each module
    that has none yet in mutants/ (a fresh clone). mutmut keeps a result only while the
    function's hash is unchanged, so changed code is tested again."""
    if not RESULTS.exists():
        return
    kept = json.loads(RESULTS.read_text())["modules"]
    for path in configured_paths():
        if path not in kept or meta_path(path).exists():
            continue
        meta_path(path).parent.mkdir(parents=True, exist_ok=True)
        meta_path(path).write_text(json.dumps({
            "exit_code_by_key": kept[path]["exit_codes"],
            "hash_by_function_name": kept[path]["hashes"],
            "type_check_error_by_key": {}, "durations_by_key": {},
            "estimated_durations_by_key": {}}))


def save_results() -> None:
    """The outcome of every mutant checked so far, for the next run on another machine."""
    modules = {}
    for path in configured_paths():
        if meta_path(path).exists():
            meta = json.loads(meta_path(path).read_text())
            # null: not checked yet (the report counts those too)
            modules[path] = {"hashes": dict(sorted(meta["hash_by_function_name"].items())),
                             "exit_codes": dict(sorted(meta["exit_code_by_key"].items()))}
    if modules:
        RESULTS.write_text(json.dumps(
            {"about": "make mutate's results so far (scripts/mutate.py); commit them",
             "modules": modules}, indent=1, ensure_ascii=False) + "\n")


def load_equivalents():
    if not EQUIVALENTS.exists():
        return {}
    entries = tomllib.loads(EQUIVALENTS.read_text()).get("mutant", [])
    return {entry["name"]: entry["reason"] for entry in entries}


def mutmut(*args, capture=False):
    command = ["uv", "run", "--frozen", "mutmut", *args]
    if capture:
        return subprocess.run(command, cwd=ROOT, check=True, text=True,
                              capture_output=True).stdout
    subprocess.run(command, cwd=ROOT, check=True)
    return ""


def statuses():
    """Every mutant's name and status, from mutmut's record of the last run."""
    result = {}
    for line in mutmut("results", "--all", "true", capture=True).splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name:
            result[name] = status
    return result


def report():
    equivalents = load_equivalents()
    found = statuses()
    by_module = defaultdict(Counter)
    holes = []
    for name, status in sorted(found.items()):
        counts = by_module[module_of(name)]
        if status == "not checked":  # a run stopped before it came to these
            counts["not_checked"] += 1
            continue
        counts["tried"] += 1
        if status in NOTICED:
            counts["killed"] += 1
        elif name in equivalents:
            counts["equivalent"] += 1
        else:
            counts["survived"] += 1
            holes.append((name, status))
    ok = True
    for module in configured_modules():
        counts = by_module.get(module, Counter())
        relevant = counts["tried"] - counts["equivalent"]
        score = counts["killed"] / relevant if relevant else 0.0
        ok = ok and score >= GOAL and not counts["not_checked"]
        unfinished = f" not_checked={counts['not_checked']}" if counts["not_checked"] else ""
        print(f"MUTATION module={module} tried={counts['tried']} killed={counts['killed']} "
              f"survived={counts['survived']} equivalent={counts['equivalent']} "
              f"score={score:.1%}{unfinished}")
    for name, status in holes:
        print(f"{status}: {name}")
    for name in equivalents:
        if found.get(name) in NOTICED:
            print(f"note: {name} is listed as equivalent, but a test notices it: drop the entry")
        elif name not in found:
            print(f"note: {name} is listed as equivalent, but no such mutant exists any more")
    if holes:
        print(f"{len(holes)} mutants survived; `uv run mutmut show NAME` shows one's diff.")
    return 0 if ok else 1


def forget_mutants_of_another_module_list():
    """mutmut keeps mutants/ between runs but does not notice a file added to only_mutate (it
    counts it as unmodified and makes no mutants of it): start over when the list changed."""
    stamp = ROOT / "mutants" / "only_mutate.txt"
    wanted = "\n".join(configured_modules())
    if stamp.exists() and stamp.read_text() != wanted:
        shutil.rmtree(ROOT / "mutants")
    stamp.parent.mkdir(exist_ok=True)
    stamp.write_text(wanted)


def main(argv):
    os.environ.setdefault("FUZZ_EXAMPLES", "20")  # fuzzing is not what mutants test
    if argv[:1] == ["--fresh"]:
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)
        RESULTS.unlink(missing_ok=True)
        argv = argv[1:]
    # Stopped with a signal (a session ending, `kill`): save what was checked (see below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    forget_mutants_of_another_module_list()
    restore_results()
    children = os.environ.get("MUTATE_CHILDREN", "3")
    if argv[:1] == ["--again"]:  # after new tests: mutmut lets earlier results stand otherwise
        argv = [name for name, status in statuses().items()
                if status not in NOTICED and status != "not checked"]
        # Its verdicts decide what is listed as equivalent, and each of these mutants runs
        # every one of its tests: one at a time, so no other mutant's load can fail a test
        # (on 2026-12-05 three at once counted 35 listed equivalents as noticed, wrongly).
        children = os.environ.get("MUTATE_CHILDREN", "1")
    try:
        if argv[:1] != ["--report"]:
            mutmut("run", "--max-children", children, *argv)
    finally:  # also when the run is stopped: what was checked is kept
        save_results()
    return report()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
