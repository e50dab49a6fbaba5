#!/usr/bin/env python3
"""Articles/s of newsparse.spark.parse_dataframe against Engine.parse_many on the same articles.

    python benchmarks/spark_throughput.py [--docs 5000] [--master local[2]] [--partitions 8]
                                          [--repeats 3] [--threads 2]

Reads the first --docs articles (field "text") of the Reuters 2006-2013 corpus in
$NEWSPARSE_SHARED_DATA (default ../shared/data beside the checkout); skips cleanly when it is
absent, or when PySpark, pyarrow or Java is missing. Verifies first (the Spark rows of a sample
equal parse_many's), then times, alternating the variants and keeping the best of --repeats:

  parse_many   Engine.parse_many(texts, threads=--threads) in this process (typed Articles)
  spark        parse_dataframe(df).write.format("noop"): every row parsed and converted to the
               Spark columns, nothing collected; the input DataFrame is cached in the JVM first,
               and a warm-up run loads the engines in the Python workers, so the figure is the
               steady state (the first run, with worker start and engine load, is reported apart)

Reports articles/s and MB/s of each, the ratio spark / parse_many, and the load average.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time

# The reuters2006 loader of python_overhead.py (this folder is on sys.path when run as a script).
from python_overhead import load_texts


def skip(why: str) -> None:
    print(f"spark_throughput: skipped, {why}")
    sys.exit(0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2, help="parse_many threads")
    args = ap.parse_args()

    try:
        import pyarrow  # noqa: F401
        from pyspark.sql import SparkSession
    except ImportError as e:
        skip(f"{e.name} is not installed (pip install newsparse[spark])")
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        skip("Java is not installed")

    import newsparse
    from newsparse.spark import parse_dataframe

    texts = load_texts(args.docs)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    engine = newsparse.Engine()

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (SparkSession.builder.master(args.master).appName("newsparse-spark-throughput")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.driver.memory", "2g")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    rows = list(enumerate(texts))
    df = spark.createDataFrame(spark.sparkContext.parallelize(rows, args.partitions),
                               "id long, text string").cache()
    df.count()  # the input lives in the JVM before any timing
    parsed = parse_dataframe(df, id_col="id")

    def run_spark() -> float:
        t = time.perf_counter()
        parsed.write.format("noop").mode("overwrite").save()
        return time.perf_counter() - t

    def run_many() -> float:
        t = time.perf_counter()
        engine.parse_many(texts, threads=args.threads)
        return time.perf_counter() - t

    # The first run starts the Python workers and loads an engine in each.
    first = run_spark()
    # Verify: a sample of rows equals parse_many's (the full check is tests/python/test_spark.py).
    sample = parsed.where("id % 50 = 0").orderBy("id").collect()
    want = engine.parse_many([texts[r["id"]] for r in sample], threads=args.threads)
    for r, a in zip(sample, want):
        ents = [(e["type"], e["name"]) for e in r["entities"]]
        assert ents == [(e.type, e.name) for e in a.entities], r["id"]
        assert len(r["attributions"]) == len(a.attributions), r["id"]
    assert len(sample) == len(want) > 0

    best = {"parse_many": float("inf"), "spark": float("inf")}
    for _ in range(args.repeats):
        best["parse_many"] = min(best["parse_many"], run_many())
        best["spark"] = min(best["spark"], run_spark())
    load = os.getloadavg()
    print(f"{len(texts)} articles, {mb:.1f} MB; master {args.master}, {args.partitions} "
          f"partitions; parse_many threads={args.threads}; best of {args.repeats}")
    for name, secs in best.items():
        print(f"  {name:<11} {len(texts) / secs:9,.0f} articles/s  {mb / secs:6.2f} MB/s  "
              f"({secs:.2f} s)")
    print(f"  spark first run (workers start, engines load): {first:.2f} s")
    print(f"  ratio spark / parse_many: {best['parse_many'] / best['spark']:.2f}")
    print(f"  load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
