"""Benchmark of the business-time engine against the day-walking test oracle.

Run from the repository root::

    python bench/calendar_bench.py [--pairs 20000] [--oracle-pairs 6] [--seed 1]

A New York office, Mon-Fri 08:00-12:00 and 13:00-18:00, US federal holidays
with observed rules. Instants are spread over ten years. For the engine the
figure is the median over batches of 100 calls of the mean time per call,
with every year already expanded (the one-off cost of expanding is printed
separately); the oracle is timed per call on a few of the same kind of pairs.
Targets: <= 3 µs per call, >= 50x faster than the oracle.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType

from sladsl.calendar.compile import compile_calendars

ROOT = Path(__file__).resolve().parents[1]

CONTRACT = """
holidays us_federal {
    every jan 1 observed "New Year's Day"
    every 3rd mon of jan "Martin Luther King Jr. Day"
    every 3rd mon of feb "Washington's Birthday"
    every last mon of may "Memorial Day"
    every jun 19 observed "Juneteenth"
    every jul 4 observed "Independence Day"
    every 1st mon of sep "Labor Day"
    every 2nd mon of oct "Columbus Day"
    every nov 11 observed "Veterans Day"
    every 4th thu of nov "Thanksgiving Day"
    every dec 25 observed "Christmas Day"
}
calendar office "New York office" {
    timezone "America/New_York"
    hours mon-fri 08:00-12:00, 13:00-18:00
    holidays us_federal
}
"""

START = 1577836800  # 2020-01-01T00:00:00Z
SPAN = 10 * 365 * 86400


def _load_oracle() -> ModuleType:
    path = ROOT / "tests" / "calendar_oracle.py"
    spec = importlib.util.spec_from_file_location("calendar_oracle", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["calendar_oracle"] = module
    spec.loader.exec_module(module)
    return module


def _batched_median_us(call: object, args: list[tuple[int, int]], batch: int = 100) -> float:
    fn = call  # a bound method; kept local for the loop
    means = []
    for i in range(0, len(args) - batch + 1, batch):
        chunk = args[i : i + batch]
        began = time.perf_counter_ns()
        for a, b in chunk:
            fn(a, b)  # type: ignore[operator]
        means.append((time.perf_counter_ns() - began) / batch / 1000)
    return statistics.median(means)


def _per_call_median_us(call: object, args: list[tuple[int, int]]) -> float:
    times = []
    for a, b in args:
        began = time.perf_counter_ns()
        call(a, b)  # type: ignore[operator]
        times.append((time.perf_counter_ns() - began) / 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=20000)
    parser.add_argument("--oracle-pairs", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    oracle_module = _load_oracle()
    rng = random.Random(options.seed)

    contract = oracle_module.mini_parse(CONTRACT)
    cal = compile_calendars(contract)["office"]
    oracle = oracle_module.Oracle(contract, "office")

    def instant() -> int:
        return START + rng.randrange(SPAN)

    between_args = [(instant(), instant()) for _ in range(options.pairs)]
    add_args = [(instant(), rng.randrange(200 * 3600)) for _ in range(options.pairs)]

    began = time.perf_counter()
    cal.between_seconds(START, START + SPAN + 400 * 86400)
    cold_ms = (time.perf_counter() - began) * 1000

    between_us = _batched_median_us(cal.between_seconds, between_args)
    add_us = _batched_median_us(cal.add_seconds, add_args)

    few = options.oracle_pairs
    oracle_between_us = _per_call_median_us(oracle.between, between_args[:few])
    oracle_add_us = _per_call_median_us(oracle.add, add_args[:few])
    for a, b in between_args[:few]:
        assert cal.between_seconds(a, b) == oracle.between(a, b)
    for t, d in add_args[:few]:
        assert cal.add_seconds(t, d) == oracle.add(t, d)

    print("calendar: New York, Mon-Fri 08:00-12:00 13:00-18:00, US federal holidays (observed)")
    print(f"instants: uniform over 10 years from 2020-01-01; {options.pairs} pairs")
    print(f"one-off expansion of 11 years: {cold_ms:.1f} ms")
    print(f"{'':10}{'engine µs':>12}{'oracle µs':>14}{'ratio':>10}")
    for label, fast, slow in (
        ("between", between_us, oracle_between_us),
        ("add", add_us, oracle_add_us),
    ):
        print(f"{label:10}{fast:12.2f}{slow:14.0f}{slow / fast:9.0f}x")
    print(f"(oracle: median of {few} calls each; engine: median of batch means)")


if __name__ == "__main__":
    main()
