"""Which layers a member may read and write. Selectors and services both ask here."""

from django.db.models import Q

from annotator.common.errors import Forbidden, NotFound
from annotator.projects.access import READ_ALL_LAYERS, WRITE_GOLD, WRITE_OWN_LAYER
from annotator.projects.models import Membership, Role

from .models import Layer


def visible_layers_q(membership: Membership, prefix: str = "", owner: str = "annotator_id") -> Q:
    """Q for the rows of the layers ``membership`` may read (own + suggestions, or all);
    ``owner`` names the rows' field of the layer's annotator."""
    if membership.role in READ_ALL_LAYERS:
        return Q()
    return Q(**{f"{prefix}layer": Layer.SUGGESTION}) | Q(
        **{f"{prefix}layer": Layer.ANNOTATOR, f"{prefix}{owner}": membership.user_id}
    )


def can_read(membership: Membership, layer: str, annotator_id: int | None) -> bool:
    if membership.role in READ_ALL_LAYERS or layer == Layer.SUGGESTION:
        return True
    return layer == Layer.ANNOTATOR and annotator_id == membership.user_id


def check_can_write(membership: Membership, layer: str, annotator_id: int | None) -> None:
    """Raise Forbidden unless the member may write this layer."""
    if layer == Layer.SUGGESTION:
        raise Forbidden("Suggestions are made by pre-annotation jobs; accept or reject them instead.")
    if layer == Layer.GOLD:
        if membership.role not in WRITE_GOLD:
            raise Forbidden("Only reviewers and admins may write the gold layer.")
        return
    if membership.role not in WRITE_OWN_LAYER:
        raise Forbidden(f"A {membership.role} may read annotations but not write them.")
    if annotator_id != membership.user_id and membership.role != Role.ADMIN:
        raise Forbidden("You may write only your own layer.")


def one_layer_q(membership: Membership, layer: str) -> tuple[str, Q]:
    """One layer by name ("gold" or an annotator's username; "" is gold for the roles that read
    every layer, else the caller's own), as its name and a filter of span/relation rows; a
    layer the caller may not read, or no such member, is a 404 (blind annotation)."""
    reads_all = membership.role in READ_ALL_LAYERS
    if not layer:
        layer = Layer.GOLD if reads_all else membership.user.username
    if layer == Layer.GOLD:
        if not reads_all:
            raise NotFound("Layer not found.", fields={"layer": ["not found"]})
        return layer, Q(layer=Layer.GOLD)
    if not reads_all and layer != membership.user.username:
        raise NotFound("Layer not found.", fields={"layer": ["not found"]})
    owner = (
        Membership.objects.filter(project_id=membership.project_id, user__username=layer)
        .values_list("user_id", flat=True)
        .first()
    )
    if owner is None:
        raise NotFound("Layer not found.", fields={"layer": ["not found"]})
    return layer, Q(layer=Layer.ANNOTATOR, annotator_id=owner)
