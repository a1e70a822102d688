import re
from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, models, transaction
from django.db.models import RestrictedError

from annotator.common import events
from annotator.common.errors import Conflict, InvalidInput, NotFound, check_whole_number
from annotator.common.live import publish
from annotator.common.text import check_storable
from annotator.projects.access import membership_get, require_admin
from annotator.projects.labels import label_name_clean
from annotator.projects.models import MAX_ANNOTATORS_PER_ARTICLE, Label, LabelKind, Membership, Project, Role
from annotator.projects.models import Assignment as Mode
from annotator.projects.presets import PRESETS

COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
# Keys the annotation UI keeps for itself (shortcut overlay, reject).
RESERVED_HOTKEYS = frozenset({"?", "x", " "})
PROJECT_FIELDS = (
    "name",
    "description",
    "guidelines",
    "allow_overlapping_spans",
    "assignment",
    "annotators_per_article",
    "annotator_pool",
)


def _clean_name(value: str, field: str = "name", max_length: int = 200) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"{field} may not be blank", fields={field: ["may not be blank"]})
    if len(value) > max_length:
        raise InvalidInput(f"{field} is too long", fields={field: [f"at most {max_length} characters"]})
    check_storable(value, field)
    return value


@transaction.atomic
def project_create(
    *,
    creator: User,
    name: str,
    description: str = "",
    guidelines: str = "",
    allow_overlapping_spans: bool = True,
    preset: str | None = None,
) -> Project:
    """Create a project whose creator is its first admin, with the preset's labels."""
    if preset and preset not in PRESETS:
        known = ", ".join(sorted(PRESETS))
        raise InvalidInput(
            f"Unknown preset {preset!r}; known: {known}.", fields={"preset": [f"one of {known}"]}
        )
    check_storable(description, "description")
    check_storable(guidelines, "guidelines")
    project = Project.objects.create(
        name=_clean_name(name),
        description=description,
        guidelines=guidelines,
        allow_overlapping_spans=allow_overlapping_spans,
    )
    Membership.objects.create(project=project, user=creator, role=Role.ADMIN)
    by_name: dict[str, Label] = {}
    for spec in PRESETS.get(preset or "empty", []):
        label = Label.objects.create(
            project=project,
            kind=spec["kind"],
            name=spec["name"],
            colour=spec.get("colour", "#888888"),
            hotkey=spec.get("hotkey", ""),
            description=spec.get("description", ""),
            cross_article=spec.get("cross_article", False),
            symmetric=spec.get("symmetric", False),
        )
        by_name[label.name] = label
        label.allowed_sources.set([by_name[n] for n in spec.get("sources", [])])
        label.allowed_targets.set([by_name[n] for n in spec.get("targets", [])])
    return project


@transaction.atomic
def project_update(*, actor: User, project_id: int, **changes: object) -> Project:
    """Change a project's settings; admins only."""
    membership = membership_get(user=actor, project_id=project_id)
    require_admin(membership, "change project settings")
    project = Project.objects.select_for_update().get(pk=project_id)
    for field, value in changes.items():
        if field not in PROJECT_FIELDS:
            raise InvalidInput(f"{field} cannot be changed", fields={field: ["read-only"]})
        if field == "name":
            value = _clean_name(str(value))
        elif field == "assignment":
            value = _check_choice(value, Mode, field)
        elif field == "annotators_per_article":
            value = check_whole_number(value, field, 1, MAX_ANNOTATORS_PER_ARTICLE)
        elif field == "annotator_pool":
            value = _pool_ids(project_id, value)
        elif isinstance(value, str):
            check_storable(value, field)
        setattr(project, field, value)
    if changes:  # an empty PATCH changes nothing, not even updated_at
        project.save()
    return project


def _check_choice(value: object, choices: type[models.TextChoices], field: str) -> str:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise InvalidInput(f"{field} must be one of: {allowed}.", fields={field: [f"One of: {allowed}."]})
    return str(value)


def _pool_ids(project_id: int, usernames: object) -> list[int] | None:
    """The user ids of a pool given by username; every one must be an annotator of the project."""
    if usernames is None:
        return None
    if not isinstance(usernames, list) or not all(isinstance(u, str) for u in usernames):
        raise InvalidInput(
            "annotator_pool must be null or a list of usernames.",
            fields={"annotator_pool": ["A list of usernames, or null."]},
        )
    found = dict(
        Membership.objects.filter(
            project_id=project_id, role=Role.ANNOTATOR, user__username__in=usernames
        ).values_list("user__username", "user_id")
    )
    missing = sorted(set(usernames) - set(found))
    if missing:
        message = f"Not annotators of this project: {', '.join(missing)}."
        raise InvalidInput(f"annotator_pool: {message}", fields={"annotator_pool": [message]})
    return sorted(set(found.values()))


@transaction.atomic
def project_delete(*, actor: User, project_id: int) -> None:
    """Delete a project and everything in it; admins only."""
    membership = membership_get(user=actor, project_id=project_id)
    require_admin(membership, "delete the project")
    Project.objects.filter(pk=project_id).delete()


# --- members ------------------------------------------------------------------------------


def _lock_project(project_id: int) -> None:
    """Queue this transaction behind any other member or label change of the project.

    Those read before they write (is the user a member? is the name taken? is another admin
    left?), and two of them at once would each pass the check the other breaks. FOR NO KEY
    UPDATE, so rows that merely reference the project (articles being imported) are not
    held up."""
    if not Project.objects.select_for_update(no_key=True).filter(pk=project_id).exists():
        raise NotFound("Project not found.")


def _check_role(role: str) -> str:
    if role not in Role.values:
        raise InvalidInput(f"Unknown role {role!r}.", fields={"role": [f"one of {', '.join(Role.values)}"]})
    return role


def _admins_left_without(project_id: int, membership_id: int) -> int:
    return Membership.objects.filter(project_id=project_id, role=Role.ADMIN).exclude(pk=membership_id).count()


@transaction.atomic
def member_add(*, actor: User, project_id: int, username: str, role: str) -> Membership:
    """Add an existing user to the project with a role; admins only."""
    require_admin(membership_get(user=actor, project_id=project_id), "add members")
    _lock_project(project_id)
    _check_role(role)
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise InvalidInput(f"No user named {username!r}.", fields={"username": ["no such user"]})
    if Membership.objects.filter(project_id=project_id, user=user).exists():
        raise Conflict(f"{username} is already a member of this project.")
    events.publish(project_id, "member.added", {"user": user.username, "role": role})
    return Membership.objects.create(project_id=project_id, user=user, role=role)


def _member_for_admin(actor: User, project_id: int, membership_id: int, action: str) -> Membership:
    require_admin(membership_get(user=actor, project_id=project_id), action)
    _lock_project(project_id)
    member = (
        Membership.objects.select_for_update()
        .select_related("user")
        .filter(project_id=project_id, pk=membership_id)
        .first()
    )
    if member is None:
        raise NotFound("Member not found.")
    return member


@transaction.atomic
def member_set_role(*, actor: User, project_id: int, membership_id: int, role: str) -> Membership:
    """Change a member's role; a project always keeps at least one admin."""
    member = _member_for_admin(actor, project_id, membership_id, "change roles")
    _check_role(role)
    if member.role == Role.ADMIN and role != Role.ADMIN and not _admins_left_without(project_id, member.pk):
        raise Conflict("A project needs at least one admin; promote someone else first.")
    member.role = role
    member.save(update_fields=["role", "updated_at"])
    publish(project_id, "member.changed", {"user_id": member.user_id, "role": role}, {"user": member.user_id})
    return member


@transaction.atomic
def member_remove(*, actor: User, project_id: int, membership_id: int) -> None:
    """Remove a member (their annotations stay); a project always keeps one admin."""
    member = _member_for_admin(actor, project_id, membership_id, "remove members")
    if member.role == Role.ADMIN and not _admins_left_without(project_id, member.pk):
        raise Conflict("A project needs at least one admin; promote someone else first.")
    events.publish(project_id, "member.removed", {"user": member.user.username, "role": member.role})
    member.delete()
    # Their open sockets read the membership again, find none and close.
    publish(project_id, "member.removed", {"user_id": member.user_id}, {"user": member.user_id})


# --- labels -------------------------------------------------------------------------------


def _resolve_span_labels(project_id: int, refs: Sequence[int | str], field: str) -> list[Label]:
    labels = []
    for ref in refs:
        label = label_resolve(project_id=project_id, ref=ref, kind=LabelKind.SPAN, field=field)
        labels.append(label)
    return labels


def label_resolve(*, project_id: int, ref: int | str, kind: str, field: str = "label") -> Label:
    """Find a label of this project and kind by id or by name.

    An unknown name is a 400; an id that is not a label of this project is a 404.
    """
    qs = Label.objects.filter(project_id=project_id)
    label: Label | None = None
    if isinstance(ref, str) and ref.strip():
        named = sorted(qs.filter(name=ref.strip()), key=lambda lab: lab.kind != kind)
        label = named[0] if named else None
        if label is None and not ref.strip().isdigit():
            raise InvalidInput(
                f"Unknown {kind} label {ref.strip()!r} in this project.", fields={field: ["unknown label"]}
            )
        if label is None:
            ref = int(ref)
    if label is None:
        if not isinstance(ref, int) or isinstance(ref, bool):
            raise InvalidInput(f"{field} must be a label name or id", fields={field: ["name or id"]})
        label = qs.filter(pk=ref).first()
        if label is None:
            raise NotFound(f"Label {ref} not found in this project.", fields={field: ["not found"]})
    if label.kind != kind:
        raise InvalidInput(
            f"Label {label.name!r} is a {label.kind} label, not a {kind} label.",
            fields={field: [f"must be a {kind} label"]},
        )
    return label


def _check_label_fields(colour: str | None, hotkey: str | None) -> None:
    if colour is not None and not COLOUR_RE.match(colour):
        raise InvalidInput("colour must look like #1f77b4", fields={"colour": ["#rrggbb"]})
    if hotkey:
        if len(hotkey) != 1 or not hotkey.isprintable():
            raise InvalidInput("hotkey must be one printable character", fields={"hotkey": ["one character"]})
        if hotkey in RESERVED_HOTKEYS:
            raise InvalidInput(
                f"hotkey {hotkey!r} is reserved by the annotation UI", fields={"hotkey": ["reserved"]}
            )


def _check_relation_only(kind: str, restricts: object, flags: object) -> None:
    """Only relation labels restrict their ends or set cross_article / symmetric."""
    if kind == LabelKind.RELATION:
        return
    if restricts:
        raise InvalidInput("Only relation labels restrict sources and targets.")
    if flags:
        raise InvalidInput(
            "Only relation labels may be cross_article or symmetric.",
            fields={"cross_article": ["relation labels only"]},
        )


def _check_label_unique(project_id: int, kind: str, name: str, hotkey: str, exclude: int) -> None:
    others = Label.objects.filter(project_id=project_id).exclude(pk=exclude)
    if others.filter(kind=kind, name=name).exists():
        raise Conflict(f"A {kind} label named {name!r} already exists.", fields={"name": ["taken"]})
    if hotkey and others.filter(hotkey=hotkey).exists():
        raise Conflict(f"Hotkey {hotkey!r} is already used by another label.", fields={"hotkey": ["taken"]})


def _lock_label(label: Label) -> None:
    """The project's schema locked (``_lock_project``), and the label still there: deleted
    meanwhile it is a 404 (saving it would put it back)."""
    _lock_project(label.project_id)
    if not Label.objects.filter(pk=label.pk).exists():
        raise NotFound("Label not found.")


@transaction.atomic
def label_create(
    *,
    actor: User,
    project_id: int,
    kind: str,
    name: str,
    colour: str = "#888888",
    hotkey: str = "",
    description: str = "",
    allowed_sources: Sequence[int | str] = (),
    allowed_targets: Sequence[int | str] = (),
    cross_article: bool = False,
    symmetric: bool = False,
) -> Label:
    """Add a label to the project's schema; admins only."""
    require_admin(membership_get(user=actor, project_id=project_id), "edit the label schema")
    _lock_project(project_id)
    if kind not in LabelKind.values:
        raise InvalidInput(
            f"Unknown label kind {kind!r}.", fields={"kind": [f"one of {', '.join(LabelKind.values)}"]}
        )
    name = label_name_clean(name)
    _check_label_fields(colour, hotkey)
    check_storable(description, "description")
    _check_relation_only(kind, allowed_sources or allowed_targets, cross_article or symmetric)
    _check_label_unique(project_id, kind, name, hotkey, exclude=0)
    label = Label.objects.create(
        project_id=project_id,
        kind=kind,
        name=name,
        colour=colour,
        hotkey=hotkey,
        description=description,
        cross_article=cross_article,
        symmetric=symmetric,
    )
    label.allowed_sources.set(_resolve_span_labels(project_id, allowed_sources, "allowed_sources"))
    label.allowed_targets.set(_resolve_span_labels(project_id, allowed_targets, "allowed_targets"))
    return label


@transaction.atomic
def label_update(
    *,
    actor: User,
    label: Label,
    name: str | None = None,
    colour: str | None = None,
    hotkey: str | None = None,
    description: str | None = None,
    allowed_sources: Sequence[int | str] | None = None,
    allowed_targets: Sequence[int | str] | None = None,
    cross_article: bool | None = None,
    symmetric: bool | None = None,
) -> Label:
    """Rename or restyle a label, or change a relation label's constraints; admins only."""
    require_admin(membership_get(user=actor, project_id=label.project_id), "edit the label schema")
    _lock_label(label)
    _check_label_fields(colour, hotkey)
    if name is not None:
        label.name = label_name_clean(name)
    if colour is not None:
        label.colour = colour
    if hotkey is not None:
        label.hotkey = hotkey
    if description is not None:
        check_storable(description, "description")
        label.description = description
    _check_label_unique(label.project_id, label.kind, label.name, label.hotkey, exclude=label.pk)
    _check_relation_only(label.kind, allowed_sources or allowed_targets, cross_article or symmetric)
    if cross_article is not None:
        label.cross_article = cross_article
    if symmetric is not None:
        label.symmetric = symmetric
    label.save()
    if allowed_sources is not None:
        label.allowed_sources.set(_resolve_span_labels(label.project_id, allowed_sources, "allowed_sources"))
    if allowed_targets is not None:
        label.allowed_targets.set(_resolve_span_labels(label.project_id, allowed_targets, "allowed_targets"))
    return label


def label_delete(*, actor: User, label: Label) -> None:
    """Delete an unused label; a label still in use is a conflict, never a silent loss."""
    try:
        _label_delete(actor=actor, label=label)
    except IntegrityError:
        # A span or relation using it was written meanwhile and committed first: the
        # database's foreign key refuses the delete when this one commits.
        raise Conflict(
            f"Label {label.name!r} was just used; relabel or delete those annotations first."
        ) from None


@transaction.atomic
def _label_delete(*, actor: User, label: Label) -> None:
    require_admin(membership_get(user=actor, project_id=label.project_id), "edit the label schema")
    _lock_label(label)
    try:
        label.delete()
    except RestrictedError as exc:
        used = len(exc.restricted_objects)
        raise Conflict(
            f"Label {label.name!r} is used by {used} annotations; relabel or delete them first."
        ) from None
