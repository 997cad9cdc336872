"""Reports of one utterance across articles: pure functions (the database side is `store.links`, `store.trails`).

| module | job |
| --- | --- |
| `words` | quoted words normalised for comparison, content stems, index keys |
| `compare` | whether two reports are of one passage of one speech event |
| `cluster` | clusters from links: greedy agglomeration under the speaker and venue rule |
| `relate` | a cluster's trail: relations, word diffs, alterations |
"""
