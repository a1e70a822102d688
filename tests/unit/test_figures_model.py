"""The figures recogniser's learned filter (issue 18): the shipped weights are what training
on the tuning set gives, proposals carry the model's probability, and that probability is
calibrated on articles the model was not fitted to (cross-validation on the tuning set)."""

import math

import pytest

from annotator.preannotation.recognisers import figures_model, figures_training
from annotator.preannotation.recognisers.figures import Figures


@pytest.fixture(scope="module")
def articles():
    return figures_training.tuning_articles()


def test_the_shipped_model_is_what_training_gives() -> None:
    assert figures_training.main(["--check"]) == 0


def test_proposals_are_the_candidates_with_at_least_even_odds() -> None:
    text = "Rents rose 6.4% on 5 March 2024 (see Route 38), and Ocean Estates sold 4,000 homes."
    recogniser = Figures()
    scored = {
        text[c.start : c.end]: figures_model.probability(c.features) for c in recogniser.candidates(text)
    }
    proposed = {text[p.start : p.end]: p.score for p in recogniser.propose(text)}
    assert set(proposed) == {"6.4%", "4,000 homes"}
    assert all(proposed[t] == pytest.approx(scored[t], abs=1e-4) for t in proposed)
    assert scored["6.4%"] > 0.9 and scored["5"] < 0.5 and scored["38"] < 0.5
    taken = {text[c.start : c.end] for c in recogniser.candidates(text, left_out=False)}
    assert taken == {"6.4%", "4,000 homes"}  # what the rules leave out is never proposed


def test_probabilities_are_calibrated_across_folds(articles) -> None:
    pairs = figures_training.cross_validated(articles)
    for band, count, mean, share in figures_training.reliability(pairs):
        if count >= 30:  # a band with too few candidates says little
            assert abs(mean - share) <= 0.1, (band, count, mean, share)
    proposed = [g for p, g in pairs if p >= figures_model.THRESHOLD]
    assert sum(proposed) / len(proposed) >= 0.95


def test_a_candidate_left_out_by_the_rules_keeps_its_reason_as_a_feature() -> None:
    text = "The 2024-03-05 meeting of category 7 staff was in two minds."
    reasons = {text[c.start : c.end]: c.features[1] for c in Figures().candidates(text)}
    assert reasons["2024"] == "left_out=date_time_code"
    assert reasons["7"] == "left_out=name"
    assert reasons["two"] == "left_out=phrase_title"


def test_fold_rows_count_what_the_threshold_keeps_and_drops() -> None:
    folds = [[(0.9, 1), (0.8, 0), (0.3, 1)], [(0.2, 0)]]
    rows = figures_training.fold_rows(folds)
    assert [row[:2] for row in rows] == [(0, 3), (1, 1)]
    assert rows[0][3:] == (2, 1, 1)  # proposed, false positives among them, figures dropped
    assert rows[1][3:] == (0, 0, 0)
    assert rows[1][2] == pytest.approx(-math.log(0.8))
