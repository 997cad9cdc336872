"""Linking as clusters grow: the same clusters whatever the batches, at a cost per new member that
does not grow with its cluster (a story copied by thousands of outlets)."""
from __future__ import annotations

import random

from quotetrail import QuoteStore
from quotetrail.store import links
from quotetrail.store.schema import transaction
from test_link import PASSAGE, VARIANTS, article, quote, transcript

WORDS = "harbour council ferry budget bridge tram river market station school".split()


def reports(n: int, seed: int = 3) -> list:
    """`n` articles reporting PASSAGE and its variants in a shuffled order, dated over a month:
    copies (some with a word changed, some with no venue), trims, rewordings, paraphrases, a late
    transcript (a primary that re-bases the cluster), a report of other words by the same speaker
    (a weak link), a copy that names another venue (a firm link across it), an unrelated quote, and
    articles of several quotes: a copy with an unresolved quote after it (next to a member: no
    evidence), and the passage in two excerpts with a paraphrase between them (which joins)."""
    rng = random.Random(seed)
    words = PASSAGE.split()
    items = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.5:
            text, kind = PASSAGE, "direct"
        elif roll < 0.65:
            changed = list(words)
            changed[rng.randrange(len(words))] = rng.choice(WORDS)
            text, kind = " ".join(changed), "direct"
        else:
            text, kind = rng.choice([(VARIANTS["trimmed"], "direct"), (VARIANTS["reworded"], "direct"),
                                     (VARIANTS["paraphrase"], "indirect"), (" ".join(words[:14]), "direct")])
        venue = None if rng.random() < 0.2 else "Radio Halden"
        items.append(article(f"a{i:03}", text, [quote(text, kind, venue=venue)], date=f"2024-03-{1 + i % 28:02}"))
    items.insert(n // 2, transcript())
    weak = "The harbour tax will not rise, and the port keeps its ships this year."
    items.insert(n // 3, article("weak", weak, [quote(weak, venue=None)]))
    items.insert(n - 10, article("elsewhere", PASSAGE, [quote(PASSAGE, venue="Channel 9")]))
    other = "We have no plans for the ferry line this winter, and nobody has asked us for any."
    items[n // 4:n // 4] = [article(f"o{i}", other, [quote(other, speaker="Tomas Brenner")]) for i in range(3)]
    first, second = PASSAGE.split(". ", 1)
    for name, parts in (("beside", [(PASSAGE, "direct", "Lena Varga"), ("a “disaster” for the port", "mixed", None)]),
                        ("between", [(first + ".", "direct", "Lena Varga"), ("the ferry line would stay", "indirect",
                                                                             "Lena Varga"), (second, "direct",
                                                                                             "Lena Varga")])):
        placed, at = [], 0
        for text, kind, speaker in parts:
            placed.append(quote(text, kind, speaker=speaker, venue=None, start=at))
            at += len(text) + 1
        items.insert(n // 5, article(name, " ".join(p[0] for p in parts), placed, date="2024-03-09"))
    return items


def rows(store: QuoteStore) -> dict[tuple[str, int], tuple]:
    """Each quote by (article, seq): its cluster (as the articles in it), relation, base (as an
    article) and changes."""
    conn = store.conn
    article_of = {i: a for i, a in conn.execute("SELECT id, article_id FROM quotes")}
    clusters: dict[int, list[str]] = {}
    for quote_id, cluster_id in conn.execute("SELECT id, cluster_id FROM quotes WHERE cluster_id IS NOT NULL"):
        clusters.setdefault(cluster_id, []).append(article_of[quote_id])
    return {(article_of[i], seq): (tuple(sorted(clusters[c])) if c else None, relation, article_of.get(base), changes)
            for i, seq, c, relation, base, changes in conn.execute(
                "SELECT id, seq, cluster_id, relation, base_id, changes FROM quotes")}


def reads_counted(monkeypatch) -> list[int]:
    """How many reports each `Linker.reports` call reads, from now on."""
    read: list[int] = []
    reports = links.Linker.reports
    monkeypatch.setattr(links.Linker, "reports", lambda self, ids: read.append(len(set(ids))) or reports(self, ids))
    return read


def test_linking_article_by_article_gives_the_clusters_of_one_run_and_of_a_rebuild(tmp_path, monkeypatch):
    items = reports(150)
    placed = []
    join = links.Linker._join
    monkeypatch.setattr(links.Linker, "_join", lambda self, r, found: placed.append(join(self, r, found)) or placed[-1])
    with QuoteStore(tmp_path / "once.db") as once, QuoteStore(tmp_path / "steps.db") as steps:
        once.write(items)
        once.link()
        placed.clear()
        for item in items:
            steps.write([item])
            steps.link()
        assert rows(steps) == rows(once)
        cluster = max(rows(once).values(), key=lambda row: len(row[0] or ()))
        assert len(cluster[0]) > 110 and {"transcript", "elsewhere", "between"} <= set(cluster[0])
        found = rows(once)
        assert found["between", 1][0] == cluster[0] and found["beside", 0][0] == cluster[0]  # the paraphrase joined
        assert found["beside", 1][0] is None  # the unresolved quote next to a member did not
        assert placed.count(True) > 100, placed  # most joined their cluster (or stayed alone) without a rebuild
        before = rows(steps)
        with transaction(steps.conn):
            steps.linker.recluster({r[0] for r in steps.conn.execute("SELECT id FROM quotes")})
        assert rows(steps) == before


def test_a_new_copy_of_a_large_cluster_reads_a_few_reports_not_the_cluster(tmp_path, monkeypatch):
    # Before, every new member rebuilt its cluster: 300 copies read 300 reports for the 301st.
    copies = [article(f"c{i:03}", PASSAGE, [quote(PASSAGE)], date=f"2024-03-{1 + i % 28:02}") for i in range(300)]
    with QuoteStore(tmp_path / "q.db") as store:
        monkeypatch.setattr(links, "BATCH", 50)
        store.write(copies)
        store.link()
        read = reads_counted(monkeypatch)
        store.write([article("late", PASSAGE, [quote(PASSAGE)], date="2024-03-20")])
        store.link()
        [cluster] = store.clusters()
        assert cluster["size"] == 301
        assert sum(read) < 60, read


def test_what_another_connection_changed_is_not_taken_from_memory(tmp_path):
    # The linker remembers which reports decide a cluster's bases; another connection that adds a
    # fuller, earlier report re-bases the cluster, and the next copy must be diffed against that one.
    fuller = PASSAGE + " We will also keep the ferry line running all winter, whatever it costs the port."
    with QuoteStore(tmp_path / "q.db") as first:
        first.write([article(f"c{i}", PASSAGE, [quote(PASSAGE)]) for i in range(10)])
        first.link()
        with QuoteStore(tmp_path / "q.db") as second:
            second.write([article("fuller", fuller, [quote(fuller)], date="2024-03-01")])
            second.link()
        first.write([article("late", PASSAGE, [quote(PASSAGE)])])
        first.link()
        found = rows(first)
        assert found["late", 0][0] == found["c0", 0][0] and len(found["late", 0][0]) == 12
        assert found["late", 0][2] == found["c0", 0][2] == "fuller"


def test_a_new_quote_reads_none_of_its_speakers_quotes_from_other_weeks(tmp_path, monkeypatch):
    # Varga's 300 quotes of other days (no words shared): only those within the date window are read
    days = [f"2024-{1 + i // 28 % 12:02}-{1 + i % 28:02}" for i in range(300)]
    said = [article(f"d{i:03}", f"Statement {i} on the {WORDS[i % 10]} is ready.",
                    [quote(f"Statement {i} on the {WORDS[i % 10]} is ready.")], date=day) for i, day in enumerate(days)]
    with QuoteStore(tmp_path / "q.db") as store:
        store.write(said)
        store.link()
        read = reads_counted(monkeypatch)
        store.write([article("late", PASSAGE, [quote(PASSAGE)], date="2024-03-05")])
        store.link()
        assert sum(read) < 40, read  # the peers of 2024-02-20 .. 2024-03-19 of the latest 200, not all 200
