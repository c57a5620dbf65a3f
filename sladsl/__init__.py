"""sladsl: service-level agreements for support tickets, as code.

Example::

    import sladsl
    contract = sladsl.load("examples/support.sla")
    result = contract.evaluate(ticket_dict, now=now)
"""

from __future__ import annotations

__version__ = "0.1.0"

from sladsl.api import Contract, check, load, loads
from sladsl.check.diagnostics import Diagnostic
from sladsl.errors import CalendarExhausted, ContractError, SladslError, TicketError

__all__ = [
    "CalendarExhausted",
    "Contract",
    "ContractError",
    "Diagnostic",
    "SladslError",
    "TicketError",
    "__version__",
    "check",
    "load",
    "loads",
]
