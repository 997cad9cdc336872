"""The optional Spark jobs: the CLI's readers, engine and linker over crawls beyond one machine.

Install with `pip install 'quotetrail[spark]'` (PySpark, which needs Java 17 or newer). Nothing here
is imported by `quotetrail.cli` until a `spark` or `import` command runs.

| module | job |
| --- | --- |
| `session` | a SparkSession (local or from `spark-submit`), or one line saying why there is none |
| `sources` | the manifest's lines, and each one read by a task with the CLI's readers (paths, file://, http(s)://) |
| `extract` | `spark extract`: one input per task, quotes extracted in batches, Parquet by year and month |
| `link` | `spark link`: the linker's rule over the Parquet quotes, links and clusters as Parquet |
| `load` | `import`: the Parquet tables into a quote database through `QuoteStore` (pyarrow, no Spark) |
"""
