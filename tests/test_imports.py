"""The package's names load on first use, and only the commands that extract load spaCy."""
import subprocess
import sys


def python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_the_cli_and_the_store_load_neither_spacy_nor_trafilatura_nor_spark_nor_the_web_stack():
    result = python("import sys, quotetrail, quotetrail.cli, quotetrail.store, quotetrail.spark\n"
                    "heavy = [m for m in ('spacy', 'trafilatura', 'warcio', 'pyarrow', 'pyspark', 'py4j', 'fastapi', "
                    "'uvicorn', 'starlette', 'jinja2', 'quotetrail.web.app') if m in sys.modules]\n"
                    "assert not heavy, heavy")
    assert result.returncode == 0, result.stderr


def test_extract_imports_neither_the_store_nor_the_linker_nor_the_database_commands(tmp_path):
    sentence = tmp_path / "one.txt"
    sentence.write_text("“It is ready,” she said.", encoding="utf-8")
    result = python("import sys\nfrom quotetrail.cli import main\n"
                    f"try:\n    main(['extract', {str(sentence)!r}, '--format', 'jsonl', '-j', '1'])\n"
                    "except SystemExit as done:\n    assert done.code == 0, done.code\n"
                    "assert 'quotetrail.nlp' in sys.modules\n"
                    "unused = [m for m in ('quotetrail.store.store', 'quotetrail.link', 'quotetrail.cli.database', "
                    "'quotetrail.cli.corrections', 'quotetrail.cli.trail', 'rapidfuzz') if m in sys.modules]\n"
                    "assert not unused, unused")
    assert result.returncode == 0, result.stderr
    assert '"kind": "direct"' in result.stdout


def test_the_extract_subpackage_and_the_extract_function_have_different_names():
    result = python("import quotetrail.extract.marks\n"
                    "from quotetrail import extract_quotes\n"
                    "assert extract_quotes('\"We are ready,\" she said.')[0].kind == 'direct'\n"
                    "assert quotetrail.extract.marks.find_quoted('\"a b c\"')")
    assert result.returncode == 0, result.stderr


def test_an_unknown_name_is_an_attribute_error():
    result = python("import quotetrail\ntry:\n    quotetrail.nothing_here\nexcept AttributeError:\n    pass\n"
                    "else:\n    raise SystemExit(1)")
    assert result.returncode == 0, result.stderr
