"""Build crossarticle.jsonl (native import format) from articles.txt: run it after editing that.

.venv/bin/python tests/data/crossarticle/build.py
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from pathlib import Path

HERE = Path(__file__).parent
MARK = re.compile(r"\{([CR]):([\w-]+)\|([^|]+)\|([^}]+)\}")
LABELS = {"C": "CLAIM", "R": "REBUTTAL"}


def parse(source: str) -> list[dict]:
    articles = []
    for block in source.split("\n== ")[1:]:
        external_id, body = block.split("\n", 1)
        text, spans, at = "", [], 0
        for m in MARK.finditer(body):
            text += body[at : m.start()]
            kind, group, speaker, words = m.groups()
            spans.append(
                {
                    "kind": kind,
                    "group": group,
                    "speaker": speaker,
                    "start": len(text),
                    "end": len(text) + len(words),
                }
            )
            text += words
            at = m.end()
        text = (text + body[at:]).strip("\n")
        articles.append({"id": external_id.strip(), "text": text, "spans": spans})
    return articles


def build() -> list[dict]:
    articles = parse((HERE / "articles.txt").read_text(encoding="utf-8"))
    next_id = itertools.count(1)
    everything = []  # (article, span json, kind, group)
    lines = []
    for a in articles:
        spans = []
        for s in a["spans"]:
            span = {
                "id": next(next_id),
                "start": s["start"],
                "end": s["end"],
                "label": LABELS[s["kind"]],
                "text": a["text"][s["start"] : s["end"]],
                "attributes": {"speaker": s["speaker"]},
            }
            spans.append(span)
            everything.append((a["id"], span, s["kind"], s["group"]))
        a["json_spans"] = spans
        a["relations"] = []
    by_id = {a["id"]: a for a in articles}
    rel_id = itertools.count(1)
    for (a1, s1, k1, g1), (a2, s2, k2, g2) in itertools.permutations(everything, 2):
        if a1 == a2 or g1 != g2:
            continue
        if k1 == "C" and k2 == "C" and s1["id"] < s2["id"]:
            label = "SAME_CLAIM"
        elif k1 == "R" and k2 == "C":
            label = "REBUTS"
        else:
            continue
        by_id[a1]["relations"].append(
            {"id": next(rel_id), "from": s1["id"], "to": {"article": a2, "span": s2["id"]}, "label": label}
        )
    for a in articles:
        lines.append(
            {
                "schema": 1,
                "id": a["id"],
                "title": a["id"],
                "text": a["text"],
                "text_sha256": hashlib.sha256(a["text"].encode()).hexdigest(),
                "offsets": "codepoint",
                "annotations": [
                    {
                        "layer": "gold",
                        "spans": a["json_spans"],
                        "relations": a["relations"],
                        "document_labels": [],
                    }
                ],
            }
        )
    return lines


if __name__ == "__main__":
    lines = build()
    with open(HERE / "crossarticle.jsonl", "w", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    relations = [r["label"] for line in lines for r in line["annotations"][0]["relations"]]
    print(len(lines), "articles;", {k: relations.count(k) for k in set(relations)})
