"""``sladsl``: the command-line entry point. One module per command registers
itself here; each returns the process exit code (0 ok, 1 findings, 2 usage or
I/O error, or a contract with errors for eval/explain)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module

# Each command module provides `register(subparsers)`, which adds its parser
# and sets `run` (args -> exit code) as the parser's default `run`.
COMMANDS = ("check", "fmt", "eval", "explain")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse already exits 2 on usage errors; keep its message format.
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sladsl",
        description="Check, format and evaluate sladsl support-SLA contracts.",
    )
    from sladsl import __version__

    parser.add_argument("--version", action="version", version=f"sladsl {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMANDS:
        import_module(f"sladsl.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `sladsl eval ... | head`: the reader went away; that is not an error of ours.
        sys.stderr.close()
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
