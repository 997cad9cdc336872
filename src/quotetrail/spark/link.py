"""`spark link`: the quotes of a `spark extract` run linked and clustered by the rule of `quotetrail link`.

The SQLite linker takes quotes in reading order and compares each with quotes read before it
(`link.pairs`); here the same happens in bulk, in the order of `quote_key`:

1. reports as the SQLite linker reads them: each article once (its first reading), the turns of
   interview transcripts marked, speakers resolved across the run (`store.speakers`: the key of a
   name, a bare surname joined to the only full name with it);
2. index keys exploded and grouped: each quote reads the `COMMON` latest postings of each of its
   keys (capped, never dropped, so the most widely reported quotes still meet), its first `TWINS`
   word-for-word twins and the `EVENT` latest quotes of its speaker;
3. each quote and the reports it is compared with, scored in `mapPartitions` by `link.pairs`, and
   its `NEXT` links to the quotes before and after it in its article that it has no other link to;
4. connected components of the links, and in each the clusters of `link.cluster.agglomerate`,
   their trails by `link.relate`, as `quotetrail link` builds them.

Writes `links/` (a, b as quote keys, with article ids and seqs; score; firm) and `clusters/`
(one row per member: `cluster` is its smallest quote key), replacing earlier ones.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..link.cluster import agglomerate
from ..link.compare import Report
from ..link.pairs import COMMON, EVENT, TWINS, WEAK, candidates, neighbour_links, new_links, twin_link
from ..link.relate import relate
from ..store.speakers import identity

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

REPORT_FIELDS = ("quote_key", "article_id", "text", "kind", "speaker_id", "venue", "date", "transcript")
TWIN, CANDIDATE, PEER = range(3)  # how a report came to be compared with a quote


def report_of(row) -> Report:
    """The linker's `Report` of a row with `REPORT_FIELDS`."""
    return Report(quote_id=row.quote_key, article_id=row.article_id, text=row.text, kind=row.kind,
                  speaker_id=row.speaker_id, venue=row.venue, date=row.date, transcript=bool(row.transcript))


def prepared(rows: Iterable) -> Iterator[tuple]:
    """Per quote: its speaker's key, the surname of a full name, whether it is a bare surname, its
    index keys and fingerprint."""
    for row in rows:
        report = Report(quote_id=row.quote_key, article_id=row.article_id, text=row.text)
        who = identity(row.speaker)
        full = who.surname if who and who.kind == "person" and not who.bare else None
        yield (row.quote_key, who.key if who else None, full, bool(who and who.bare), sorted(report.keys),
               report.fingerprint)


def chosen(rows: Iterable) -> Iterator[tuple[int, list[int]]]:
    """Per quote: its candidates from the postings of its keys (`link.pairs.candidates`)."""
    for row in rows:
        postings = [sorted(p.posted) for p in sorted(row.postings, key=lambda p: p.key)]
        yield row.quote_key, candidates(postings, row.quote_key, len(postings))


def scored(rows: Iterable) -> Iterator[tuple]:
    """The links of each quote with the reports it was compared with (`link.pairs`)."""
    for row in rows:
        report = report_of(row)
        by_role: dict[int, list[Report]] = {TWIN: [], CANDIDATE: [], PEER: []}
        for other in row.others:
            by_role[other.role].append(report_of(other))
        found = twin_link(report, by_role[TWIN])
        yield from [found] if found else new_links(report, by_role[CANDIDATE], by_role[PEER])


def neighboured(rows: Iterable) -> Iterator[tuple]:
    """The `NEXT` link of each quote to the one before it in its article, when the rule makes one."""
    for row in rows:
        yield from neighbour_links(row.quote_key, row.speaker_id, [(row.before, row.before_speaker)], set())


def clustered(rows: Iterable) -> Iterator[tuple]:
    """The clusters of each connected component of links, member by member, as the SQLite linker makes them."""
    for row in rows:
        reports = {member.quote_key: report_of(member) for member in row.members}
        seq = {member.quote_key: member.seq for member in row.members}
        ordered = sorted(row.links, key=lambda x: (-x.score, x.a, x.b))
        groups = agglomerate(reports, [(x.a, x.b, x.firm) for x in ordered if x.firm >= 0],
                             [(x.a, x.b, x.score) for x in ordered if x.firm == WEAK], seq)
        for group in groups:
            if len({reports[i].article_id for i in group}) < 2:
                continue
            for quote_key, member in relate([reports[i] for i in group]).items():
                yield (min(group), quote_key, reports[quote_key].article_id, seq[quote_key], member.relation,
                       member.base, [(c.kind, c.was, c.now) for c in member.changes], member.altered)


def run(spark: SparkSession, directory: str) -> dict[str, int]:
    """Link the quotes under `directory` (a `spark extract` output); write links/ and clusters/; return counts."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    reports = _reports(spark, directory).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        links = _links(spark, reports).persist(StorageLevel.MEMORY_AND_DISK)
        ends = [reports.select(F.col("quote_key").alias(end), F.col("article_id").alias(f"{end}_article_id"),
                               F.col("seq").alias(f"{end}_seq")) for end in ("a", "b")]
        links.join(ends[0], "a").join(ends[1], "b").select(
            "a", "b", "a_article_id", "a_seq", "b_article_id", "b_seq", "score", "firm"
        ).write.mode("overwrite").parquet(f"{directory}/links")
        clusters = _clusters(spark, reports, links)
        clusters.write.mode("overwrite").parquet(f"{directory}/clusters")
        clusters = spark.read.parquet(f"{directory}/clusters")
        return {"quotes": reports.count(), "links": spark.read.parquet(f"{directory}/links").count(),
                "clusters": clusters.select("cluster").distinct().count()}
    finally:
        reports.unpersist()


def _reports(spark: SparkSession, directory: str) -> DataFrame:
    """One row per quote of the run (each article's first reading) with `REPORT_FIELDS`, `seq`, keys."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    articles = spark.read.parquet(f"{directory}/articles").select("id", "date", "text", "article_key")
    first = articles.withColumn("n", F.row_number().over(Window.partitionBy("id").orderBy("article_key")))
    first = first.where("n = 1").drop("n", "id")
    quotes = spark.read.parquet(f"{directory}/quotes").select(
        "article_key", "article_id", "seq", "quote_key", "kind", "cue_span", "source_span", "speaker", "venue", "text")
    quotes = quotes.join(first.select("article_key", "date"), "article_key")
    turn = (F.col("kind") == "other") & F.col("cue_span").isNull() & F.col("source_span").isNotNull()
    labels = quotes.where(turn).join(first.select("article_key", F.col("text").alias("body")), "article_key").select(
        "article_key", F.expr("substring(body, source_span[0] + 1, source_span[1] - source_span[0])").alias("label"))
    transcripts = labels.groupBy("article_key").agg(F.countDistinct("label").alias("labels")).where("labels >= 2")
    quotes = quotes.join(transcripts.select("article_key", F.lit(True).alias("in_transcript")), "article_key", "left")
    quotes = quotes.withColumn("transcript", turn & F.coalesce("in_transcript", F.lit(False)))
    schema = T.StructType([
        T.StructField("quote_key", T.LongType()), T.StructField("speaker_key", T.StringType()),
        T.StructField("full_surname", T.StringType()), T.StructField("bare", T.BooleanType()),
        T.StructField("keys", T.ArrayType(T.LongType())), T.StructField("fingerprint", T.LongType())])
    named = quotes.select("quote_key", "article_id", "text", "speaker")
    names = spark.createDataFrame(named.rdd.mapPartitions(prepared), schema)
    owners = names.where(F.col("full_surname").isNotNull()).select(
        F.col("full_surname").alias("surname"), F.col("speaker_key").alias("owner")).distinct().groupBy("surname").agg(
        F.count("*").alias("owners"), F.min("owner").alias("owner")).where("owners = 1")
    names = names.join(owners, names.bare & (names.speaker_key == owners.surname), "left")
    resolved = F.coalesce("owner", "speaker_key")
    names = names.select("quote_key", "keys", "fingerprint",
                         F.when(resolved.isNotNull(), F.xxhash64(resolved)).alias("speaker_id"))
    return quotes.join(names, "quote_key").select(*REPORT_FIELDS, "seq", "keys", "fingerprint")


def _links(spark: SparkSession, reports: DataFrame) -> DataFrame:
    """(a, b, score, firm) for every pair the rule links: each quote against the reports read before it."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    posts = reports.select("quote_key", F.explode("keys").alias("key"))
    window = Window.partitionBy("key").orderBy("quote_key").rowsBetween(-COMMON, 0)
    postings = posts.withColumn("posted", F.collect_list("quote_key").over(window)).groupBy("quote_key").agg(
        F.collect_list(F.struct("key", "posted")).alias("postings"))
    chosen_schema = T.StructType([T.StructField("quote_key", T.LongType()),
                                  T.StructField("others", T.ArrayType(T.LongType()))])
    compared = spark.createDataFrame(postings.rdd.mapPartitions(chosen), chosen_schema)
    ranked = reports.select("quote_key", "fingerprint").withColumn(
        "rank", F.row_number().over(Window.partitionBy("fingerprint").orderBy("quote_key")))
    heads = ranked.where(F.col("rank") <= TWINS).groupBy("fingerprint").agg(
        F.collect_list(F.struct("rank", "quote_key")).alias("heads"))
    twins = ranked.join(heads, "fingerprint").select(
        "quote_key", F.expr("transform(filter(heads, h -> h.rank < rank), h -> h.quote_key)").alias("others"))
    same_speaker = Window.partitionBy("speaker_id").orderBy("quote_key").rowsBetween(-EVENT, -1)
    peers = reports.where(F.col("speaker_id").isNotNull()).select(
        "quote_key", F.collect_list("quote_key").over(same_speaker).alias("others"))
    pairs = None
    for role, found in ((TWIN, twins), (CANDIDATE, compared), (PEER, peers)):
        exploded = found.select("quote_key", F.explode("others").alias("other"), F.lit(role).alias("role"))
        pairs = exploded if pairs is None else pairs.unionByName(exploded)
    other = reports.select(*(F.col(name).alias(f"other_{name}") for name in REPORT_FIELDS))
    others = pairs.join(other, pairs.other == other.other_quote_key).groupBy("quote_key").agg(F.collect_list(
        F.struct("role", *(F.col(f"other_{name}").alias(name) for name in REPORT_FIELDS))).alias("others"))
    work = reports.select(*REPORT_FIELDS).join(others, "quote_key")
    schema = T.StructType([T.StructField("a", T.LongType()), T.StructField("b", T.LongType()),
                           T.StructField("score", T.DoubleType()), T.StructField("firm", T.IntegerType())])
    in_article = Window.partitionBy("article_id").orderBy("seq")
    near = reports.select("quote_key", "speaker_id", "seq", *(F.lag(name).over(in_article).alias(f"before_{alias}")
                                                              for name, alias in (("quote_key", "key"), ("seq", "seq"),
                                                                                  ("speaker_id", "speaker"))))
    near = near.where("before_seq = seq - 1").select("quote_key", "speaker_id", F.col("before_key").alias("before"),
                                                     "before_speaker")
    found = spark.createDataFrame(work.rdd.mapPartitions(scored), schema).unionByName(
        spark.createDataFrame(near.rdd.mapPartitions(neighboured), schema))
    best = found.groupBy("a", "b").agg(F.max(F.struct("firm", "score")).alias("best"))  # a NEXT link only alone
    return best.select("a", "b", "best.score", "best.firm")


def _components(links: DataFrame) -> DataFrame:
    """(quote_key, component): the smallest quote key each linked quote reaches, by label propagation."""
    from pyspark.sql import functions as F

    edges = links.select(F.col("a").alias("node"), F.col("b").alias("near")).unionByName(
        links.select(F.col("b").alias("node"), F.col("a").alias("near"))).localCheckpoint()
    labels = edges.groupBy("node").agg(F.least(F.min("near"), F.first("node")).alias("label")).localCheckpoint()
    while True:
        reached = edges.join(labels.select(F.col("node").alias("near"), F.col("label").alias("seen")), "near")
        better = reached.groupBy("node").agg(F.min("seen").alias("seen")).join(labels, "node").select(
            "node", F.least("label", "seen").alias("label"))
        better = better.localCheckpoint()
        changed = better.join(labels.withColumnRenamed("label", "old"), "node").where("label != old").count()
        labels = better
        if not changed:
            return labels.select(F.col("node").alias("quote_key"), F.col("label").alias("component"))


def _clusters(spark: SparkSession, reports: DataFrame, links: DataFrame) -> DataFrame:
    """One row per cluster member: cluster, quote_key, article_id, seq, relation, base, changes, altered."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    components = _components(links)
    members = components.join(reports, "quote_key").groupBy("component").agg(
        F.collect_list(F.struct(*REPORT_FIELDS, "seq")).alias("members"))
    linked = links.join(components.withColumnRenamed("quote_key", "a"), "a").groupBy("component").agg(
        F.collect_list(F.struct("a", "b", "score", "firm")).alias("links"))
    change = T.StructType([T.StructField(name, T.StringType()) for name in ("kind", "was", "now")])
    schema = T.StructType([
        T.StructField("cluster", T.LongType()), T.StructField("quote_key", T.LongType()),
        T.StructField("article_id", T.StringType()), T.StructField("seq", T.IntegerType()),
        T.StructField("relation", T.StringType()), T.StructField("base", T.LongType()),
        T.StructField("changes", T.ArrayType(change)), T.StructField("altered", T.BooleanType())])
    return spark.createDataFrame(members.join(linked, "component").rdd.mapPartitions(clustered), schema)
