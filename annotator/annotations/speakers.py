"""The project's speakers: one name for the spellings that spans' ``attributes.speaker`` use
("Mr Barclay", "Steve Barclay", "the Health Secretary" -> Steve Barclay).

Spans keep the spelling they were given (exports carry it as written); the argument graph shows
and filters by the speaker a spelling belongs to. Reviewers and admins edit the list. Every
member reads it (the project's vocabulary, like its labels); the spellings in use, counted over
every layer, only the roles that read every layer (blind annotation).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, QuerySet

from annotator.common.errors import Conflict, InvalidInput, NotFound
from annotator.projects.access import READ_ALL_LAYERS, WRITE_GOLD, membership_get, require_role

from .models import Span, Speaker, SpeakerSpelling

MAX_LENGTH = 200


def _clean(spelling: object, field: str) -> str:
    text = " ".join(spelling.split()) if isinstance(spelling, str) else ""
    if not text:
        raise InvalidInput(
            "A speaker's name and spellings must be non-empty text.", fields={field: ["empty"]}
        )
    if len(text) > MAX_LENGTH:
        raise InvalidInput(f"At most {MAX_LENGTH} characters.", fields={field: ["too long"]})
    return text


def _with_spellings(qs: QuerySet[Speaker]) -> QuerySet[Speaker]:
    return qs.prefetch_related(Prefetch("spellings", queryset=SpeakerSpelling.objects.order_by("spelling")))


def speaker_list(*, actor: User, project_id: int) -> QuerySet[Speaker]:
    """The project's speakers with their spellings, by name; any member."""
    membership_get(user=actor, project_id=project_id)
    return _with_spellings(Speaker.objects.filter(project_id=project_id))


def speaker_for_writer(*, actor: User, speaker_id: int, lock: bool = False) -> Speaker:
    """The speaker, if the caller may edit it: 404 to a non-member, 403 to a role that may not."""
    qs = Speaker.objects.select_for_update() if lock else Speaker.objects
    speaker = qs.filter(pk=speaker_id, project__memberships__user_id=actor.pk).first()
    if speaker is None:
        raise NotFound("Speaker not found.")
    require_role(membership_get(user=actor, project_id=speaker.project_id), WRITE_GOLD, "edit speakers")
    return speaker


def _set_spellings(speaker: Speaker, name: str, spellings: Iterable[str]) -> None:
    """The speaker's spellings become ``name`` and ``spellings``; one taken by another speaker
    of the project is a 409 naming it."""
    wanted = {name, *(_clean(s, "spellings") for s in spellings)}
    taken = (
        SpeakerSpelling.objects.filter(project_id=speaker.project_id, spelling__in=wanted)
        .exclude(speaker=speaker)
        .select_related("speaker")
        .first()
    )
    if taken is not None:
        raise Conflict(
            f"{taken.spelling!r} already names {taken.speaker.name!r}; take it off there first.",
            fields={"spellings": [taken.spelling]},
        )
    SpeakerSpelling.objects.filter(speaker=speaker).exclude(spelling__in=wanted).delete()
    have = set(SpeakerSpelling.objects.filter(speaker=speaker).values_list("spelling", flat=True))
    try:
        with transaction.atomic():  # a savepoint: a concurrent writer's spelling is a 409 too
            SpeakerSpelling.objects.bulk_create(
                SpeakerSpelling(project_id=speaker.project_id, speaker=speaker, spelling=s)
                for s in sorted(wanted - have)
            )
    except IntegrityError:
        raise Conflict("Another speaker was just given one of these spellings; reload and retry.") from None


@transaction.atomic
def speaker_create(*, actor: User, project_id: int, name: str, spellings: Iterable[str] = ()) -> Speaker:
    """A new speaker with its name and other spellings; no spelling names two speakers."""
    require_role(membership_get(user=actor, project_id=project_id), WRITE_GOLD, "edit speakers")
    clean = _clean(name, "name")
    speaker = Speaker.objects.create(project_id=project_id, name=clean)
    _set_spellings(speaker, clean, spellings)
    return _with_spellings(Speaker.objects.filter(pk=speaker.pk)).get()


@transaction.atomic
def speaker_update(
    *, actor: User, speaker_id: int, name: str | None = None, spellings: Iterable[str] | None = None
) -> Speaker:
    """Rename a speaker and/or replace its other spellings (its name is always one of them).
    A rename alone keeps every spelling, the old name too: spans that say it still name them."""
    speaker = speaker_for_writer(actor=actor, speaker_id=speaker_id, lock=True)
    if name is not None:
        speaker.name = _clean(name, "name")
        speaker.save(update_fields=["name", "updated_at"])
    if spellings is None:
        spellings = list(SpeakerSpelling.objects.filter(speaker=speaker).values_list("spelling", flat=True))
    _set_spellings(speaker, speaker.name, spellings)
    return _with_spellings(Speaker.objects.filter(pk=speaker.pk)).get()


@transaction.atomic
def speaker_delete(*, actor: User, speaker_id: int) -> None:
    """Delete a speaker and its spellings; the spans keep what they say."""
    speaker_for_writer(actor=actor, speaker_id=speaker_id, lock=True).delete()


def spellings_in_use(*, actor: User, project_id: int) -> list[dict[str, object]]:
    """Each ``attributes.speaker`` spelling in the project's spans (every layer), how many spans
    use it and the id of the speaker it names (or None), most used first; roles that read every layer."""
    membership = membership_get(user=actor, project_id=project_id)
    require_role(membership, READ_ALL_LAYERS, "see every layer's speakers")
    counts: dict[str, int] = {}
    rows = (
        Span.objects.filter(article__project_id=project_id, attributes__has_key="speaker")
        .values("attributes__speaker")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        value = row["attributes__speaker"]
        if isinstance(value, str) and value.strip():
            counts[value] = counts.get(value, 0) + row["n"]
    named = dict(SpeakerSpelling.objects.filter(project_id=project_id).values_list("spelling", "speaker_id"))
    return [
        {"spelling": spelling, "spans": n, "speaker": named.get(spelling)}
        for spelling, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def speaker_map(project_id: int) -> dict[str, str]:
    """Spelling -> the name of the speaker it belongs to, for every spelling the project maps."""
    rows = SpeakerSpelling.objects.filter(project_id=project_id).values_list("spelling", "speaker__name")
    return dict(rows)


def spellings_of(project_id: int, speaker: str) -> list[str]:
    """What ``attributes.speaker`` says of the speaker named ``speaker`` (by its name or any of
    its spellings): all its spellings, or just ``speaker`` when the project maps no such name."""
    spelling = SpeakerSpelling.objects.filter(
        project_id=project_id, spelling=" ".join(speaker.split())
    ).first()
    if spelling is None:
        return [speaker]
    return list(
        SpeakerSpelling.objects.filter(speaker_id=spelling.speaker_id).values_list("spelling", flat=True)
    )
