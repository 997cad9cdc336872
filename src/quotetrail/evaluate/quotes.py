"""Score predicted quotes against gold annotations (the metrics of `../shared/DESIGN.md`).

Everything here is a pure function over plain dicts in the JSONL quote format, except
`read_jsonl`, which reads a file.  Spans are Python ``str`` offsets into the article text;
spans that run past the text are clipped, malformed ones are skipped and counted.
"""
from __future__ import annotations

import json
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from ..model import KINDS

Span = tuple[int, int]

ROLES = ("content", "source", "cue")

# Jaccard of content characters from which a predicted quote matches a gold quote.
MIN_JACCARD = 0.5

# Trimmed from both ends of a piece before exact comparison.  The two-character marks
# '' and `` are covered because each of their characters is trimmed.
QUOTE_MARKS = "\"'`“”‘’«»„‟‹›‚‛"
EDGE_PUNCTUATION = ".,;:!?…—–‒―‐‑-"
TRIMMED = frozenset(QUOTE_MARKS + EDGE_PUNCTUATION)

# Leading words dropped from a speaker name; multi-word titles are token tuples.
TITLES = frozenset(
    tuple(title.split())
    for title in (
        "president", "vice president", "prime minister", "deputy prime minister",
        "minister", "foreign minister", "defence minister", "defense minister",
        "secretary", "secretary of state", "press secretary", "secretary general",
        "spokesman", "spokeswoman", "spokesperson", "mr", "mrs", "ms", "miss", "dr",
        "prof", "professor", "sen", "senator", "rep", "representative", "gov", "governor",
        "mayor", "king", "queen", "prince", "princess", "sheikh", "general", "gen",
        "chancellor", "ambassador", "chairman", "chairwoman", "judge", "justice", "sir",
        "dame", "lord", "pope", "rev", "reverend", "col", "colonel", "capt", "captain",
        "adm", "admiral", "lt", "lieutenant", "sgt", "sergeant", "deputy", "acting", "former",
    )
)
LONGEST_TITLE = max(len(title) for title in TITLES)
APOSTROPHES = "'’ʼ"


def read_jsonl(path: str | Path) -> list[dict]:
    """Read a JSONL file (UTF-8, newlines untranslated so offsets hold); blank lines are skipped.

    Raises ValueError naming the file and line when a line is not a JSON object.
    """
    records = []
    with open(path, encoding="utf-8", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: invalid JSON ({exc.msg})") from None
            if not isinstance(record, dict):
                raise ValueError(f"{path}:{number}: expected a JSON object per line")
            records.append(record)
    return records


def predictions_by_id(records: list[dict]) -> dict[str, list[dict]]:
    """Map article id to its quotes, from records of the `extract --format jsonl` output."""
    return {record.get("id"): record.get("quotes") or [] for record in records}


def same_speaker(a: str | None, b: str | None) -> bool:
    """Whether two speaker names name the same person.

    Case, accents, punctuation and leading titles are ignored, and one name may omit the
    other's first names ("Aliyev" matches "President Ilham Aliyev", not "Heydar Aliyev").
    A missing name matches nothing.
    """
    first, second = _name_tokens(a), _name_tokens(b)
    if not first or not second:
        return False
    shorter, longer = sorted((first, second), key=len)
    return longer[len(longer) - len(shorter):] == shorter


def evaluate(gold: list[dict], predictions: dict[str, list[dict]]) -> dict:
    """Compare predicted quotes with gold quotes, article by article; a JSON-serialisable report.

    `gold` holds article objects with "id", "text" and "quotes"; `predictions` maps an article
    id to its predicted quotes (a missing id means no predictions).  Rates are fractions in
    0..1; rates with nothing to count are 0.0 (P/R/F1) or None (accuracy, recall by kind).
    Quotes with no content characters take part in the role metrics only; "skipped" counts
    what could not be scored.
    """
    tally: Counter = Counter()
    kinds: Counter = Counter()
    for article in gold:
        text = article.get("text") or ""
        gold_quotes = _read_quotes(article.get("quotes"), text, tally)
        pred_quotes = _read_quotes(predictions.get(article.get("id")), text, tally)
        for role in ROLES:
            _score_role(role, gold_quotes, pred_quotes, text, tally)
        _score_quotes(gold_quotes, pred_quotes, tally, kinds)
    known = {article.get("id") for article in gold}
    tally["unknown_ids"] = sum(1 for article_id in predictions if article_id not in known)
    return _report(len(gold), tally, kinds)


def match_quotes(text: str, gold: list[dict], pred: list[dict]) -> dict[int, int]:
    """Predicted quote index → gold quote index, matched one to one by content overlap as in `evaluate`."""
    def chars(quote: dict) -> frozenset[int]:
        spans = [span for span in (_clip(s, len(text)) for s in quote.get("content_spans") or []) if span]
        return frozenset(_characters(spans, text))
    return {p: g for g, p in _match([chars(q) for q in gold], [chars(q) for q in pred])}


def _read_quotes(quotes: object, text: str, tally: Counter) -> list[dict]:
    """The quotes of one article reduced to clipped pieces per role, content characters,
    speaker and kind; objects that are not quotes are counted and dropped."""
    if not isinstance(quotes, list):
        quotes = []
    read = []
    for quote in quotes:
        if not isinstance(quote, dict):
            tally["unscorable_quotes"] += 1
            continue
        raw_content = quote.get("content_spans")
        raw_content = raw_content if isinstance(raw_content, list) else []
        pieces = {
            "content": raw_content,
            "source": [quote["source_span"]] if quote.get("source_span") is not None else [],
            "cue": [quote["cue_span"]] if quote.get("cue_span") is not None else [],
        }
        clipped = {}
        for role, spans in pieces.items():
            clipped[role] = [span for span in (_clip(s, len(text)) for s in spans) if span]
            tally["invalid_spans"] += len(spans) - len(clipped[role])
        content_chars = frozenset(_characters(clipped["content"], text))
        if not content_chars:
            tally["unscorable_quotes"] += 1
        read.append(
            {
                "pieces": clipped,
                "chars": content_chars,
                "speaker": _speaker(quote.get("speaker")),
                "kind": quote.get("kind") if isinstance(quote.get("kind"), str) else "other",
            }
        )
    return read


def _clip(span: object, length: int) -> Span | None:
    """A [start, end] pair clipped to the text, or None when malformed or empty."""
    if not isinstance(span, (list, tuple)) or len(span) != 2:
        return None
    if not all(isinstance(x, int) and not isinstance(x, bool) for x in span):
        return None
    start, end = max(0, span[0]), min(length, span[1])
    return (start, end) if start < end else None


def _characters(spans: list[Span], text: str) -> set[int]:
    """Positions of the non-space characters covered by the spans."""
    return {i for start, end in spans for i in range(start, end) if not text[i].isspace()}


def _speaker(value: object) -> str | None:
    """A speaker name, or None when missing or blank."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _trim(span: Span, text: str, role: str) -> Span | None:
    """The span without edge white space, quotation marks and punctuation (and, for content,
    a leading "that "); None when nothing is left."""
    start, end = _strip_edges(span, text)
    if role == "content" and end - start > 5 and text[start:start + 4].lower() == "that" and text[start + 4].isspace():
        start, end = _strip_edges((start + 5, end), text)
    return (start, end) if start < end else None


def _strip_edges(span: Span, text: str) -> Span:
    """Move both ends inwards past white space, quotation marks and edge punctuation."""
    start, end = span
    while start < end and (text[start].isspace() or text[start] in TRIMMED):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in TRIMMED):
        end -= 1
    return start, end


def _score_role(role: str, golds: list[dict], preds: list[dict], text: str, tally: Counter) -> None:
    """Add one article's exact and overlap counts for one role to the tally."""
    gold_spans = [span for quote in golds for span in quote["pieces"][role]]
    pred_spans = [span for quote in preds for span in quote["pieces"][role]]

    gold_items = Counter(filter(None, (_trim(span, text, role) for span in gold_spans)))
    pred_items = Counter(filter(None, (_trim(span, text, role) for span in pred_spans)))
    tally[role, "exact", "matched"] += sum((gold_items & pred_items).values())
    tally[role, "exact", "gold"] += sum(gold_items.values())
    tally[role, "exact", "pred"] += sum(pred_items.values())

    gold_chars = _characters(gold_spans, text)
    pred_chars = _characters(pred_spans, text)
    tally[role, "overlap", "matched"] += len(gold_chars & pred_chars)
    tally[role, "overlap", "gold"] += len(gold_chars)
    tally[role, "overlap", "pred"] += len(pred_chars)


def _score_quotes(golds: list[dict], preds: list[dict], tally: Counter, kinds: Counter) -> None:
    """Add one article's quote matching, speaker and kind counts to the tallies."""
    golds = [quote for quote in golds if quote["chars"]]
    preds = [quote for quote in preds if quote["chars"]]
    tally["gold_quotes"] += len(golds)
    tally["pred_quotes"] += len(preds)
    for quote in golds:
        kinds[quote["kind"], "gold"] += 1

    pairs = _match([q["chars"] for q in golds], [q["chars"] for q in preds])
    for gold_index, pred_index in pairs:
        gold, pred = golds[gold_index], preds[pred_index]
        kinds[gold["kind"], "matched"] += 1
        if gold["speaker"] is None:
            right = pred["speaker"] is None
        else:
            right = same_speaker(gold["speaker"], pred["speaker"])
            tally["speaker_total"] += 1
            tally["speaker_correct"] += right
        tally["attributed"] += right
    tally["matched_quotes"] += len(pairs)


def _match(gold: list[frozenset[int]], pred: list[frozenset[int]]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs with Jaccard ≥ MIN_JACCARD, greedy by
    Jaccard (ties by position in the lists)."""
    owners = defaultdict(list)
    for gold_index, chars in enumerate(gold):
        for position in chars:
            owners[position].append(gold_index)
    candidates = []
    for pred_index, chars in enumerate(pred):
        shared = Counter(g for position in chars for g in owners.get(position, ()))
        for gold_index, intersection in shared.items():
            union = len(gold[gold_index]) + len(chars) - intersection
            if intersection >= MIN_JACCARD * union:
                candidates.append((-intersection / union, gold_index, pred_index))
    candidates.sort()

    pairs, used_gold, used_pred = [], set(), set()
    for _, gold_index, pred_index in candidates:
        if gold_index not in used_gold and pred_index not in used_pred:
            pairs.append((gold_index, pred_index))
            used_gold.add(gold_index)
            used_pred.add(pred_index)
    return pairs


def _name_tokens(name: str | None) -> list[str]:
    """A name as lower-case tokens without accents, punctuation or leading titles."""
    if not name:
        return []
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    letters = "".join("" if ch in APOSTROPHES else ch if ch.isalnum() else " " for ch in letters)
    tokens = letters.split()
    stripped = True
    while stripped:
        stripped = False
        for size in range(min(LONGEST_TITLE, len(tokens) - 1), 0, -1):
            if tuple(tokens[:size]) in TITLES:
                tokens = tokens[size:]
                stripped = True
                break
    return tokens


def _prf(matched_pred: int, pred: int, matched_gold: int, gold: int) -> dict:
    """Precision, recall and F1 from counts; 0.0 where a denominator is zero."""
    precision = matched_pred / pred if pred else 0.0
    recall = matched_gold / gold if gold else 0.0
    total = precision + recall
    return {"p": precision, "r": recall, "f1": 2 * precision * recall / total if total else 0.0}


def _report(articles: int, tally: Counter, kinds: Counter) -> dict:
    """Turn the corpus tallies into the nested report of `evaluate`."""
    matched, attributed = tally["matched_quotes"], tally["attributed"]
    gold, pred = tally["gold_quotes"], tally["pred_quotes"]
    roles = {}
    for role in ROLES:
        roles[role] = {}
        for mode in ("exact", "overlap"):
            hits, gold_items = tally[role, mode, "matched"], tally[role, mode, "gold"]
            roles[role][mode] = _prf(hits, tally[role, mode, "pred"], hits, gold_items)
    kind_names = list(KINDS) + sorted({kind for kind, _ in kinds} - set(KINDS))
    return {
        "articles": articles,
        "gold_quotes": gold,
        "pred_quotes": pred,
        "matched_quotes": matched,
        "quote": _prf(matched, pred, matched, gold),
        "attributed": _prf(attributed, pred, attributed, gold),
        "speaker_accuracy": (
            tally["speaker_correct"] / tally["speaker_total"] if tally["speaker_total"] else None
        ),
        "speaker_total": tally["speaker_total"],
        "roles": roles,
        "recall_by_kind": {
            kind: _recall(kinds[kind, "matched"], kinds[kind, "gold"]) for kind in kind_names
        },
        "skipped": {
            "invalid_spans": tally["invalid_spans"],
            "unscorable_quotes": tally["unscorable_quotes"],
            "unknown_ids": tally["unknown_ids"],
        },
    }


def _recall(matched: int, gold: int) -> dict:
    """Recall of one kind with its counts; None when there is no gold quote of that kind."""
    return {"recall": matched / gold if gold else None, "gold": gold, "matched": matched}

