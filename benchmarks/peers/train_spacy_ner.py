#!/usr/bin/env python3
"""Trains the spaCy peer of the newsparse entity tagger: spaCy NER on CoNLL-2003 ``eng.train``.

The recipe is spaCy's own CPU efficiency configuration, nothing tuned by this project:

    spacy init config --lang en --pipeline ner --optimize efficiency
    spacy convert -c ner eng.train / eng.testa   (CoNLL-2003 columns, -DOCSTART- documents)
    spacy train config.cfg --paths.train train.spacy --paths.dev dev.spacy

``spacy convert -c ner`` reads the last column as the NER tag and turns it into BILUO with
``iob_to_biluo``, which treats an ``I-`` after ``O`` as the start of an entity and ``B-`` as the
start of a new one: that is the IOB1 reading CoNLL-2003 needs, so no tag rewriting is done here.
The documents (``-DOCSTART-``) are kept as spaCy docs (``-n`` is disabled by the converter).

The only change to the generated config is the training length, because the default
(``max_steps = 20000``, ``patience = 1600``) runs for hours on a shared 2-core machine:
``--max-epochs`` (default 6) and ``--patience`` (steps without a better dev score, default 1600,
spaCy's own) cap it, and ``--max-minutes`` (default 120) stops ``spacy train`` after that much wall-clock time,
keeping ``model-best`` (spaCy saves it at every evaluation that improves the dev score, every
``--eval-frequency`` steps). The figures are reported with that cap; train.log shows where it
stopped. Everything is written OUTSIDE the repository, to
``--out`` (default ``~/.cache/newsparse/peers/spacy-ner-conll``): ``config.cfg``, ``corpus/``,
``model-best`` (the pipeline benchmarks/peers/run.py loads) and ``train.log``.

Needs the ``peers`` extra (``pip install "newsparse[peers]"``). Exit status 0 on success, 2
when the data is missing (nothing to do), 1 when a spaCy step fails.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def shared_data() -> Path:
    env = os.environ.get("NEWSPARSE_SHARED_DATA")
    if env:
        return Path(env)
    return HERE.parents[2] / "shared" / "data"


def default_out() -> Path:
    return Path.home() / ".cache" / "newsparse" / "peers" / "spacy-ner-conll"


def spacy_cli(*args: str, log=None, minutes: float = 0) -> bool:
    """Runs a spaCy command; False when it was stopped after `minutes` (0: no limit)."""
    cmd = [sys.executable, "-m", "spacy", *args]
    print("+", " ".join(cmd), flush=True)
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT if log else None)
    try:
        rc = proc.wait(timeout=minutes * 60 if minutes > 0 else None)
    except subprocess.TimeoutExpired:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        return False
    if rc != 0:
        raise subprocess.CalledProcessError(rc, cmd)
    return True


def main(argv=None) -> int:
    data = shared_data()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", default=str(data / "conll2003" / "eng.train"))
    ap.add_argument("--dev", default=str(data / "conll2003" / "eng.testa"))
    ap.add_argument("--out", default=str(default_out()), help="output folder (outside the repo)")
    ap.add_argument("--max-epochs", type=int, default=6)
    ap.add_argument("--patience", type=int, default=1600)
    ap.add_argument("--max-minutes", type=float, default=120,
                    help="stop training after this many minutes, keeping model-best (0: no limit)")
    ap.add_argument("--eval-frequency", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    for p in (args.train, args.dev):
        if not Path(p).is_file():
            print(f"train_spacy_ner: {p} not found; nothing to train", file=sys.stderr)
            return 2
    try:
        import spacy  # noqa: F401
    except ImportError:
        print("train_spacy_ner: spaCy is not installed (pip install 'newsparse[peers]')",
              file=sys.stderr)
        return 1
    out = Path(args.out).expanduser().resolve()
    repo = HERE.parents[1]
    if out == repo or repo in out.parents:
        print(f"train_spacy_ner: --out {out} is inside the repository; choose a folder outside",
              file=sys.stderr)
        return 2
    corpus = out / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    try:
        # One folder per split: `spacy convert` names its output after the input's stem, and
        # eng.train and eng.testa share the stem "eng".
        paths = {}
        for split, src in (("train", args.train), ("dev", args.dev)):
            (corpus / split).mkdir(exist_ok=True)
            spacy_cli("convert", "-c", "ner", "-t", "spacy", "-l", "en", src,
                      str(corpus / split))
            paths[split] = corpus / split / (Path(src).stem + ".spacy")
        config = out / "config.cfg"
        spacy_cli("init", "config", "--lang", "en", "--pipeline", "ner", "--optimize",
                  "efficiency", "--force", str(config))
        start = time.monotonic()
        with open(out / "train.log", "w") as log:
            finished = spacy_cli("train", str(config), "--output", str(out),
                      "--paths.train", str(paths["train"]), "--paths.dev", str(paths["dev"]),
                      "--training.max_epochs", str(args.max_epochs),
                      "--training.max_steps", "0",
                      "--training.patience", str(args.patience),
                      "--training.eval_frequency", str(args.eval_frequency),
                      "--system.seed", str(args.seed), log=log, minutes=args.max_minutes)
    except subprocess.CalledProcessError as e:
        print(f"train_spacy_ner: spaCy step failed ({e}); see {out / 'train.log'}",
              file=sys.stderr)
        return 1
    minutes = (time.monotonic() - start) / 60
    if not (out / "model-best").is_dir():
        print(f"train_spacy_ner: no model-best after {minutes:.1f} min", file=sys.stderr)
        return 1
    how = "finished" if finished else f"stopped at the {args.max_minutes:g}-minute cap"
    print(f"training {how} after {minutes:.1f} min; pipeline: {out / 'model-best'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
