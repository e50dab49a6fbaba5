"""``newsparse eval``: the evaluations of the C++ core, one subcommand per stage.

- ``eval dateline``: has-dateline precision/recall, place and date exact match on a
  Reuters-21578-shaped JSON Lines file (gzip or plain); ``--no-gold`` gives coverage figures on a
  corpus without gold (reuters2006 shape).
- ``eval ner``: conlleval precision/recall/F1 of the entity tagger on a CoNLL-2003 file.
- ``eval entities``: entity consolidation and body dates against a gold set in the format of
  ``data/eval/README.md`` (not shipped in the wheel, hence ``--gold`` is required).
- ``eval attribution``: the attribution finder on PolNeAR-shaped JSON Lines.

Each prints the same text (or, with ``--json``, the same JSON object) as the development driver
in ``tools/``. Exit status: 0, 1 when an input cannot be read or is malformed, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable, Optional

from . import _core
from . import data_dir as _package_data_dir


def _data_dir(args: argparse.Namespace) -> str:
    d: Optional[str] = args.data_dir or _package_data_dir()
    return d or ""


def _guarded(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turns the core's exceptions (bad file, malformed data) into a message and status 1."""
    def wrapped(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except (OSError, ValueError, RuntimeError) as e:
            sys.stderr.write(f"newsparse {args.command} {args.what}: {e}\n")
            return 1
    return wrapped


def _write(path: str, data: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(data)


def _dateline(args: argparse.Namespace) -> int:
    js, text, disagreements, malformed = _core.eval_dateline(
        args.gold, not args.no_gold, _data_dir(args), args.disagreements is not None)
    if malformed:
        sys.stderr.write(f"{malformed} malformed JSON lines skipped\n")
    if args.disagreements is not None:
        with open(args.disagreements, "wb") as f:
            f.write(disagreements)
    sys.stdout.write(js + "\n" if args.json else text)
    return 0


def _ner(args: argparse.Namespace) -> int:
    js, text = _core.eval_ner(args.gold, args.model or "", _data_dir(args))
    sys.stdout.write(js + "\n" if args.json else text)
    return 0


def _entities(args: argparse.Namespace) -> int:
    js, report = _core.eval_entities(args.gold, args.oracle_mentions, _data_dir(args))
    if args.json:
        sys.stdout.write(js + "\n")
    else:
        end = report.find("\ndisagreements")
        sys.stdout.write(report if end < 0 else report[:end])
    if args.report is not None:
        mode = "oracle mentions" if args.oracle_mentions else "engine"
        _write(args.report, f"mode: {mode}\n" + report)
    return 0


def _attribution(args: argparse.Namespace) -> int:
    js, text, kinds = _core.eval_attribution(args.gold, _data_dir(args), args.errors or "",
                                             agreement=args.agreement,
                                             multi_annotated=args.multi_annotated)
    sys.stdout.write(js + "\n" if args.json else text)
    if args.agreement:
        return 0
    sys.stderr.write("error kinds (matched pairs count once per field):\n")
    for count, kind in kinds[:25]:
        sys.stderr.write(f"  {count:5d}  {kind}\n")
    return 0


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("eval", help="evaluate a stage against gold data",
                       description="Evaluate one stage of the parser against gold data.")
    stages = p.add_subparsers(dest="what", required=True, metavar="STAGE")

    def add(name: str, help: str, run: Callable[[argparse.Namespace], int],
            gold_help: str) -> argparse.ArgumentParser:
        q = stages.add_parser(name, help=help, description=help)
        q.add_argument("--gold", required=True, metavar="PATH", help=gold_help)
        q.add_argument("--json", action="store_true", help="print one JSON object")
        q.add_argument("--data-dir", default=None,
                       help="run-time data folder (default: packaged)")
        q.set_defaults(func=_guarded(run))
        return q

    q = add("dateline", "score the dateline parser", _dateline,
            "JSON Lines (gzip or plain): Reuters-21578 shape (text, dateline, date_iso, body, "
            "id), or with --no-gold any corpus with text and id")
    q.add_argument("--no-gold", action="store_true",
                   help="coverage figures only (reference date from the id's YYYYMMDD segment)")
    q.add_argument("--disagreements", metavar="PATH", default=None,
                   help="write one tab-separated line per disagreement")

    q = add("ner", "score the entity tagger (conlleval)", _ner,
            "CoNLL-2003 file (IOB1 or IOB2)")
    q.add_argument("--model", metavar="PATH", default=None,
                   help="tagger model (default: ner.model in the data folder)")

    q = add("entities", "score entity consolidation and body dates", _entities,
            "gold JSON Lines in the format of data/eval/README.md")
    q.add_argument("--oracle-mentions", action="store_true",
                   help="consolidate the gold mentions (measures consolidation without a tagger)")
    q.add_argument("--report", metavar="PATH", default=None,
                   help="write the summary and every disagreement")

    q = add("attribution", "score the attribution finder", _attribution,
            "PolNeAR-shaped JSON Lines (gzip or plain)")
    q.add_argument("--errors", metavar="PATH", default=None,
                   help="write every disagreement, one block per article")
    which = q.add_mutually_exclusive_group()
    which.add_argument("--agreement", action="store_true",
                       help="score the annotators, not the finder: every non-primary annotation "
                            "against its article's primary one (the human ceiling)")
    which.add_argument("--multi-annotated", action="store_true",
                       help="score the finder only on the articles --agreement scores")
