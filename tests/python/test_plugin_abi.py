"""The C plugin ABI (libnewsparse.so.1, driven by the example C host) gives the same spans as the
Python module. The C host dumps every record with UTF-8 byte spans; the module's JSON form (code
point offsets) is converted to byte offsets and must match exactly.

Runs when $NEWSPARSE_C_HOST names the built C host (scripts/test.sh sets it); skips otherwise.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsparse import _core

ROOT = Path(__file__).resolve().parents[2]
C_HOST = os.environ.get("NEWSPARSE_C_HOST")

pytestmark = pytest.mark.skipif(not C_HOST, reason="NEWSPARSE_C_HOST not set (scripts/test.sh)")

sys.path.insert(0, str(ROOT / "plugin_api" / "tests"))
from parity import canonical_from_json  # noqa: E402

ARTICLES = sorted((ROOT / "samples").glob("*.txt")) + sorted(
    (ROOT / "plugin_api" / "tests" / "articles").glob("*.txt"))


def dump_spans(paths):
    assert Path(C_HOST).is_file(), f"C host {C_HOST} not built"
    proc = subprocess.run([C_HOST, "--dump-spans", *map(str, paths)], capture_output=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    return [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]


def test_c_abi_spans_equal_python_module():
    assert len(ARTICLES) >= 5
    engine = _core.Engine()
    dumps = dump_spans(ARTICLES)
    assert len(dumps) == len(ARTICLES)
    for path, got in zip(ARTICLES, dumps):
        data = path.read_bytes()
        article = json.loads(engine.parse_json(data.decode("utf-8")))
        assert article["error"] is None
        assert got == canonical_from_json(data, article), path.name


def test_c_abi_non_ascii_offsets(tmp_path):
    # Multi-byte characters before every span: byte offsets differ from code point offsets.
    text = "ZÜRICH, 3. März (dpa) – Die Bank 銀行 meldete 🌊 einen Gewinn.\n"
    path = tmp_path / "umlaut.txt"
    path.write_bytes(text.encode("utf-8"))
    (got,) = dump_spans([path])
    article = json.loads(_core.Engine().parse_json(text))
    assert got == canonical_from_json(text.encode("utf-8"), article)
