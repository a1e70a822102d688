"""Label schemas a project can start from. Pure data."""

from typing import TypedDict


class LabelSpec(TypedDict, total=False):
    kind: str
    name: str
    colour: str
    hotkey: str
    description: str
    sources: list[str]
    targets: list[str]
    cross_article: bool
    symmetric: bool


PRESETS: dict[str, list[LabelSpec]] = {
    "empty": [],
    "argument": [
        {
            "kind": "span",
            "name": "CLAIM",
            "colour": "#1f77b4",
            "hotkey": "c",
            "description": "An assertion presented as true by someone in the article.",
        },
        {
            "kind": "span",
            "name": "REBUTTAL",
            "colour": "#d62728",
            "hotkey": "r",
            "description": "A statement that denies, contradicts or answers a claim.",
        },
        {
            "kind": "span",
            "name": "FIGURE",
            "colour": "#2ca02c",
            "hotkey": "f",
            "description": "A quantitative statement: 4.75%, £1,400, 55 NHS trusts.",
        },
        {
            "kind": "relation",
            "name": "REBUTS",
            "colour": "#ff7f0e",
            "hotkey": "b",
            "description": "A rebuttal answers a claim.",
            "sources": ["REBUTTAL"],
            "targets": ["CLAIM"],
            "cross_article": True,
        },
        {
            "kind": "relation",
            "name": "SUPPORTS",
            "colour": "#9467bd",
            "hotkey": "s",
            "description": "A figure supports a claim.",
            "sources": ["FIGURE"],
            "targets": ["CLAIM"],
            "cross_article": True,
        },
        {
            "kind": "relation",
            "name": "SAME_CLAIM",
            "colour": "#17becf",
            "hotkey": "m",
            "description": "The same claim, quoted in two articles.",
            "sources": ["CLAIM"],
            "targets": ["CLAIM"],
            "cross_article": True,
            "symmetric": True,
        },
    ],
}
