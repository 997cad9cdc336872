"""Worker processes give the same output as one process, in input order, and survive bad articles."""
import json

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES
from quotetrail import engine, parallel
from quotetrail.cli import main
from quotetrail.ingest import Skipped, read_paths
from quotetrail.model import Article


def as_json(results):
    return [r if isinstance(r, Skipped) else (r[0].id, [q.to_json() for q in r[1]]) for r in results]


def test_two_workers_match_one_process_on_the_examples():
    articles = list(read_paths([str(EXAMPLES)]))
    assert len(articles) >= 8
    single = as_json(parallel.extract_articles(articles, jobs=1))
    assert as_json(parallel.extract_articles(articles, jobs=2, window=1)) == single
    assert as_json(parallel.extract_articles(iter(articles), jobs=2, window=3)) == single


def test_cli_jobs_option_gives_identical_jsonl():
    runner = CliRunner()
    one = runner.invoke(main, ["extract", str(EXAMPLES), "--format", "jsonl"])
    two = runner.invoke(main, ["extract", str(EXAMPLES), "--format", "jsonl", "-j", "2"])
    assert one.exit_code == two.exit_code == 0
    assert two.stdout == one.stdout
    assert [json.loads(line)["origin"] for line in two.stdout.splitlines()] == sorted(
        str(p) for p in EXAMPLES.glob("*.txt"))


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_article_is_skipped_and_the_rest_goes_on(monkeypatch, jobs):
    real = engine.run_stages

    def fragile(text, doc, *args):
        if "BOOM" in text:
            raise KeyError("engine bug")
        return real(text, doc, *args)

    # Workers are forked from this process, so they see the patched engine too. The articles
    # are parsed in one batch: the failure of one must not take the others with it.
    monkeypatch.setattr(engine, "run_stages", fragile)
    items = [Article(id="a", text='"We are ready," she said.'), Skipped("bad.jsonl:2", "malformed JSON"),
             Article(id="b", text="BOOM"), Article(id="c", text="Nothing said here.")]
    results = list(parallel.extract_articles(items, jobs=jobs, window=2))
    assert [r.where if isinstance(r, Skipped) else r[0].id for r in results] == ["a", "bad.jsonl:2", "b", "c"]
    assert "KeyError" in results[2].reason and "engine bug" in results[2].reason
    assert len(results[0][1]) == 1 and results[3][1] == []


def test_cli_reports_a_worker_failure_on_one_line(monkeypatch, tmp_path):
    monkeypatch.setattr(engine, "run_stages", lambda text, doc, *args: 1 / 0)
    src = tmp_path / "a.txt"
    src.write_text("Some text.", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(src), "--format", "jsonl", "-j", "2"])
    assert result.exit_code == 1
    assert "ZeroDivisionError" in result.stderr and "Traceback" not in result.output


def test_skips_between_articles_ride_along_and_articles_are_parsed_together(monkeypatch):
    # a WARC reads as request record (a skip), page, request record, page ...: the pages still
    # go to the engine BATCH at a time, and every item comes out in its place
    sizes: list[int] = []
    monkeypatch.setattr(parallel, "extract_quotes_batch",
                        lambda texts, **_: sizes.append(len(texts)) or [[]] * len(texts))
    items = []
    for i in range(2 * engine.BATCH + 1):
        items += [Skipped(f"crawl.warc#{2 * i + 1}", "WARC request record"), Article(id=f"p{i}", text=f"Page {i}.")]
    out = list(parallel.extract_articles(items, jobs=1))
    assert sizes == [engine.BATCH, engine.BATCH, 1]
    assert [r.where if isinstance(r, Skipped) else r[0].id for r in out] == [
        i.where if isinstance(i, Skipped) else i.id for i in items]
