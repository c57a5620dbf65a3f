"""Time zones from the ``tzdata`` package, never from the operating system.

SEMANTICS.md makes evaluation a function of its inputs on any machine, so zone
rules must not depend on what ``/usr/share/zoneinfo`` happens to hold.
``zoneinfo.ZoneInfo(name)`` searches the system path first; we read the
``tzdata`` package's files directly instead.

Example::

    >>> load_zone("America/New_York").key
    'America/New_York'
    >>> load_zone("Mars/Olympus") is None
    True
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo


@cache
def zone_names() -> frozenset[str]:
    """Every IANA zone name that ``tzdata`` ships."""
    listing = resources.files("tzdata").joinpath("zones")
    lines = listing.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip())


@cache
def load_zone(name: str) -> ZoneInfo | None:
    """The zone called ``name`` from ``tzdata``, or None if there is no such zone."""
    if name not in zone_names():
        return None
    head, _, leaf = name.rpartition("/")
    package = "tzdata.zoneinfo" + ("." + head.replace("/", ".") if head else "")
    with resources.files(package).joinpath(leaf).open("rb") as handle:
        return ZoneInfo.from_file(handle, key=name)
