"""The learned classifier (pure): examples, training, refusing too few examples, cross-validated
scores, serialisation, proposals, and that it gets better with more examples."""

import pickle
import random
from dataclasses import replace
from pathlib import Path

import pytest

from annotator.preannotation.evaluation import parse_marked
from annotator.preannotation.recognisers import learned, recogniser_get
from annotator.preannotation.recognisers.learned import (
    MIN_NEGATIVES,
    MIN_POSITIVES,
    Example,
    LearnedRecogniser,
    NotEnoughExamples,
    TrainedModel,
    sentence_examples,
    sentences,
    train,
)

EVAL_SET = Path(__file__).resolve().parent.parent / "data" / "preannotation" / "eval.txt"

# Invented sentences: who says what about which local scheme.
SPEAKERS = ["Ayla Brook", "the minister", "a council spokesperson", "Dr Omar Fenwick", "Priya Castell"]
TOPICS = ["the bypass", "the hospital merger", "rail fares", "the school budget", "the flood wall"]
CLAIMS = [
    '"{T} will save every family money," {s} said.',
    '{S} said: "{T} is the best option we have."',
    '"We delivered {t} on time and on budget," said {s}.',
    '"Nobody will lose out because of {t}," {s} told reporters.',
    '{S} told MPs: "{T} has already paid for itself."',
    '"{T} is working," {s} insisted.',
]
REBUTTALS = [
    "But {s} denied that {t} had been a success.",
    "However, {s} rejected claims that {t} would help anyone.",
    "{S} disputed the figures on {t}, calling them misleading.",
    "Yet critics insisted that {t} had made things worse.",
    "But the opposition hit back, saying {t} was late and over budget.",
    "{S} contradicted the claim about {t} in a letter on Friday.",
]
NEUTRAL = [
    "The council meets on Tuesday to discuss {t}.",
    "{T} was first proposed in the spring.",
    "A public consultation on {t} closes next month.",
    "Residents can read the full report on {t} at the library.",
    "{S} visited the site of {t} on Monday.",
    "Work on {t} is expected to begin in the autumn.",
    "The committee's agenda also includes {t}.",
    "Maps of {t} are on display in the town hall.",
]


def synthetic(templates: list[str], label: str | None, n: int, rng: random.Random) -> list[Example]:
    labels = frozenset({label}) if label else frozenset()
    out = []
    for _ in range(n):
        s, t = rng.choice(SPEAKERS), rng.choice(TOPICS)
        text = rng.choice(templates).format(s=s, S=s[0].upper() + s[1:], t=t, T=t[0].upper() + t[1:])
        out.append(Example(text, labels))
    return out


def dataset(claims: int, rebuttals: int, neutral: int, seed: int = 0) -> list[Example]:
    rng = random.Random(seed)
    examples = [
        *synthetic(CLAIMS, "CLAIM", claims, rng),
        *synthetic(REBUTTALS, "REBUTTAL", rebuttals, rng),
        *synthetic(NEUTRAL, None, neutral, rng),
    ]
    rng.shuffle(examples)
    return examples


@pytest.fixture(scope="module")
def model() -> TrainedModel:
    return train(dataset(20, 20, 40))


def f1(model: TrainedModel, examples: list[Example], label: str) -> float:
    scores = model.probabilities([e.text for e in examples])[label]
    predicted = [score >= learned.THRESHOLD for score in scores]
    wanted = [label in e.labels for e in examples]
    tp = sum(p and w for p, w in zip(predicted, wanted, strict=True))
    precision, recall = tp / max(1, sum(predicted)), tp / max(1, sum(wanted))
    return 2 * precision * recall / (precision + recall) if tp else 0.0


# --- examples ------------------------------------------------------------------------------


def test_sentences_are_split_as_the_rebuttals_recogniser_splits_them() -> None:
    text = 'He said: "Prices fell." But she denied it.\nA new line without a stop'
    assert [text[s:e] for s, e in sentences(text)] == [
        'He said: "Prices fell."',
        "But she denied it.",
        "A new line without a stop",
    ]
    assert sentences("") == [] and sentences("  \n ") == []


def test_spans_snap_to_every_sentence_they_touch_and_unsure_marks_are_left_out() -> None:
    text = "One claim here. It runs on. A quiet one. Imported mark. Last one."
    claim = (text.index("claim"), text.index("runs") + 4, "CLAIM")  # across two sentences
    figure = (text.index("quiet"), text.index("quiet") + 5, "FIGURE")  # not a label it learns
    imported = (text.index("Imported"), text.index("Imported") + 8)
    examples = sentence_examples(text, [claim, figure], unsure=[imported])
    assert examples == [
        Example("One claim here.", frozenset({"CLAIM"})),
        Example("It runs on.", frozenset({"CLAIM"})),
        Example("A quiet one."),
        Example("Last one."),
    ]


# --- training ------------------------------------------------------------------------------


def test_refuses_too_few_examples_saying_how_many_it_needs() -> None:
    with pytest.raises(NotEnoughExamples) as refused:
        train(dataset(MIN_POSITIVES - 1, 3, 50))
    message = str(refused.value)
    assert f"at least {MIN_POSITIVES} sentences marked CLAIM" in message
    assert f"CLAIM {MIN_POSITIVES - 1}, REBUTTAL 3, NONE 50" in message
    assert refused.value.needed == {"CLAIM": MIN_POSITIVES, "REBUTTAL": MIN_POSITIVES, "NONE": MIN_NEGATIVES}
    with pytest.raises(NotEnoughExamples, match=f"{MIN_NEGATIVES} sentences of annotated articles"):
        train(dataset(30, 30, MIN_NEGATIVES - 1))
    with pytest.raises(NotEnoughExamples):
        train([])


def test_a_label_with_too_few_examples_is_left_out_and_said_so() -> None:
    model = train(dataset(MIN_POSITIVES, 4, MIN_NEGATIVES))
    assert model.labels == ("CLAIM",)
    assert model.left_out == {"REBUTTAL": f"needs {MIN_POSITIVES} marked sentences, has 4"}
    assert model.counts == {"CLAIM": MIN_POSITIVES, "REBUTTAL": 4, "NONE": MIN_NEGATIVES}
    assert set(model.probabilities(["But she denied it."])) == {"CLAIM"}


def test_cross_validated_scores_for_each_learned_label(model: TrainedModel) -> None:
    assert model.labels == ("CLAIM", "REBUTTAL")
    assert model.counts == {"CLAIM": 20, "REBUTTAL": 20, "NONE": 40}
    for label in model.labels:
        metrics = model.metrics[label]
        assert set(metrics) == {"precision", "recall", "f1", "folds"} and metrics["folds"] == 5
        assert all(0.0 <= metrics[k] <= 1.0 for k in ("precision", "recall", "f1"))
        assert metrics["f1"] > 0.8, (label, metrics)  # templates this regular are easy


def test_a_sentence_may_be_both_labels() -> None:
    both = [Example('But Ayla Brook said: "It failed."', frozenset({"CLAIM", "REBUTTAL"}))] * MIN_POSITIVES
    model = train([*both, *dataset(0, 0, MIN_NEGATIVES)])
    assert model.counts == {"CLAIM": MIN_POSITIVES, "REBUTTAL": MIN_POSITIVES, "NONE": MIN_NEGATIVES}
    scores = model.probabilities(['But Ayla Brook said: "It failed."'])
    assert scores["CLAIM"][0] > 0.5 and scores["REBUTTAL"][0] > 0.5


def test_progress_is_reported_per_label() -> None:
    messages: list[str] = []
    train(dataset(MIN_POSITIVES, MIN_POSITIVES, MIN_NEGATIVES), progress=messages.append)
    assert messages == [
        f"cross-validating CLAIM (5 folds, {2 * MIN_POSITIVES + MIN_NEGATIVES} sentences)",
        "training CLAIM",
        f"cross-validating REBUTTAL (5 folds, {2 * MIN_POSITIVES + MIN_NEGATIVES} sentences)",
        "training REBUTTAL",
    ]


# --- serialisation -------------------------------------------------------------------------


def test_dumps_and_loads_give_the_same_predictions(model: TrainedModel) -> None:
    texts = [e.text for e in dataset(5, 5, 5, seed=7)]
    again = TrainedModel.loads(model.dumps())
    assert again.labels == model.labels and again.metrics == model.metrics
    assert again.probabilities(texts) == model.probabilities(texts)
    assert model.probabilities([]) == {"CLAIM": [], "REBUTTAL": []}


def test_loads_refuses_other_objects_and_other_scikit_learn_versions(model: TrainedModel) -> None:
    with pytest.raises(ValueError, match="not a trained model"):
        TrainedModel.loads(pickle.dumps({"classifiers": {}}))
    with pytest.raises(ValueError, match=r"scikit-learn 0\.1 .* train it again"):
        TrainedModel.loads(replace(model, sklearn_version="0.1").dumps())


# --- the recogniser ------------------------------------------------------------------------


def test_the_registered_placeholder_is_listed_and_proposes_nothing() -> None:
    placeholder = recogniser_get("learned")
    assert isinstance(placeholder, LearnedRecogniser)
    assert (placeholder.version, placeholder.labels, placeholder.relations) == (
        "1.1",
        ("CLAIM", "REBUTTAL"),
        (),
    )
    assert "train" in placeholder.description
    assert placeholder.propose('"It will work," Ayla Brook said. But the minister denied it.') == []


def test_proposes_sentences_with_score_and_model_version(model: TrainedModel) -> None:
    recogniser = LearnedRecogniser(model, model_version=3)
    assert (recogniser.name, recogniser.version, recogniser.labels) == (
        "learned",
        "1.1+model.3",
        model.labels,
    )
    text = (
        "The council meets on Tuesday to discuss the bypass.\n"
        '"The bypass will save every family money," Priya Castell said. '
        "But the minister denied that the bypass had been a success."
    )
    proposals = recogniser.propose(text)
    found = {(text[p.start : p.end], p.label) for p in proposals}
    assert found == {
        ('"The bypass will save every family money," Priya Castell said', "CLAIM"),
        ("But the minister denied that the bypass had been a success", "REBUTTAL"),
    }
    for p in proposals:
        assert learned.THRESHOLD <= p.score <= 1 and p.attributes == {"model_version": 3}
    assert recogniser.propose("") == []


# --- more examples, better proposals -------------------------------------------------------


def test_more_synthetic_examples_do_not_hurt() -> None:
    held_out = dataset(40, 40, 80, seed=99)
    small, large = train(dataset(10, 10, 20, seed=1)), train(dataset(60, 60, 120, seed=1))
    for label in ("CLAIM", "REBUTTAL"):
        assert f1(large, held_out, label) >= f1(small, held_out, label), label
        assert f1(large, held_out, label) > 0.9, label


def test_it_improves_as_more_of_the_evaluation_set_is_annotated() -> None:
    """Hand-marked articles (tests/data/preannotation/eval.txt): a third held out, the classifier
    trained on the first 12 of the rest, then on all 30."""
    articles = parse_marked(EVAL_SET.read_text())
    random.Random(0).shuffle(articles)
    held_out, pool = articles[:16], articles[16:]

    def examples(part: list) -> list[Example]:
        return [
            e for a in part for e in sentence_examples(a.text, [(s.start, s.end, s.label) for s in a.spans])
        ]

    test = examples(held_out)
    small, large = train(examples(pool[:12])), train(examples(pool))
    assert small.labels == large.labels == ("CLAIM", "REBUTTAL")
    for label in ("CLAIM", "REBUTTAL"):
        assert f1(large, test, label) >= f1(small, test, label), label
    assert f1(large, test, "CLAIM") > 0.8 and f1(large, test, "REBUTTAL") > 0.8
    assert sum(large.counts.values()) > 2 * sum(small.counts.values())
