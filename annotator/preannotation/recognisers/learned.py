"""CLAIM and REBUTTAL learned from a project's own annotations: a classifier of sentences.

The recommender job (``annotator.preannotation.recommender``) trains one model per project
on the sentences its annotators marked and those they left unmarked; ``LearnedRecogniser``
proposes each sentence a trained label's probability reaches ``THRESHOLD`` for, the
probability as its score. Each label has a classifier of its own (one sentence may be both a
REBUTTAL and a CLAIM): word 1- and 2-grams (tf-idf) with a few cue words added, and a
class-balanced logistic regression. Pure: scikit-learn and the standard library, no Django.
"""

from __future__ import annotations

import pickle  # only for this service's own models: see TrainedModel.loads  # nosec B403
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .base import Proposal
from .quotes import _QUOTED, _SPEECH
from .rebuttals import _CONNECTIVE, _DENIAL, _SENTENCE

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

# scikit-learn is imported where it is used: a second and some 100 MB that the web process,
# which only lists this recogniser, need not pay.

LABELS = ("CLAIM", "REBUTTAL")
NONE = "NONE"  # the examples key of sentences nobody marked
MIN_POSITIVES = 10  # sentences marked with a label, for that label to be learned
MIN_NEGATIVES = 20  # sentences marked with neither
MAX_FOLDS = 5
THRESHOLD = 0.5
BASE_VERSION = "1.1"  # of the features and classifier; a trained model adds "+model.N"

Progress = Callable[[str], None]


class NotEnoughExamples(ValueError):
    """No label has enough examples to learn from; the message says how many it needs."""

    def __init__(self, counts: dict[str, int]) -> None:
        have = ", ".join(f"{label} {counts.get(label, 0)}" for label in (*LABELS, NONE))
        super().__init__(
            f"Too few examples to train: at least {MIN_POSITIVES} sentences marked CLAIM or "
            f"{MIN_POSITIVES} marked REBUTTAL are needed, and {MIN_NEGATIVES} sentences of "
            f"annotated articles marked with neither (there are: {have})."
        )
        self.counts = counts
        self.needed = {**dict.fromkeys(LABELS, MIN_POSITIVES), NONE: MIN_NEGATIVES}


@dataclass(frozen=True)
class Example:
    """A sentence and the labels whose spans cover any of it (none: a negative example)."""

    text: str
    labels: frozenset[str] = frozenset()


def sentences(text: str) -> list[tuple[int, int]]:
    """The ``[start, end)`` of each sentence, as the rebuttals recogniser splits them, without
    trailing white space."""
    bounds = []
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            bounds.append((start, end))
    return bounds


def sentence_examples(
    text: str, spans: Iterable[tuple[int, int, str]], unsure: Iterable[tuple[int, int]] = ()
) -> list[Example]:
    """One example per sentence of ``text``, labelled with the spans ``(start, end, label)``
    that overlap it, so a span snaps to every sentence it touches. A sentence that only an
    ``unsure`` range overlaps (a mark not to learn from) is no example either way."""
    marked = [(s, e, label) for s, e, label in spans if label in LABELS]
    skipped = list(unsure)
    examples = []
    for start, end in sentences(text):
        labels = frozenset(label for s, e, label in marked if s < end and start < e)
        if labels or not any(s < end and start < e for s, e in skipped):
            examples.append(Example(text[start:end], labels))
    return examples


def _with_cues(text: str) -> str:
    # Words a few examples cannot teach reliably, from the rule-based recognisers' patterns.
    cues = [
        ("cuequote", _QUOTED.search(text)),
        ("cuespeech", _has_speech_verb(text)),
        ("cueconnective", _CONNECTIVE.match(text)),
        ("cuedenial", _DENIAL.search(text)),
    ]
    return " ".join([text.lower(), *(word for word, found in cues if found)])


_SPEECH_WORDS = frozenset(_SPEECH.split("|"))


def _has_speech_verb(text: str) -> bool:
    return any(word.strip(".,:;\"'“”") in _SPEECH_WORDS for word in text.lower().split())


def _pipeline() -> Pipeline:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    # Character n-grams were tried beside the words: on the evaluation set they diluted the
    # cue words (held-out CLAIM F1 0.86 -> 0.81 at a dozen articles) and made models larger.
    return Pipeline(
        [
            ("words", TfidfVectorizer(preprocessor=_with_cues, ngram_range=(1, 2), sublinear_tf=True)),
            ("classifier", LogisticRegression(class_weight="balanced", max_iter=2000)),
        ]
    )


@dataclass
class TrainedModel:
    """One fitted classifier per learned label, with what it was trained on and how well it
    did in cross-validation."""

    classifiers: dict[str, Pipeline]
    counts: dict[str, int]  # sentences per label, NONE for unmarked ones
    metrics: dict[str, dict[str, float]]  # per label: precision, recall, f1, folds
    left_out: dict[str, str] = field(default_factory=dict)  # label: why it was not learned
    sklearn_version: str = ""

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.classifiers)

    def probabilities(self, texts: Sequence[str]) -> dict[str, list[float]]:
        """Each learned label's probability for each text."""
        if not texts:
            return {label: [] for label in self.classifiers}
        return {
            label: [float(p) for p in pipeline.predict_proba(list(texts))[:, 1]]
            for label, pipeline in self.classifiers.items()
        }

    def dumps(self) -> bytes:
        return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def loads(data: bytes) -> TrainedModel:
        """A model from ``dumps``. Unpickling runs code named in the data: call this only on
        bytes this service wrote itself (the recommender's own table), never on an upload."""
        import sklearn

        try:
            model = pickle.loads(data)  # noqa: S301 - our own bytes, see above  # nosec B301
        except Exception as exc:  # e.g. a class or function it names has moved since
            raise ValueError(f"cannot read the model ({type(exc).__name__}: {exc}): train it again") from exc
        if not isinstance(model, TrainedModel):
            raise ValueError(f"not a trained model but {type(model).__name__}")
        if model.sklearn_version != sklearn.__version__:
            raise ValueError(
                f"the model was trained with scikit-learn {model.sklearn_version} and this server "
                f"has {sklearn.__version__}: train it again"
            )
        return model


def train(examples: Sequence[Example], progress: Progress | None = None) -> TrainedModel:
    """Cross-validate, then fit, a classifier for each label with enough examples; labels
    without enough are left out (and said so). Raises NotEnoughExamples if none has."""
    import sklearn
    from sklearn.metrics import precision_recall_fscore_support
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    say = progress or (lambda message: None)
    counts = Counter(label for example in examples for label in example.labels)
    counts[NONE] = sum(1 for example in examples if not example.labels)
    count_dict = {label: counts[label] for label in (*LABELS, NONE)}
    left_out = {
        label: f"needs {MIN_POSITIVES} marked sentences, has {counts[label]}"
        for label in LABELS
        if counts[label] < MIN_POSITIVES
    }
    learnable = [label for label in LABELS if label not in left_out]
    if not learnable or counts[NONE] < MIN_NEGATIVES:
        raise NotEnoughExamples(count_dict)
    texts = [example.text for example in examples]
    classifiers: dict[str, Pipeline] = {}
    metrics: dict[str, dict[str, float]] = {}
    for label in learnable:
        y = [label in example.labels for example in examples]
        folds = min(MAX_FOLDS, sum(y), len(y) - sum(y))
        say(f"cross-validating {label} ({folds} folds, {len(y)} sentences)")
        cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
        predicted = cross_val_predict(_pipeline(), texts, y, cv=cv, method="predict_proba")[:, 1]
        precision, recall, f1, _ = precision_recall_fscore_support(
            y, predicted >= THRESHOLD, average="binary", zero_division=0
        )
        metrics[label] = {
            "precision": round(float(precision), 4),
            "recall": round(float(recall), 4),
            "f1": round(float(f1), 4),
            "folds": folds,
        }
        say(f"training {label}")
        classifiers[label] = _pipeline().fit(texts, y)
    return TrainedModel(classifiers, count_dict, metrics, left_out, sklearn.__version__)


class LearnedRecogniser:
    """Proposes the sentences a project's trained model labels CLAIM or REBUTTAL."""

    name: str = "learned"
    description: str = (
        "A classifier trained on this project's own CLAIM and REBUTTAL annotations (train it with "
        "POST /api/v1/projects/{id}/recommender/train/); proposes whole sentences, the "
        "probability as score and the model version in the attributes."
    )
    relations: tuple[str, ...] = ()

    def __init__(self, model: TrainedModel | None = None, model_version: int | None = None) -> None:
        self.model = model
        self.model_version = model_version
        self.version: str = BASE_VERSION if model_version is None else f"{BASE_VERSION}+model.{model_version}"
        self.labels: tuple[str, ...] = model.labels if model is not None else LABELS

    def propose(self, text: str) -> list[Proposal]:
        if self.model is None:
            return []  # the registered placeholder: no project's model
        bounds = sentences(text)
        scores = self.model.probabilities([text[start:end] for start, end in bounds])
        attributes: dict[str, Any] = {"model_version": self.model_version}
        # The span is the sentence without its final full stop, as the guidelines mark one.
        spans = [
            (start, end - 1 if text[end - 1] == "." and end - 1 > start else end) for start, end in bounds
        ]
        proposals = [
            Proposal(start, end, label, round(score, 4), dict(attributes))
            for label, label_scores in scores.items()
            for (start, end), score in zip(spans, label_scores, strict=True)
            if score >= THRESHOLD
        ]
        return sorted(proposals, key=lambda p: (p.start, p.end, p.label))
