"""Results must not depend on the process's local time zone (SEMANTICS.md,
first paragraph): run the same core cases under two TZ values and compare."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent

SCRIPT = r"""
import datetime as dt, json, sys, time
sys.path.insert(0, sys.argv[1])
from calendar_oracle import mini_parse
from sladsl.calendar.compile import compile_calendars

TEXT = '''
holidays us_federal {
    every jan 1 observed
    every 4th thu of nov
    every dec 25 observed
}
calendar office {
    timezone "America/New_York"
    hours mon-fri 09:00-20:00
    holidays us_federal
}
calendar nights {
    timezone "Asia/Tokyo"
    hours mon-fri 22:00-06:00
    holiday 2026-06-09
}
calendar apia {
    timezone "Pacific/Apia"
    hours daily 09:00-17:00
}
calendar lhi {
    timezone "Australia/Lord_Howe"
    hours daily 00:00-24:00
    hours 2026-04-05 01:00-03:00
}
'''
cals = compile_calendars(mini_parse(TEXT))
points = [dt.datetime.fromisoformat(s) for s in (
    "2026-03-06T19:00:00-05:00", "2026-03-09T11:00:00-04:00", "2026-04-04T12:00:00+00:00",
    "2026-06-08T23:00:00+09:00", "2011-12-29T12:00:00-10:00", "2021-12-30T15:00:00+00:00",
    "2026-11-01T05:30:00+00:00",
)]
out = {"local": time.strftime("%Z", time.localtime(0))}
for name, cal in sorted(cals.items()):
    rows = []
    for a in points:
        rows.append([
            cal.is_open(a),
            str(cal.next_open(a)),
            str(cal.next_close(a)),
            cal.add(a, dt.timedelta(hours=5)).isoformat(),
            [cal.between(a, b).total_seconds() for b in points],
        ])
    out[name] = rows
print(json.dumps(out))
"""


def _run(tz: str) -> dict[str, object]:
    env = dict(os.environ, TZ=tz)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(TESTS)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_results_do_not_depend_on_the_tz_variable() -> None:
    tokyo = _run("Asia/Tokyo")
    los_angeles = _run("America/Los_Angeles")
    # The variable did take effect in each process ...
    assert tokyo.pop("local") != los_angeles.pop("local")
    # ... and changed nothing.
    assert tokyo == los_angeles
    office = tokyo["office"]
    assert isinstance(office, list)
    assert office[0][3] == "2026-03-09T17:00:00+00:00"  # Fri 19:00 EST + 5 h
