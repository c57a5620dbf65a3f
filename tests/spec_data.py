"""The normative example of shared/spec/DATA.md, in one place for every test
that checks it: ticket 1042 and its result under the first LANGUAGE.md block
(office hours Mon-Fri 09:00-20:00 New York, `general` gives 4h first reply),
for any `now` at or after 2026-03-09T11:59:00-04:00."""

from __future__ import annotations

from typing import Any

TICKET_1042: dict[str, Any] = {
    "id": "1042",
    "updates": [
        {
            "at": "2026-03-06T19:00:00-05:00",
            "by": "requester",
            "comment": "public",
            "set": {
                "status": "new",
                "priority": "normal",
                "channel": "email",
                "tags": ["billing"],
                "Plan tier": "enterprise",
            },
        },
        {
            "at": "2026-03-09T10:30:00-04:00",
            "by": "agent",
            "comment": "private",
            "set": {"group": "Tier 2", "tags": ["billing", "escalated"]},
        },
        {
            "at": "2026-03-09T11:59:00-04:00",
            "by": "agent",
            "comment": "public",
            "set": {"status": "pending"},
        },
    ],
}

RESULT_1042: dict[str, Any] = {
    "ticket": "1042",
    "policy": "general",
    "next_due_at": None,
    "metrics": [
        {
            "metric": "first_reply_time",
            "instance": 1,
            "policy": "general",
            "priority": "normal",
            "target_seconds": 14400,
            "clock": "business",
            "calendar": "office",
            "status": "achieved",
            "started_at": "2026-03-07T00:00:00Z",
            "stopped_at": "2026-03-09T15:59:00Z",
            "due_at": None,
            "elapsed_seconds": 14340,
            "remaining_seconds": 60,
        }
    ],
}
