"""``newsparse train ner``: trains the entity tagger on CoNLL-2003 files (core/ner_train.h).

Writes the model to ``--out``, prints a summary line and the dev-set evaluation; progress lines
go to stderr. Word clusters and gazetteer come from the data folder (default: packaged).
"""

from __future__ import annotations

import argparse
import sys

from . import _core
from ._cli_eval import _data_dir


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def _ner(args: argparse.Namespace) -> int:
    if args.folds < 2:
        sys.stderr.write("newsparse train ner: --folds must be >= 2\n")
        return 2
    if not 0 <= args.word_dropout <= 1:
        sys.stderr.write("newsparse train ner: --word-dropout must be in [0, 1]\n")
        return 2
    if not 0 <= args.beam <= 16:
        sys.stderr.write("newsparse train ner: --beam must be in [0, 16]\n")
        return 2
    if args.seed < 0:
        sys.stderr.write("newsparse train ner: --seed must be >= 0\n")
        return 2
    try:
        summary, js, text = _core.train_ner(args.train, args.dev, args.out, _data_dir(args),
                                            args.seed, args.epochs, args.folds, args.mixtures,
                                            args.word_dropout, args.beam)
    except (OSError, ValueError, RuntimeError) as e:
        sys.stderr.write(f"newsparse train ner: {e}\n")
        return 1
    sys.stdout.write(summary)
    if js is not None and text is not None:
        sys.stdout.write(js + "\n" if args.json else text)
    return 0


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("train", help="train a model",
                       description="Train a model of the parser.")
    models = p.add_subparsers(dest="what", required=True, metavar="MODEL")
    q = models.add_parser("ner", help="train the entity tagger on CoNLL-2003 files",
                          description="Train the entity tagger (averaged perceptron) on a "
                                      "CoNLL-2003 file and evaluate it on a dev file.")
    q.add_argument("--train", required=True, metavar="PATH", help="CoNLL training file")
    q.add_argument("--dev", required=True, metavar="PATH", help="CoNLL dev file (evaluated)")
    q.add_argument("--out", required=True, metavar="PATH", help="model file to write")
    q.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    q.add_argument("--epochs", type=_positive, default=8, help="epochs (default 8)")
    q.add_argument("--folds", type=int, default=8,
                   help="jackknife folds for document features, >= 2 (default 8)")
    q.add_argument("--mixtures", type=_positive, default=5,
                   help="perceptrons averaged into the model (default 5, as the shipped model)")
    q.add_argument("--word-dropout", type=float, default=0.1, metavar="P",
                   help="probability that a capitalised word's own-word features are left out "
                        "of a training occurrence, 0-1 (default 0.1, as the shipped model)")
    q.add_argument("--beam", type=int, default=3, metavar="K",
                   help="0: the greedy tagger; K >= 1: a structured perceptron trained with beam "
                        "search of width K, which the model records and is decoded with "
                        "(default 3, as the shipped model)")
    q.add_argument("--json", action="store_true", help="print the dev evaluation as JSON")
    q.add_argument("--data-dir", default=None,
                   help="data folder with ner_clusters.tsv and ner_gazetteer.tsv "
                        "(default: packaged)")
    q.set_defaults(func=_ner)
