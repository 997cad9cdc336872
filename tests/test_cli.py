"""The command line through click's runner: formats, order, ids, bad input and exit codes."""
import json
import re

from click.testing import CliRunner

from conftest import EXAMPLES, shared_file
from quotetrail.cli import main

ARTICLE = '“The bridge opens in May,” Mayor Lena Varga told the Harbor Gazette.'


def run(*args, stdin=None):
    return CliRunner().invoke(main, list(args), input=stdin)


def test_extract_jsonl_keeps_input_order_and_ids(tmp_path):
    src = tmp_path / "in.jsonl"
    lines = [{"id": "b", "text": ARTICLE}, {"id": "a", "text": ""}, {"id": "c", "text": "No speech here."}]
    src.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    result = run("extract", "--input", str(src), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["b", "a", "c"]
    (q,) = rows[0]["quotes"]
    assert set(q) >= {"kind", "content_spans", "cue_span", "source_span", "speaker", "venue", "confidence", "text"}
    assert (q["speaker"], q["venue"], q["kind"]) == ("Lena Varga", "Harbor Gazette", "direct")
    assert ARTICLE[slice(*q["content_spans"][0])] == q["text"]
    assert rows[1]["quotes"] == [] and rows[2]["quotes"] == []


def test_extract_stdin_and_table():
    result = run("extract", "-", "--format", "table", stdin=ARTICLE)
    assert result.exit_code == 0
    assert "Varga" in result.stdout and "Gazette" in result.stdout


def test_extract_directory_of_examples():
    result = run("extract", str(EXAMPLES), "--format", "jsonl")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == len(list(EXAMPLES.glob("*.txt")))


def test_bad_inputs_are_reported_and_the_rest_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    bad_jsonl = tmp_path / "bad.jsonl"
    bad_jsonl.write_text('{"id": "x", "text": "fine"}\n{not json\n{"id": "y"}\n', encoding="utf-8")
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    result = run("extract", str(good), str(binary), str(tmp_path / "missing.txt"), str(empty_dir),
                 "--input", str(bad_jsonl), "--format", "jsonl")
    assert result.exit_code == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["origin"] for r in rows] == [str(good), f"{bad_jsonl}:1"]
    assert re.fullmatch(r"[0-9a-f]{16}", rows[0]["id"]) and rows[1]["id"] == "x"
    errors = result.stderr.splitlines()
    assert any("blob.txt" in e and "binary" in e for e in errors)
    assert any("missing.txt" in e and "no such file" in e for e in errors)
    assert any("empty" in e and "no text files" in e for e in errors)
    assert any("bad.jsonl:2" in e and "malformed JSON" in e for e in errors)
    assert any("bad.jsonl:3" in e and "text" in e for e in errors)
    assert "Traceback" not in result.output


def test_extract_without_input_is_a_usage_error():
    result = run("extract")
    assert result.exit_code == 2
    assert "PATH" in result.output


def test_latin1_file_is_read(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes('"Ça ira," said Mayor René Dufour.'.encode("cp1252"))
    result = run("extract", str(path), "--format", "jsonl")
    assert result.exit_code == 0
    assert "Dufour" in result.stdout


def test_eval_with_predictions_file_prints_json(tmp_path):
    gold = tmp_path / "gold.jsonl"
    span = [ARTICLE.index("The"), ARTICLE.index(",”")]
    quote = {"kind": "direct", "content_spans": [span], "cue_span": None, "source_span": None, "speaker": "Lena Varga"}
    gold.write_text(json.dumps({"id": "g1", "text": ARTICLE, "quotes": [quote]}) + "\n", encoding="utf-8")
    result = run("eval", str(gold), "--json")
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert metrics["quote"]["f1"] == 1.0 and metrics["attributed"]["f1"] == 1.0
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"id": "g1", "quotes": []}) + "\n", encoding="utf-8")
    result = run("eval", str(gold), "--pred", str(pred), "--json")
    assert json.loads(result.stdout)["quote"]["r"] == 0.0


def test_eval_missing_gold_is_one_clear_line(tmp_path):
    result = run("eval", str(tmp_path / "nope.jsonl"))
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "nope.jsonl" in result.output


def test_eval_table_on_realworld():
    result = run("eval", str(shared_file("realworld/gold.jsonl")))
    assert result.exit_code == 0
    assert "Attributed" in result.stdout
