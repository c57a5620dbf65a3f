"""Micro-benchmark of the evaluator alone: µs per ticket for evaluate() and
for evaluate() + to_dict() + orjson, on synthetic tickets (4 policies, 2
business calendars, all 7 metrics, ~8 updates each).

Run: python bench/engine_micro.py [N]
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Sequence

import orjson

from sladsl.calendar.business import BusinessCalendar
from sladsl.engine.compile import CompiledContract, compile_contract
from sladsl.engine.evaluate import evaluate
from sladsl.syntax import ast
from sladsl.timeline.model import Ticket
from sladsl.timeline.reader import parse_ticket

METRICS = (
    "first_reply_time",
    "next_reply_time",
    "periodic_update",
    "pausable_update",
    "requester_wait_time",
    "agent_work_time",
    "total_resolution_time",
)


def _line(
    metric: str, pairs: Sequence[tuple[str | None, str]], clock: str | None = None
) -> ast.TargetLine:
    targets = tuple(
        ast.Target(None if p is None else ast.Name(p), ast.Duration(d)) for p, d in pairs
    )
    return ast.TargetLine(ast.Name(metric), targets, clock)  # type: ignore[arg-type]


def _test(field: str, op: str, *values: str) -> ast.FieldTest:
    vals = tuple(ast.Value(v) for v in values)
    return ast.FieldTest(ast.FieldRef(field), op, vals if op.endswith("in") else vals[0])  # type: ignore[arg-type]


def contract() -> CompiledContract:
    us = BusinessCalendar("us", "America/Chicago", weekly=[[(420, 1140)]] * 5 + [[], []])
    emea = BusinessCalendar(
        "emea", "Europe/Berlin", weekly=[[(480, 720), (780, 1050)]] * 5 + [[(600, 840)], []]
    )
    per = [("urgent", "1h"), ("high", "4h"), ("normal", "8h"), ("low", "24h")]
    policies = (
        ast.PolicyDecl(
            ast.Name("vip"),
            None,
            (
                ast.When(
                    ast.And(
                        (
                            _test("organization", "in", "Initech", "Globex"),
                            _test("priority", "in", "urgent", "high"),
                        )
                    )
                ),
                ast.When(ast.Not(_test("tags", "has", "no_sla"))),
                ast.UseCalendar(ast.Name("emea")),
                *(_line(m, per) for m in METRICS),
            ),
        ),
        ast.PolicyDecl(
            ast.Name("email"),
            None,
            (
                ast.When(_test("channel", "is", "email")),
                ast.UseCalendar(ast.Name("us")),
                *(_line(m, per) for m in METRICS[:4]),
                *(_line(m, [(None, "3d")], "calendar") for m in METRICS[4:]),
            ),
        ),
        ast.PolicyDecl(
            ast.Name("chat"),
            None,
            (
                ast.When(_test("channel", "in", "chat", "voice")),
                *(_line(m, [(None, "2h")]) for m in METRICS),
            ),
        ),
        ast.PolicyDecl(
            ast.Name("general"),
            None,
            (
                ast.UseCalendar(ast.Name("us")),
                *(_line(m, per) for m in METRICS),
            ),
        ),
    )
    return compile_contract(ast.Contract(policies), {"us": us, "emea": emea})


def tickets(n: int, seed: int = 1) -> list[Ticket]:
    """Parsed tickets (see :func:`ticket_objects`)."""
    priorities = ("urgent", "high", "normal", "low")
    return [
        parse_ticket(obj, priorities=priorities, line=i + 1)
        for i, obj in enumerate(ticket_objects(n, seed))
    ]


def ticket_objects(n: int, seed: int = 1) -> list[dict[str, object]]:
    rng = random.Random(seed)
    out: list[dict[str, object]] = []
    base = 1767225600  # 2026-01-01
    for i in range(n):
        t = base + rng.randrange(0, 300 * 86400)
        ups: list[dict[str, object]] = [
            {
                "at": t,
                "by": "requester",
                "comment": "public",
                "set": {
                    "priority": rng.choice(["urgent", "high", "normal", "low"]),
                    "channel": rng.choice(["email", "email", "web", "chat"]),
                    "organization": rng.choice(["Initech", "Globex", "Acme", "Umbrella"]),
                },
            }
        ]
        for _ in range(rng.randrange(5, 10)):
            t += rng.randrange(600, 40000)
            kind = rng.random()
            if kind < 0.4:
                u: dict[str, object] = {"at": t, "by": "agent", "comment": "public"}
                u["set"] = {"status": rng.choice(["open", "pending", "pending", "hold"])}
            elif kind < 0.7:
                u = {"at": t, "by": "requester", "comment": "public", "set": {"status": "open"}}
            elif kind < 0.85:
                u = {
                    "at": t,
                    "by": "agent",
                    "comment": "private",
                    "set": {"tags": rng.choice([["billing"], ["no_sla"], []])},
                }
            else:
                u = {"at": t, "by": "system", "set": {"priority": rng.choice(["high", "normal"])}}
            ups.append(u)
        if rng.random() < 0.6:
            t += rng.randrange(600, 40000)
            ups.append({"at": t, "by": "agent", "comment": "public", "set": {"status": "solved"}})
        for u in ups:
            at = int(u["at"])  # type: ignore[call-overload]
            u["at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(at))
        out.append({"id": i, "updates": ups})
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    cc = contract()
    ts = tickets(n)
    now = 1767225600 + 320 * 86400
    for t in ts[:2000]:
        evaluate(cc, t, now)  # warm the calendars' caches
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        for t in ts:
            evaluate(cc, t, now)
        best = min(best, time.process_time() - start)
    print(f"evaluate:                {best / n * 1e6:6.1f} µs/ticket")
    dumps = orjson.dumps
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        for t in ts:
            dumps(evaluate(cc, t, now).to_dict())
        best = min(best, time.process_time() - start)
    print(f"evaluate+to_dict+orjson: {best / n * 1e6:6.1f} µs/ticket")
    lines = [orjson.dumps(obj) for obj in ticket_objects(n)]
    priorities = cc.priorities
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for i, line in enumerate(lines):
            parsed = parse_ticket(orjson.loads(line), priorities=priorities, line=i + 1)
            dumps(evaluate(cc, parsed, now).to_dict())
        best = min(best, time.process_time() - start)
    print(f"JSON line -> parse_ticket -> evaluate -> JSON: {best / n * 1e6:6.1f} µs/ticket")
    rows = sum(len(evaluate(cc, t, now).rows) for t in ts) / n
    updates = sum(len(t.updates) for t in ts) / n
    print(f"{rows:.1f} reported instances/ticket, {updates:.1f} updates/ticket")


if __name__ == "__main__":
    main()
