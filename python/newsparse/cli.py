"""The ``newsparse`` command line.

Each subcommand lives in its own module ``newsparse/_cli_<name>.py`` exposing
``register(subparsers)``, which adds its parser and sets ``func`` (called with the parsed
arguments, returning the exit status). Modules are found by name, so adding a subcommand never
touches this file.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from typing import List, Optional, Sequence

from . import __version__


def _subcommand_modules() -> List[str]:
    package = "newsparse"
    here = importlib.import_module(package).__path__
    return sorted(f"{package}.{m.name}" for m in pkgutil.iter_modules(here)
                  if m.name.startswith("_cli_"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsparse", description="Fast news-article parser.")
    parser.add_argument("--version", action="version", version=f"newsparse {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in _subcommand_modules():
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
