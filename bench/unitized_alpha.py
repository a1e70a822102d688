"""Time unitized_alpha on service-sized input: 10,000 articles of ~3,000 code points, 3 coders
with 10 segments each, 3 labels; the overall value and one per label.

    .venv/bin/python -m bench.unitized_alpha
"""

import random
import time

from annotator.agreement.metrics_unitized import unitized_alphas

LABELS = ["X", "Y", "Z"]


def article(rnd: random.Random) -> tuple:
    length = rnd.randint(2500, 3500)
    layers = {}
    for coder in ("a", "b", "c"):
        cuts = sorted(rnd.sample(range(length), 20))
        layers[coder] = [(s, e, rnd.choice(LABELS)) for s, e in zip(cuts[::2], cuts[1::2], strict=True)]
    return (length, layers)


def main() -> None:
    rnd = random.Random(7)
    continua = [article(rnd) for _ in range(10_000)]
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        overall, per_label = unitized_alphas(continua, LABELS)  # as the agreement report asks
        best = min(best, time.perf_counter() - t0)
    values = [overall.value] + [per_label[lab].value for lab in LABELS]
    print(
        f"overall + {len(LABELS)} labels over {len(continua)} articles: {best:.3f} s (best of 5); values {values}"
    )


if __name__ == "__main__":
    main()
