"""A slow, literal reference evaluator: the test oracle for sladsl's engine.

It implements /work/shared/spec/SEMANTICS.md (and the result format of DATA.md)
in the spec's own terms, for tests only. It shares no code with the fast path:
it reads the contract's syntax tree (``sladsl.syntax.ast``, produced by the
real parser) and takes zone rules from ``sladsl.calendar.zones.load_zone``;
everything else (calendars, conditions, policy matching, metric instances,
outcomes) is computed here, naively.

Business time is computed by "interval walking": the open intervals of each
local date are rebuilt from the calendar's rules every time (cached per date),
unioned, holidays cut out, and elapsed time is the sum of the overlaps between
an instance's counted segments and the open intervals.

Input is assumed valid (the generator of the property tests only makes valid
timelines); this module does not re-implement DATA.md's validation.

Example::

    from sladsl.syntax.parser import parse
    tree, _ = parse(text)
    reference_evaluate(tree, {"id": 1, "updates": [...]}, now)  # -> DATA.md dict
"""

from __future__ import annotations

import calendar as _timegm
import datetime as dt
import re
from decimal import Decimal

from sladsl.calendar.zones import load_zone
from sladsl.syntax import ast

UTC = dt.UTC
DAY = dt.timedelta(days=1)

# SEMANTICS.md §3: the metric table, in its order (DATA.md: results are listed
# in the order of the metric table).
METRICS = (
    "first_reply_time",
    "next_reply_time",
    "periodic_update",
    "pausable_update",
    "requester_wait_time",
    "agent_work_time",
    "total_resolution_time",
)
REPLY_METRICS = ("first_reply_time", "next_reply_time")
UPDATE_METRICS = ("periodic_update", "pausable_update")
RESUMING_METRICS = ("requester_wait_time", "agent_work_time", "total_resolution_time")
# §3 "paused while" column.
PAUSED_WHILE = {
    "first_reply_time": frozenset(),
    "next_reply_time": frozenset(),
    "periodic_update": frozenset(),
    "pausable_update": frozenset({"pending"}),
    "requester_wait_time": frozenset({"pending"}),
    "agent_work_time": frozenset({"pending", "hold"}),
    "total_resolution_time": frozenset(),
}
DONE = frozenset({"solved", "closed"})
BUILTIN_FIELDS = frozenset(
    {
        "status",
        "priority",
        "type",
        "channel",
        "group",
        "assignee",
        "organization",
        "brand",
        "form",
        "requester",
        "tags",
    }
)
CUSTOMERS = frozenset({"requester", "end_user"})
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
TEN_YEARS_DAYS = 3653


class ReferenceError_(Exception):
    """Input the reference cannot evaluate (``code`` as in DATA.md)."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


# ------------------------------------------------------------------ small parsers


def duration_seconds(text: str) -> int:
    """LANGUAGE.md: groups <integer><unit>, units w d h m s."""
    sizes = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
    groups = re.findall(r"(\d+)([wdhms])", text)
    assert "".join(n + u for n, u in groups) == text, text
    return sum(int(n) * sizes[u] for n, u in groups)


def clock_minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def to_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


_AT = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.\d+)?([Zz]|([+-])(\d\d):(\d\d))\Z"
)


def instant_of_text(text: str) -> int:
    """DATA.md `at` syntax -> UTC epoch seconds. SEMANTICS.md: "Every instant ...
    is first truncated to the whole second toward the past" (dropping the
    fraction of a local time truncates, offsets being whole minutes)."""
    m = _AT.match(text)
    assert m, text
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    local = _timegm.timegm((y, mo, d, h, mi, s, 0, 0, 0))
    if m.group(7) in ("Z", "z"):
        return local
    offset = (int(m.group(9)) * 60 + int(m.group(10))) * 60
    return local - offset if m.group(8) == "+" else local + offset


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)


def instant_of_datetime(value: dt.datetime) -> int:
    """An aware datetime -> epoch seconds, truncated toward the past."""
    assert value.tzinfo is not None and value.utcoffset() is not None
    return (value - _EPOCH) // dt.timedelta(seconds=1)


def text_of_instant(seconds: int | None) -> str | None:
    """DATA.md: instants as YYYY-MM-DDTHH:MM:SSZ (UTC)."""
    if seconds is None:
        return None
    return (_EPOCH + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


# ------------------------------------------------------------------ calendars


def _days_of(item: ast.DayRange) -> list[int]:
    """LANGUAGE.md: mon..sun, ranges that may wrap (fri-mon), daily, weekdays, weekends."""
    groups = {"daily": range(7), "weekdays": range(5), "weekends": (5, 6)}
    if item.first in groups:
        return list(groups[item.first])
    first = WEEKDAYS.index(item.first)
    if item.last is None:
        return [first]
    last = WEEKDAYS.index(item.last)
    days = [first]
    while days[-1] != last:
        days.append((days[-1] + 1) % 7)
    return days


def _holiday_test(rule: ast.HolidayRule):  # -> Callable[[date], bool]
    """LANGUAGE.md holiday rules (the simple kinds; rrule is not supported here)."""
    if isinstance(rule, ast.HolidayDate):
        day = to_date(rule.date.text)
        return lambda d: d == day
    if isinstance(rule, ast.HolidayRange):
        first, last = to_date(rule.first.text), to_date(rule.last.text)
        return lambda d: first <= d <= last
    if isinstance(rule, ast.HolidayYearly):
        month, mday = MONTHS.index(rule.month.value) + 1, int(rule.day)

        def yearly(d: dt.date) -> bool:
            if (d.month, d.day) == (month, mday):  # every feb 29: leap years only, naturally
                return True
            if rule.observed:
                # "adds the Friday before when it falls on a Saturday, the Monday
                # after when it falls on a Sunday"
                after, before = d + DAY, d - DAY
                if d.weekday() == 4 and (after.month, after.day) == (month, mday):
                    return True
                if d.weekday() == 0 and (before.month, before.day) == (month, mday):
                    return True
            return False

        return yearly
    if isinstance(rule, ast.HolidayNthWeekday):
        month = MONTHS.index(rule.month.value) + 1
        weekday = WEEKDAYS.index(rule.weekday.value)
        nth = {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "last": -1}[rule.ordinal]

        def nth_weekday(d: dt.date) -> bool:
            if d.month != month or d.weekday() != weekday:
                return False
            if nth == -1:
                return (d + 7 * DAY).month != month
            return (d.day - 1) // 7 + 1 == nth

        return nth_weekday
    if isinstance(rule, ast.HolidayEaster):
        from dateutil.easter import easter

        return lambda d: any(
            easter(y) + rule.offset * DAY == d for y in (d.year - 1, d.year, d.year + 1)
        )
    raise NotImplementedError(f"reference evaluator: holiday rule {type(rule).__name__}")


class RefCalendar:
    """A business calendar, rebuilt naively from its rules (SEMANTICS.md §1)."""

    def __init__(self, zone_name, weekly, overrides, holidays) -> None:
        self.zone = load_zone(zone_name)
        assert self.zone is not None, zone_name
        self.weekly = weekly  # weekday -> [(start_min, end_min)]
        self.overrides = overrides  # date -> [(start_min, end_min)]
        self.holidays = holidays  # [date -> bool]
        self._day_cache: dict[dt.date, list[tuple[int, int]]] = {}

    def wall(self, day: dt.date, minute: int) -> int:
        """§1: "Each local wall time is turned into an instant in the calendar's
        zone with Python's zoneinfo rule fold=0"."""
        day, minute = day + (minute // 1440) * DAY, minute % 1440  # 24:00 = next 00:00
        local = dt.datetime(
            day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=self.zone, fold=0
        )
        return instant_of_datetime(local)

    def local_date(self, t: int) -> dt.date:
        return (_EPOCH + dt.timedelta(seconds=t)).astimezone(self.zone).date()

    def is_holiday(self, day: dt.date) -> bool:
        return any(test(day) for test in self.holidays)

    def ranges_starting_on(self, day: dt.date) -> list[tuple[int, int]]:
        """§1: "The ranges that start on a date are its date-override ranges if it
        has any ..., else the weekly ranges of its weekday." An overnight range
        (decided on wall-clock times) belongs to the day it starts on; a range
        whose end is not after its start after conversion is empty."""
        ranges = (
            self.overrides[day] if day in self.overrides else self.weekly.get(day.weekday(), [])
        )
        out = []
        for start, end in ranges:
            s = self.wall(day, start)
            e = self.wall(day, end) if end > start else self.wall(day + DAY, end)
            if e > s:
                out.append((s, e))
        return out

    def day_open(self, day: dt.date) -> list[tuple[int, int]]:
        """Open intervals (unioned, holidays removed) of ranges starting on `day`."""
        if day not in self._day_cache:
            intervals = self.ranges_starting_on(day)
            # §1: "a holiday removes everything inside its local day [00:00, next
            # 00:00) and nothing else" (so also the after-midnight part of a shift
            # that started the day before; a shift starting on a holiday keeps its
            # after-midnight part on the next day).
            for h in (day, day + DAY, day + 2 * DAY):
                if self.is_holiday(h):
                    intervals = _subtract(intervals, (self.wall(h, 0), self.wall(h + DAY, 0)))
            self._day_cache[day] = intervals
        return self._day_cache[day]

    def open_intervals(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The union of open intervals, clipped to [lo, hi)."""
        if hi <= lo:
            return []
        raw = []
        day, last = self.local_date(lo) - 2 * DAY, self.local_date(hi) + DAY
        while day <= last:
            raw.extend(self.day_open(day))
            day += DAY
        return _clip(_union(raw), lo, hi)


class AlwaysOpen:
    """§1: "Calendar hours are the calendar that is always open"."""

    def open_intervals(self, lo: int, hi: int) -> list[tuple[int, int]]:
        return [(lo, hi)] if hi > lo else []


def _union(intervals):
    out: list[list[int]] = []
    for s, e in sorted(intervals):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _subtract(intervals, cut):
    a, b = cut
    out = []
    for s, e in intervals:
        if s < a:
            out.append((s, min(e, a)))
        if e > b:
            out.append((max(s, b), e))
    return [(s, e) for s, e in out if e > s]


def _clip(intervals, lo, hi):
    return [(max(s, lo), min(e, hi)) for s, e in intervals if min(e, hi) > max(s, lo)]


def between(cal, a: int, b: int) -> int:
    """§1: "between(a, b): business seconds in [a, b); negative when b < a"."""
    if b < a:
        return -between(cal, b, a)
    return sum(e - s for s, e in cal.open_intervals(a, b))


def add(cal, t: int, d: int) -> int:
    """§1: "add(t, d) for d >= 0: the earliest instant u >= t with between(t, u) = d"."""
    assert d >= 0
    if d == 0:
        return t
    done, window = 0, 7 * 86400
    lo = t
    while lo < t + TEN_YEARS_DAYS * 86400:
        for s, e in cal.open_intervals(lo, lo + window):
            if done + (e - s) >= d:
                return s + (d - done)
            done += e - s
        lo += window
    raise ReferenceError_("CALENDAR_EXHAUSTED", "no such instant within 10 years")


def build_calendars(contract: ast.Contract) -> dict[str, RefCalendar]:
    decls = {c.name.value: c for c in contract.calendars}
    lists = {h.name.value: h for h in contract.holiday_lists}

    def gather(name, seen=()):
        """LANGUAGE.md: include copies hours, date overrides and holidays; the
        including calendar's lines add to them; its timezone replaces."""
        assert name not in seen
        zone, weekly, overrides, holidays = None, {}, {}, []
        for line in decls[name].lines:
            if isinstance(line, ast.Include):
                z, w, o, h = gather(line.name.value, (*seen, name))
                zone = z if z is not None else zone
                for k, v in w.items():
                    weekly.setdefault(k, []).extend(v)
                for k, v in o.items():
                    overrides.setdefault(k, []).extend(v)
                holidays.extend(h)
        own_zone = None
        for line in decls[name].lines:
            if isinstance(line, ast.TimezoneLine):
                own_zone = line.zone.value
            elif isinstance(line, ast.WeeklyHoursLine):
                ranges = [(clock_minutes(r.start), clock_minutes(r.end)) for r in line.ranges]
                days = {d for item in line.days for d in _days_of(item)}
                for d in days:
                    weekly.setdefault(d, []).extend(ranges)
            elif isinstance(line, ast.DateHoursLine):
                # "all override lines for that date ... taken together"
                overrides.setdefault(to_date(line.date.text), []).extend(
                    (clock_minutes(r.start), clock_minutes(r.end)) for r in line.ranges
                )
            elif isinstance(line, ast.HolidayLine):
                holidays.append(_holiday_test(line.rule))
            elif isinstance(line, ast.UseHolidays):
                holidays.extend(_holiday_test(hl.rule) for hl in lists[line.name.value].lines)
        return (own_zone or zone), weekly, overrides, holidays

    return {name: RefCalendar(*gather(name)) for name in decls}


# ------------------------------------------------------------------ conditions


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _equal(field_value, literal) -> bool:
    """LANGUAGE.md: "Comparisons are exact and typed: strings equal only strings
    (case-sensitive), numbers only numbers, booleans only booleans"."""
    if isinstance(literal, bool):
        return isinstance(field_value, bool) and field_value == literal
    if isinstance(literal, Decimal):
        return _is_number(field_value) and Decimal(str(field_value)) == literal
    return isinstance(field_value, str) and field_value == literal


def holds(cond: ast.Condition, fields: dict, custom: dict) -> bool:
    if isinstance(cond, ast.Not):
        return not holds(cond.operand, fields, custom)
    if isinstance(cond, ast.And):
        return all(holds(c, fields, custom) for c in cond.operands)
    if isinstance(cond, ast.Or):
        return any(holds(c, fields, custom) for c in cond.operands)
    ref = cond.field
    value = custom.get(ref.name) if ref.custom else fields.get(ref.name)
    op = cond.op
    values = [v.value for v in cond.value] if isinstance(cond.value, tuple) else None
    literal = cond.value.value if isinstance(cond.value, ast.Value) else None
    if not ref.custom and ref.name == "tags":
        # "tags is never unset: it is the empty set"
        if op == "has":
            return literal in value
        if op == "has any":
            return any(v in value for v in values)
        if op == "has all":
            return all(v in value for v in values)
        if op == "is set":
            return True
        if op == "is not set":
            return False
        raise NotImplementedError(f"reference evaluator: tags {op}")
    # "A field that is absent or null has no value: is V, in [...] and the
    # ordering tests are false, is not V and not in [...] are true, is set is false."
    if op == "is":
        return value is not None and _equal(value, literal)
    if op == "is not":
        return not (value is not None and _equal(value, literal))
    if op == "in":
        return value is not None and any(_equal(value, v) for v in values)
    if op == "not in":
        return not (value is not None and any(_equal(value, v) for v in values))
    if op == "is set":
        return value is not None
    if op == "is not set":
        return value is None
    if op in ("<", "<=", ">", ">="):
        # "<, <=, >, >= hold only when the field holds a number"
        if not _is_number(value):
            return False
        x = Decimal(str(value))
        return {"<": x < literal, "<=": x <= literal, ">": x > literal, ">=": x >= literal}[op]
    raise NotImplementedError(f"reference evaluator: {op}")


# ------------------------------------------------------------------ policies and targets


class Model:
    """The contract, as the reference needs it."""

    def __init__(self, contract: ast.Contract) -> None:
        self.calendars = build_calendars(contract)
        self.policies = contract.policies

    def policy_for(self, fields: dict, custom: dict) -> ast.PolicyDecl | None:
        """§4: "the first policy in file order whose conditions all hold for the
        ticket's fields is the ticket's policy (even if it has no targets)"."""
        for policy in self.policies:
            whens = [line for line in policy.lines if isinstance(line, ast.When)]
            if all(holds(w.condition, fields, custom) for w in whens):
                return policy
        return None

    @staticmethod
    def target_of(policy: ast.PolicyDecl | None, metric: str, priority: str | None):
        """§4: a target is "a duration for the ticket's current priority (or for
        every priority, on a bare target line), or none". Its clock "is calendar
        hours when its line says `in calendar hours` or the policy has no
        calendar, otherwise business hours of the policy's calendar".

        Returns (policy, seconds, clock, calendar) or None."""
        if policy is None:
            return None
        cal = next(
            (line.name.value for line in policy.lines if isinstance(line, ast.UseCalendar)), None
        )
        for line in policy.lines:
            if isinstance(line, ast.TargetLine) and line.metric.value == metric:
                seconds = None
                for target in line.targets:
                    if target.priority is None or target.priority.value == priority:
                        seconds = duration_seconds(target.duration.text)
                if seconds is None:
                    return None  # "priorities not listed get no target"
                if line.clock == "calendar" or cal is None:
                    return (policy.name.value, seconds, "calendar", None)
                return (policy.name.value, seconds, "business", cal)
        return None

    def clock(self, target):
        return AlwaysOpen() if target[2] == "calendar" else self.calendars[target[3]]


# ------------------------------------------------------------------ the evaluator


class Instance:
    def __init__(self, metric: str, start: int) -> None:
        self.metric = metric
        self.start = start  # index of the starting update (applied order)
        self.stop: int | None = None  # index of the stopping update (latest solve), or None


def reference_evaluate(contract_ast: ast.Contract, ticket: dict, now: dt.datetime) -> dict:
    """DATA.md's result object for `ticket` under `contract_ast` as of `now`."""
    model = Model(contract_ast)
    now_s = instant_of_datetime(now)
    # §2: "The updates are stably sorted by instant (input order matters only
    # between equal instants)"; "Updates after now are ignored".
    updates = sorted(ticket["updates"], key=lambda u: instant_of_text(u["at"]))
    applied = [u for u in updates if instant_of_text(u["at"]) <= now_s]
    result = {"ticket": ticket["id"], "policy": None, "next_due_at": None, "metrics": []}
    if not applied:
        # "a ticket with no update at or before now has no policy and no instances"
        return result
    at = [instant_of_text(u["at"]) for u in applied]

    fields: dict = {"tags": frozenset()}
    custom: dict = {}
    after: list[dict] = []  # per applied update: status, priority, policy
    instances: dict[str, list[Instance]] = {m: [] for m in METRICS}
    agent_replied = False  # an agent reply has happened (any status)
    first_reply_done = False  # first_reply_time has started

    def running(metric):
        last = instances[metric][-1] if instances[metric] else None
        return last if last is not None and last.stop is None else None

    for k, update in enumerate(applied):
        before = fields.get("status")
        # Step 1, Fields: "Its set changes are applied. At creation the status is
        # new unless the update sets one."
        if k == 0:
            fields["status"] = "new"
        for key, value in (update.get("set") or {}).items():
            if key == "tags":
                fields["tags"] = frozenset(value or ())  # "null means empty"
            elif key in BUILTIN_FIELDS:
                fields[key] = value
            else:
                custom[key] = value
        status = fields["status"]
        if before == "closed" and status != "closed":
            raise ReferenceError_("LEFT_CLOSED")
        if k == 0:
            # resuming metrics start "at creation (step 1)"
            for metric in RESUMING_METRICS:
                instances[metric].append(Instance(metric, 0))
        # Step 2, Solve: "If the status is now solved or closed and was neither
        # before the update ..., the update solves the ticket ...: every running
        # instance of the reply and update metrics stops here, and so do the three
        # resuming metrics".
        if status in DONE and before not in DONE:
            for metric in METRICS:
                inst = running(metric)
                if inst is not None:
                    inst.stop = k
        # "A ticket is reopened when an update moves its status from solved to
        # new, open, pending or hold": the resuming metrics run again (same instance).
        if before == "solved" and status not in DONE:
            for metric in RESUMING_METRICS:
                instances[metric][-1].stop = None
        # Step 3, Comment.
        public = update.get("comment") == "public"
        customer_reply = public and update["by"] in CUSTOMERS
        agent_reply = public and update["by"] == "agent"
        # "A customer reply on an update that leaves the ticket solved or closed
        # starts nothing."
        if customer_reply and status not in DONE:
            if not first_reply_done and not agent_replied:
                # first_reply_time starts "at the first customer reply that step 3
                # lets start anything, unless an agent reply ... came before it"
                instances["first_reply_time"].append(Instance("first_reply_time", k))
                first_reply_done = True
            elif running("first_reply_time") is None and running("next_reply_time") is None:
                # next_reply_time: "at a customer reply that does not start
                # first_reply_time, when no reply instance (first or next) is running"
                instances["next_reply_time"].append(Instance("next_reply_time", k))
        if agent_reply:
            agent_replied = True
            # reply metrics stop at the (first / next) agent reply; the update
            # metrics stop at "the next agent reply (which starts the next cycle)"
            for metric in REPLY_METRICS + UPDATE_METRICS:
                inst = running(metric)
                if inst is not None:
                    inst.stop = k
            # periodic/pausable start "at an agent reply that leaves the ticket
            # neither solved nor closed"
            if status not in DONE:
                for metric in UPDATE_METRICS:
                    instances[metric].append(Instance(metric, k))
        # §4: "After each update, the first policy in file order whose conditions
        # all hold for the ticket's fields is the ticket's policy".
        policy = model.policy_for(fields, custom)
        after.append({"status": status, "priority": fields.get("priority"), "policy": policy})

    last = len(applied) - 1

    def target_after(k, metric):
        return Model.target_of(after[k]["policy"], metric, after[k]["priority"])

    metrics_out = []
    for metric in METRICS:
        for number, inst in enumerate(instances[metric], start=1):
            # §4: judging update: the stopping update (latest solve for a resuming
            # metric, kept in inst.stop), else the last update at or before now.
            judging = inst.stop if inst.stop is not None else last
            # judging point: "its stop instant, or now if running"
            x = at[inst.stop] if inst.stop is not None else now_s
            target = target_after(judging, metric)
            if target is None:
                # "with none, the instance is not reported (it still counts for numbering)"
                continue
            # applied_at: "the instant of the earliest update from which that same
            # target (same policy, duration and clock) has been in effect after
            # every update up to the judging update".
            first = judging
            while first > 0 and target_after(first - 1, metric) == target:
                first -= 1
            applied_at = at[first]
            # Counted segments: the time the instance "was running and not paused".
            # Between two updates the status is the one after the earlier update.
            segments = []
            for k in range(inst.start, judging + 1 if inst.stop is None else judging):
                end = at[k + 1] if k < last else now_s
                status = after[k]["status"]
                if status in DONE:
                    continue  # resuming metrics: "the time spent solved is not counted"
                if status in PAUSED_WHILE[metric]:
                    continue
                segments.append((at[k], min(end, x)))
            clock = model.clock(target)
            T = target[1]
            # "Elapsed time always counts from the instance's start, on the clock of
            # the target it is judged by"
            elapsed = sum(between(clock, a, b) for a, b in segments if b > a)
            raw_due = None
            if elapsed >= T:
                # "raw_due is the earliest instant at which elapsed reached T"
                done = 0
                for a, b in segments:
                    for s, e in clock.open_intervals(a, b):
                        if raw_due is None and done + (e - s) >= T:
                            raw_due = s + (T - done)
                        done += e - s
                assert raw_due is not None
            due_at = max(raw_due, applied_at) if raw_due is not None else None
            stopped = inst.stop is not None
            paused_now = not stopped and after[last]["status"] in PAUSED_WHILE[metric]
            if due_at is not None and due_at < x:
                outcome = "breached"
            elif stopped:
                outcome, due_at = "achieved", None
            elif paused_now:
                outcome, due_at = "paused", None
            else:
                outcome = "active"
                if due_at is None:
                    # "the projected deadline add(now, T - elapsed(now)) on its clock"
                    due_at = add(clock, now_s, T - elapsed)
            metrics_out.append(
                {
                    "metric": metric,
                    "instance": number,
                    "policy": target[0],
                    "priority": after[judging]["priority"],
                    "target_seconds": T,
                    "clock": target[2],
                    "calendar": target[3],
                    "status": outcome,
                    "started_at": text_of_instant(at[inst.start]),
                    "stopped_at": text_of_instant(at[inst.stop]) if stopped else None,
                    "due_at": text_of_instant(due_at),
                    "elapsed_seconds": elapsed,
                    "remaining_seconds": T - elapsed,
                }
            )
    ticket_policy = after[last]["policy"]
    result["policy"] = ticket_policy.name.value if ticket_policy is not None else None
    # "next_due_at is the earliest due_at among its active instances"
    dues = [m["due_at"] for m in metrics_out if m["status"] == "active"]
    result["next_due_at"] = min(dues) if dues else None  # same-format UTC strings sort as instants
    result["metrics"] = metrics_out
    return result


# ------------------------------------------------------------------ test helpers


def parse_contract(text: str) -> ast.Contract:
    """The contract's syntax tree, from the real parser (allowed: the reference
    shares the AST, not the evaluator)."""
    from sladsl.syntax.parser import parse

    tree, diagnostics = parse(text, filename="reference.sla")
    assert tree is not None, diagnostics
    return tree


def reference_evaluate_text(text: str, ticket: dict, now: dt.datetime) -> dict:
    return reference_evaluate(parse_contract(text), ticket, now)
