"""The Spark jobs on a local[2] session: the same quotes, skips, links and clusters as the CLI's.

One session for the whole test run (`spark` fixture) and one `spark extract` + `spark link` run
over WARCs written here from the example articles (`run` fixture), which every test reads.
Without PySpark or Java these tests skip, except under CI=true, where they must run.
"""
from __future__ import annotations

import gzip
import html
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES
from ingest_helpers import write_warc
from quotetrail.cli import main
from quotetrail.spark.session import missing, spark_session

pytestmark = pytest.mark.spark


@pytest.fixture(scope="session")
def spark():
    problem = missing()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the spark tests: {problem}")
        pytest.skip(f"the spark tests need the spark extra and Java 17: {problem}")
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    conf = {"spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "4", "spark.default.parallelism": "2",
            "spark.driver.memory": "1g"}
    with spark_session("local[2]", "quotetrail tests", conf=conf) as session:
        yield session


def test_a_local_session_runs_its_jvm_with_the_quick_compiler_only(spark):
    """The JVM of a local session only moves rows: its optimising compiler (C2) would take the
    Python workers' cores (README, Spark, "Scale, measured")."""
    jvm = spark.sparkContext._jvm
    diagnostics = jvm.java.lang.management.ManagementFactory.getPlatformMXBean(
        jvm.java.lang.Class.forName("com.sun.management.HotSpotDiagnosticMXBean"))
    assert diagnostics.getVMOption("TieredStopAtLevel").getValue() == "1"


def html_page(path: Path) -> bytes:
    """An example article as a news page: its first line the headline, its paragraphs as <p>."""
    title, *paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
            f"<body><article><h1>{html.escape(title)}</h1>{body}</article></body></html>").encode()


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def run(spark, tmp_path_factory):
    """Two WARCs of the example articles, a junk gzip, a missing file and an s3:// URI, extracted and linked."""
    root = tmp_path_factory.mktemp("spark")
    examples = sorted(EXAMPLES.glob("*.txt"))
    warcs = []
    for n, part in enumerate((examples[:8], examples[8:]), start=1):
        responses = [(f"https://news.example.org/{p.stem}", "200 OK", "text/html; charset=utf-8", html_page(p))
                     for p in part]
        warcs.append(str(write_warc(root / f"crawl-{n}.warc.gz", responses)))
    junk = root / "junk.warc.gz"
    junk.write_bytes(gzip.compress(b"WARC/1.0\r\n")[:12] + os.urandom(300))
    manifest = root / "manifest.txt"
    lines = [*warcs, str(junk), str(root / "missing.warc.gz"), "s3://commoncrawl/crawl-data/x.warc.gz"]
    manifest.write_text("# the test crawl\n" + "\n".join(lines) + "\n\n")
    out = root / "out"
    extracted = invoke("spark", "extract", str(manifest), "--out", str(out))
    linked = invoke("spark", "link", str(out))
    cli_db = root / "cli.db"  # the same crawls through `quotetrail ingest`, which links them
    assert invoke("ingest", *warcs, "--db", str(cli_db), "-j", "1").exit_code == 0
    return {"root": root, "warcs": warcs, "out": out, "extracted": extracted, "linked": linked, "junk": str(junk),
            "cli_db": cli_db}


def table(run, name: str) -> list[dict]:
    import pyarrow.dataset as ds

    return ds.dataset(run["out"] / name, format="parquet", partitioning="hive").to_table().to_pylist()


def test_the_quotes_are_those_of_quotetrail_extract_on_the_same_files(run):
    cli = invoke("extract", *run["warcs"], "--format", "jsonl", "-j", "1")
    expected = {line["id"]: line for line in map(json.loads, cli.stdout.splitlines())}
    articles = {row["id"]: row for row in table(run, "articles")}
    quotes: dict[str, list[dict]] = {}
    for row in sorted(table(run, "quotes"), key=lambda q: q["quote_key"]):
        quotes.setdefault(row["article_id"], []).append(
            {k: row[k] for k in ("kind", "content_spans", "cue_span", "source_span", "speaker", "venue",
                                 "confidence", "text")})
    assert len(expected) == 15 and articles.keys() == expected.keys()
    for article_id, line in expected.items():
        assert quotes.get(article_id, []) == line["quotes"], article_id
        for field in ("url", "outlet", "date", "title", "language", "origin", "text"):
            assert articles[article_id][field] == line.get(field), (article_id, field)
    assert sum(map(len, quotes.values())) > 100


def test_each_file_is_one_task_and_the_two_crawls_ran_in_two_worker_processes(run):
    workers: dict[str, set[str]] = {}
    for row in table(run, "articles"):
        workers.setdefault(row["file"], set()).add(row["worker"])
    assert sorted(workers) == run["warcs"]
    assert all(len(w) == 1 for w in workers.values())
    assert len(set.union(*workers.values())) == 2


def test_bad_inputs_are_rows_of_skipped_and_counted(run):
    assert run["extracted"].exit_code == 1
    skipped = table(run, "skipped")
    bad = {(row["file"], row["kind"]) for row in skipped if row["bad"]}
    assert (run["junk"], "corrupt file") in bad or (run["junk"], "broken WARC record") in bad
    assert (str(run["root"] / "missing.warc.gz"), "missing file") in bad
    assert ("s3://commoncrawl/crawl-data/x.warc.gz", "unsupported scheme") in bad
    assert len(bad) == 3
    requests = [row for row in skipped if row["kind"] == "WARC request record"]
    assert len(requests) == 15 and not any(row["bad"] for row in requests)
    n_quotes = len(table(run, "quotes"))
    # records: every article and skip the readers yielded; files: those opened (the missing and s3:// ones were not)
    assert (f"read 15 articles ({15 + len(skipped)} records) from 3 files: {n_quotes} quotes; "
            f"skipped {len(skipped)} (3 bad") in run["extracted"].stderr


def members_of_sqlite(db: Path) -> set[frozenset]:
    rows = json.loads(invoke("clusters", "--db", str(db), "--format", "json").stdout)
    return {frozenset((m["article_id"], json.dumps(m["content_spans"]), m["relation"], m["altered"])
                      for m in row["members"]) for row in rows}


def test_spark_link_makes_the_clusters_of_quotetrail_link(run):
    assert run["linked"].exit_code == 0, run["linked"].output
    spans = {(q["article_id"], q["seq"]): json.dumps(q["content_spans"]) for q in table(run, "quotes")}
    clusters: dict[int, set] = {}
    for row in table(run, "clusters"):
        clusters.setdefault(row["cluster"], set()).add(
            (row["article_id"], spans[row["article_id"], row["seq"]], row["relation"], row["altered"]))
    expected = members_of_sqlite(run["cli_db"])
    assert len(expected) >= 2 and any(any(m[3] for m in c) for c in expected)  # the altered report of c2
    assert {frozenset(c) for c in clusters.values()} == expected
    assert f"{len(clusters)} clusters" in run["linked"].stderr


def test_import_loads_the_run_for_search_and_clusters_and_adds_nothing_the_second_time(run, tmp_path):
    db = tmp_path / "spark.db"
    first = invoke("import", str(run["out"]), "--db", str(db))
    assert first.exit_code == 0, first.output
    assert "stored 15 new articles" in first.stderr and "links of spark link adopted" in first.stderr
    found = [json.loads(line) for line in invoke("search", "money", "--db", str(db), "--format", "jsonl",
                                                 "--limit", "0").stdout.splitlines()]
    cli_db = run["cli_db"]
    expected = [json.loads(line) for line in invoke("search", "money", "--db", str(cli_db), "--format", "jsonl",
                                                    "--limit", "0").stdout.splitlines()]
    assert found and [(r["article_id"], r["text"], r["speaker"]) for r in found] == \
        [(r["article_id"], r["text"], r["speaker"]) for r in expected]
    assert members_of_sqlite(db) == members_of_sqlite(cli_db)
    again = invoke("import", str(run["out"]), "--db", str(db))
    assert "stored 0 new articles (0 replaced, 15 unchanged), 0 quotes" in again.stderr
    assert members_of_sqlite(db) == members_of_sqlite(cli_db)


def test_a_second_run_into_the_same_directory_is_refused_before_any_work(run):
    again = invoke("spark", "extract", str(run["root"] / "manifest.txt"), "--out", str(run["out"]))
    assert again.exit_code == 2
    assert again.stderr == (f"quotetrail: error: {run['out']} already holds articles/, quotes/, skipped/ of a run: "
                            "choose another --out or remove them\n")
