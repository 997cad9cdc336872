"""Reading the news as it comes: text, HTML, WARC, JSONL and CSV (gzip too) to clean `Article`s.

| module | job |
| --- | --- |
| `sources` | names (files, directories, globs, `-`) to streams; gzip; dispatch by sniffed format |
| `sniff` | the format of a file from its first bytes, then its name |
| `decode` | bytes to str with the declared charset, UTF-8, or Windows-1252 |
| `html`, `warc`, `records` | the readers: trafilatura for HTML, warcio for WARC, JSONL and CSV records |
| `clean` | mojibake, white space, invisible characters, page furniture |
| `split` | merged articles into pieces |
| `meta` | ids, outlets, dates, language |
| `report` | `Skipped` and the tally behind the summary line |
"""
from .meta import complete
from .records import read_jsonl
from ..model import Skipped
from .report import Tally
from .sources import read_file, read_paths

__all__ = ["Skipped", "Tally", "complete", "read_file", "read_jsonl", "read_paths"]
