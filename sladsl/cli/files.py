"""File and terminal plumbing shared by the commands: the only place that
reads contract files, so every command reports unreadable input the same way."""

from __future__ import annotations

import os
import sys
from typing import TextIO


class InputFileError(Exception):
    """A file that cannot be read as UTF-8 text; ``str()`` is the user-facing line."""


def read_source(path: str) -> str:
    """The text of ``path`` (``-`` is standard input), or :class:`InputFileError`."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
            shown = "<stdin>"
        else:
            with open(path, "rb") as handle:
                data = handle.read()
            shown = path
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputFileError(f"{path}: is a directory, not a file") from None
    except OSError as error:
        raise InputFileError(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        raise InputFileError(
            f"{shown}:{line}: not UTF-8 text (byte 0x{byte:02x} at offset {error.start})"
        ) from None
    # A byte-order mark is not part of the contract.
    return text[1:] if text.startswith("\ufeff") else text


def display_name(path: str) -> str:
    return "<stdin>" if path == "-" else path


def use_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    if "NO_COLOR" in os.environ:
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def fail(message: str) -> None:
    """Print a one-line error of the command itself on stderr."""
    print(f"sladsl: {message}", file=sys.stderr)
