"""The recognisers a pre-annotation job runs for one project: the registered rule-based
ones as they are, and those made from the project's own annotations (string_match from
its labelled strings, learned from its trained model)."""

from annotator.annotations.models import Layer, Span
from annotator.common.errors import InvalidInput
from annotator.preannotation.recognisers import Recogniser, learned, recogniser_get, recognisers
from annotator.preannotation.recognisers.string_match import StringMatch

from .models import RecommenderModel

STRING_MATCH = "string_match"
LEARNED = "learned"


def string_match_for(project_id: int) -> StringMatch:
    """A string matcher of everything labelled in the project's annotator and gold layers."""
    examples = (
        Span.objects.filter(article__project_id=project_id, layer__in=(Layer.ANNOTATOR, Layer.GOLD))
        .order_by()
        .values_list("text", "label__name")
    )
    return StringMatch.from_examples(examples.iterator(chunk_size=5000))


def learned_recogniser(project_id: int) -> Recogniser:
    """The learned recogniser with the project's latest model; InvalidInput if it has none."""
    latest = RecommenderModel.objects.filter(project_id=project_id).order_by("-version").first()
    if latest is None:
        raise InvalidInput(
            "No model trained for this project yet: train one with "
            f"POST /api/v1/projects/{project_id}/recommender/train/."
        )
    try:
        model = learned.TrainedModel.loads(bytes(latest.blob))
    except ValueError as exc:
        raise InvalidInput(f"Model {latest.version} of this project cannot be used: {exc}.") from None
    return learned.LearnedRecogniser(model, latest.version)


def recogniser_for(name: str, *, project_id: int) -> Recogniser:
    """The recogniser ``name`` ready to run on the project's articles."""
    if name == STRING_MATCH:
        return string_match_for(project_id)
    if name == LEARNED:
        return learned_recogniser(project_id)
    recogniser = recogniser_get(name)
    if recogniser is None:
        known = ", ".join(r.name for r in recognisers())
        raise InvalidInput(f"Unknown recogniser {name!r}; known: {known}.", fields={"recognisers": [known]})
    return recogniser
