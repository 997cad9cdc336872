"""Reading the news as it comes: text, HTML, WARC, JSONL and CSV (gzip too) to clean `Article`s.

| module | job |
| --- | --- |
| `formats` | the table of formats: suffixes, how the first bytes look, the reader, pages or records |
| `paths` | names (files, directories, globs, `-`) to the files they stand for, or why there are none |
| `sources` | files to articles: gzip undone, the format looked up, pages cleaned and split, records kept |
| `decode` | bytes to str with the declared charset, UTF-8, or Windows-1252 |
| `pages`, `html`, `warc`, `records` | the readers: text files, HTML by trafilatura, WARC by warcio, JSONL and CSV |
| `clean` | mojibake, white space, invisible characters, page furniture |
| `split` | merged articles, and articles too long for one, into pieces |
| `meta` | ids, outlets, dates, language |
| `report` | the tally behind the summary line |
"""
from ..model import Skipped
from .meta import complete
from .records import read_jsonl
from .report import Tally
from .sources import read_file, read_paths

__all__ = ["Skipped", "Tally", "complete", "read_file", "read_jsonl", "read_paths"]
