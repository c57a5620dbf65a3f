"""``sladsl explain CONTRACT TICKETS --ticket ID``: one ticket, told as a story.

For the first ticket whose ``str(id)`` equals ID: each update, the policy and
targets it put in effect, and each metric instance's start, pauses, stop, due
time and outcome, in the calendar's local time with the zone shown.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sladsl.cli.eval import add_contract_and_tickets, open_inputs
from sladsl.cli.files import display_name, fail
from sladsl.errors import TicketError


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "explain",
        help="explain how one ticket was evaluated",
        description="Explain, update by update, how one ticket is evaluated.",
    )
    add_contract_and_tickets(parser)
    parser.add_argument("--ticket", required=True, metavar="ID", help="the ticket's id")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from sladsl.engine.explain import explain
    from sladsl.timeline.reader import iter_ticket_objects, parse_ticket

    inputs = open_inputs(args)
    if inputs is None:
        return 2
    now, contract, stream = inputs
    name = display_name(args.tickets)
    try:
        for line, obj in iter_ticket_objects(stream, name):
            if not isinstance(obj, dict) or str(obj.get("id")) != args.ticket:
                continue
            try:
                ticket = parse_ticket(obj, priorities=contract.priorities, line=line)
                text = explain(contract.compiled, ticket, now)
            except TicketError as error:
                fail(f"{name}:{line}: ticket {args.ticket}: {error.code}: {error.message}")
                return 1
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
            return 0
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    fail(f"{name}: no ticket with id {args.ticket!r}")
    return 2
