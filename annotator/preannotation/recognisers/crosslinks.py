"""Cross-article links between claims: ``SAME_CLAIM`` (two articles carry the same claim) and
``REBUTS`` (a rebuttal in one article answers a claim reported in another).

Pure: scikit-learn and numpy/scipy, no Django. The job that feeds it spans and writes its
pairs as suggestions is ``annotator.preannotation.claim_links``.

Method. Every text is normalised (NFKC, case-folded, quotation marks and punctuation dropped,
whitespace collapsed) and turned into a tf-idf vector of word unigrams and bigrams (English
stop words out, sublinear tf, l2-normalised: the dot product of two rows is their cosine).

Candidates come from a sparse matrix product, never an all-pairs loop: the rows are multiplied
chunk by chunk against the transposed matrix restricted to its *rare* terms (those in at most
``RARE_DF`` texts). Two copies of a claim share several rare words or bigrams; two texts that
share only common words are not candidates at all, and this is what keeps the product sparse
on a project of 200,000 claims. A pair is kept when its cosine over the rare terms reaches
``PREFILTER`` times the threshold, and then scored with its full cosine.

- ``SAME_CLAIM``: claims of different articles whose cosine is at least ``same_threshold``.
  Score: the cosine. Proposed once per unordered pair (source: the lower id).
- ``REBUTS``: a rebuttal and a claim of another article whose cosine is at least
  ``topic_threshold`` (they are about the same thing) *and* where the rebuttal makes the link
  plain: it quotes a run of at least ``QUOTE_RUN`` consecutive words of the claim, or it names
  the claim's speaker (the surname of the normalised speaker name, honorifics and suffixes
  dropped, is one of the rebuttal's words and is not the rebuttal's own speaker).
  Score: for a quote ``0.6 + 0.4 * min(1, run / 8)``, for a named speaker ``0.5 + 0.5 * cosine``;
  with both, the larger plus 0.1 (at most 1).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

SAME_CLAIM = "SAME_CLAIM"
REBUTS = "REBUTS"
NAME = "claim_links"
VERSION = "1"
SAME_THRESHOLD = 0.5
TOPIC_THRESHOLD = 0.15
QUOTE_RUN = 4  # consecutive words a rebuttal must share with a claim to count as quoting it
RARE_DF = 200  # a term in more texts than this is a topic word: no evidence of a copied claim
CHUNK_ROWS = 2000  # rows of one sparse product: bounds the memory of a chunk's result
# A candidate's cosine over its rare terms alone must reach this share of the threshold before
# its full cosine is computed: common terms weigh little (low idf), so little is lost.
PREFILTER = 0.6

_HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "rev",
        "cllr",
        "councillor",
        "senator",
        "minister",
    ]
)
_SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv", "mp", "qc", "kc", "phd"])
_NON_WORD = re.compile(r"[^\w]+")
_MARKS = str.maketrans({c: " " for c in "\"'\u2018\u2019\u201c\u201d\u00ab\u00bb"})


@dataclass(frozen=True)
class Item:
    """A CLAIM or REBUTTAL: ``id`` is the caller's (unique across both lists)."""

    id: int
    article: int
    text: str
    speaker: str = ""


@dataclass(frozen=True)
class Pair:
    """A proposed relation ``source -> target`` (ids of Items), with its score and why."""

    source: int
    target: int
    label: str
    score: float
    reason: str


def normalise(text: str) -> str:
    """Case-folded words separated by single spaces; punctuation and quotation marks gone."""
    text = unicodedata.normalize("NFKC", text).translate(_MARKS).casefold()
    return _NON_WORD.sub(" ", text).strip()


def surname(name: str) -> str:
    """The last capitalised word of a person's name, normalised, without honorifics or
    suffixes; '' for none, and for a role ("the minister"), which names nobody."""
    words = _NON_WORD.sub(" ", unicodedata.normalize("NFKC", name)).split()
    names = [w.casefold() for w in words if w[:1].isupper()]
    names = [w for w in names if w not in _HONORIFICS and w not in _SUFFIXES]
    return names[-1] if names else ""


def quoted_run(rebuttal: str, claim: str) -> int:
    """The longest run of consecutive normalised words of ``claim`` found in ``rebuttal``."""
    a, b = normalise(rebuttal).split(), normalise(claim).split()
    best = 0
    # Dynamic programming over the two word lists: both are sentences, a few dozen words.
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b, 1):
            if x == y:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def _vectors(texts: Sequence[str]) -> sparse.csr_matrix:
    vectoriser = TfidfVectorizer(
        preprocessor=normalise,
        ngram_range=(1, 2),
        stop_words="english",
        sublinear_tf=True,
        token_pattern=r"(?u)\b\w+\b",  # noqa: S106 (a regular expression, not a password)  # nosec B106
        dtype=np.float32,
    )
    try:
        return sparse.csr_matrix(vectoriser.fit_transform(texts))
    except ValueError:  # nothing but stop words anywhere
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32)


def _rare(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """``matrix`` with only the columns of terms in at most RARE_DF rows (others zeroed)."""
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    keep = sparse.diags((df <= RARE_DF).astype(np.float32))
    return sparse.csr_matrix(matrix @ keep)


def _candidates(
    rows: sparse.csr_matrix, columns: sparse.csr_matrix, *, upper: bool, minimum: float
) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) index pairs whose product over the rare terms alone is at least
    ``minimum``; with ``upper`` only row < column. Filtered chunk by chunk, so memory holds
    one chunk's product and the pairs kept, never every pair sharing a term."""
    found_r: list[np.ndarray] = []
    found_c: list[np.ndarray] = []
    transposed = sparse.csc_matrix(columns.T)
    for first in range(0, rows.shape[0], CHUNK_ROWS):
        product = sparse.coo_matrix(rows[first : first + CHUNK_ROWS] @ transposed)
        keep = product.data >= minimum
        r = product.row[keep].astype(np.int64) + first
        c = product.col[keep].astype(np.int64)
        if upper:
            keep = r < c
            r, c = r[keep], c[keep]
        found_r.append(r)
        found_c.append(c)
    if not found_r:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(found_r), np.concatenate(found_c)


def _cosines(a: sparse.csr_matrix, b: sparse.csr_matrix, r: np.ndarray, c: np.ndarray) -> np.ndarray:
    if not len(r):
        return np.zeros(0, np.float32)
    return np.asarray(a[r].multiply(b[c]).sum(axis=1)).ravel()


def same_claims(claims: Sequence[Item], *, threshold: float = SAME_THRESHOLD) -> list[Pair]:
    """SAME_CLAIM pairs among ``claims``: different articles, cosine >= threshold, each once."""
    if len(claims) < 2:
        return []
    vectors = _vectors([c.text for c in claims])
    rare = _rare(vectors)
    r, c = _candidates(rare, rare, upper=True, minimum=threshold * PREFILTER)
    articles = np.fromiter((x.article for x in claims), np.int64, len(claims))
    other = articles[r] != articles[c]
    r, c = r[other], c[other]
    scores = _cosines(vectors, vectors, r, c)
    pairs = []
    for i, j, score in zip(r.tolist(), c.tolist(), scores.tolist(), strict=True):
        if score >= threshold:
            a, b = sorted((claims[i].id, claims[j].id))
            pairs.append(Pair(a, b, SAME_CLAIM, round(min(score, 1.0), 4), f"text similarity {score:.2f}"))
    return pairs


def _rebut_score(rebuttal: Item, claim: Item, cosine: float) -> tuple[float, str] | None:
    run = quoted_run(rebuttal.text, claim.text)
    name = surname(claim.speaker)
    named = bool(name) and name != surname(rebuttal.speaker) and name in normalise(rebuttal.text).split()
    quotes = run >= QUOTE_RUN
    if not (quotes or named):
        return None
    quote_score = 0.6 + 0.4 * min(1.0, run / 8) if quotes else 0.0
    name_score = 0.5 + 0.5 * cosine if named else 0.0
    score = min(1.0, max(quote_score, name_score) + (0.1 if quotes and named else 0.0))
    reasons = ([f"quotes {run} words of the claim"] if quotes else []) + (
        [f"names the claim's speaker ({name})"] if named else []
    )
    return round(score, 4), "; ".join(reasons)


def rebuttal_links(
    rebuttals: Sequence[Item], claims: Sequence[Item], *, topic_threshold: float = TOPIC_THRESHOLD
) -> list[Pair]:
    """REBUTS pairs: a rebuttal to a claim of another article it quotes or whose speaker it names."""
    if not rebuttals or not claims:
        return []
    vectors = _vectors([x.text for x in rebuttals] + [c.text for c in claims])
    n = len(rebuttals)
    rare = _rare(vectors)
    r, c = _candidates(rare[:n], rare[n:], upper=False, minimum=topic_threshold * PREFILTER)
    articles_r = np.fromiter((x.article for x in rebuttals), np.int64, n)
    articles_c = np.fromiter((x.article for x in claims), np.int64, len(claims))
    other = articles_r[r] != articles_c[c]
    r, c = r[other], c[other]
    scores = _cosines(vectors[:n], vectors[n:], r, c)
    pairs = []
    for i, j, cosine in zip(r.tolist(), c.tolist(), scores.tolist(), strict=True):
        if cosine < topic_threshold:
            continue
        found = _rebut_score(rebuttals[i], claims[j], cosine)
        if found is not None:
            pairs.append(Pair(rebuttals[i].id, claims[j].id, REBUTS, *found))
    return pairs


def claim_links(claims: Sequence[Item], rebuttal_items: Sequence[Item]) -> list[Pair]:
    """Every SAME_CLAIM and REBUTS pair between these claims and rebuttals."""
    return same_claims(claims) + rebuttal_links(rebuttal_items, claims)
