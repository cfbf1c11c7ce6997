"""Run one benchmark several times and print the median and spread of every figure.

    uv run --frozen python benchmarks/median3.py bench-letters [runs]   (default 3 runs)
    make bench-median3 BENCH=bench-letters [RUNS=3]

Runs `make <target>` one run after the other (never in parallel: they would measure each
other), keeps each run's whole output in var/bench/<target>-<n>.log, takes the last
`BENCH <name> key=value …` line of each and prints one line
`MEDIAN <name> runs=N key=median[min–max] …`. Figures on this shared 2-core machine move by
a third from run to run; the median of three with its spread is what docs/BENCHMARKS.md
quotes.
"""

import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_LINE = re.compile(r"^BENCH (\S+) (.*)$", re.M)


def parse(output: str) -> tuple[str, dict[str, str]]:
    """The name and the key=value pairs of the last BENCH line of a run's output."""
    matches = BENCH_LINE.findall(output)
    if not matches:
        raise ValueError("no BENCH line in the output")
    name, rest = matches[-1]
    return name, dict(item.split("=", 1) for item in rest.split())


def summarise(runs: list[dict[str, str]]) -> dict[str, str]:
    """Per key: 'median[min–max]' for numbers (as many decimals as the runs printed),
    the value itself when text is the same in every run, else the values joined by '/'."""
    out = {}
    for key in runs[0]:
        values = [run.get(key, "") for run in runs]
        try:
            numbers = [float(v) for v in values]
        except ValueError:
            out[key] = values[0] if len(set(values)) == 1 else "/".join(values)
            continue
        decimals = max((len(v.split(".")[1]) if "." in v else 0) for v in values)
        show = f"{{:.{decimals}f}}".format
        out[key] = (show(statistics.median(numbers)) if min(numbers) == max(numbers) else
                    f"{show(statistics.median(numbers))}[{show(min(numbers))}–"
                    f"{show(max(numbers))}]")
    return out


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    target, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
    logs = ROOT / "var" / "bench"
    logs.mkdir(parents=True, exist_ok=True)
    runs = []
    for n in range(1, count + 1):
        result = subprocess.run(["make", "--no-print-directory", target], cwd=ROOT,
                                capture_output=True, text=True)
        log = logs / f"{target}-{n}.log"
        log.write_text(result.stdout + result.stderr)
        if result.returncode != 0:
            sys.exit(f"run {n} of {target} failed (exit {result.returncode}); see {log}")
        name, figures = parse(result.stdout)
        print(f"run {n}: BENCH {name} " + " ".join(f"{k}={v}" for k, v in figures.items()),
              flush=True)
        runs.append(figures)
    print(f"MEDIAN {name} runs={count} "
          + " ".join(f"{k}={v}" for k, v in summarise(runs).items()))


if __name__ == "__main__":
    main()
