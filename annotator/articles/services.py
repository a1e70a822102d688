import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction

from annotator.articles.changes import ARTICLE_PART, changes_mark, tombstones_add
from annotator.articles.models import Article
from annotator.common.errors import Conflict, DomainError, InvalidInput, NotFound
from annotator.common.text import check_storable, check_storable_json
from annotator.projects.access import membership_get, require_admin

METADATA_FIELDS = ("title", "source_url", "published_at", "meta")


@dataclass(frozen=True)
class ArticleInput:
    text: str
    external_id: str = ""
    title: str = ""
    source_url: str = ""
    published_at: dt.date | None = None
    meta: Mapping[str, Any] | None = None


# One validator for every article: building it per call cost as much as using it.
_URL_VALIDATOR = URLValidator(schemes=["http", "https"])


def _check_metadata(title: str, source_url: str, meta: object) -> None:
    check_storable(title, "title")
    if len(title) > 500:
        raise InvalidInput("title is too long", fields={"title": ["at most 500 characters"]})
    if source_url:
        try:
            _URL_VALIDATOR(source_url)
        except DjangoValidationError:
            raise InvalidInput(
                "source_url is not an http(s) URL", fields={"source_url": ["invalid URL"]}
            ) from None
    if meta is not None and not isinstance(meta, dict):
        raise InvalidInput("meta must be a JSON object", fields={"meta": ["must be an object"]})
    check_storable_json(meta, "meta")


@dataclass(frozen=True, slots=True)
class CheckedArticle:
    """An article's fields as ``article_check`` accepted them (no model instance: an import
    checks thousands of records a second, and building a model cost more than checking it)."""

    external_id: str
    title: str
    source_url: str
    published_at: dt.date | None
    meta: dict[str, Any]
    text: str
    text_sha256: str


def article_check(item: ArticleInput) -> CheckedArticle:
    """The article's checked fields (external id defaulted from the text's hash); raises InvalidInput."""
    text = item.text
    # isspace() stops at the first letter; strip() would copy the whole text.
    if not isinstance(text, str) or not text or text.isspace():
        raise InvalidInput("text may not be blank", fields={"text": ["may not be blank"]})
    if len(text) > settings.ANNOTATOR_MAX_ARTICLE_CHARS:
        raise InvalidInput(
            "text is too long",
            fields={"text": [f"at most {settings.ANNOTATOR_MAX_ARTICLE_CHARS} code points"]},
        )
    try:
        encoded: bytes | None = text.encode("utf-8")  # once, for both the check and the hash
    except UnicodeEncodeError:
        encoded = None
    if encoded is None or "\x00" in text:
        check_storable(text, "text")  # raises, with the message every other write gives
    assert encoded is not None
    _check_metadata(item.title, item.source_url, item.meta)
    sha = hashlib.sha256(encoded).hexdigest()  # what sha256_hex(text) gives
    external_id = (item.external_id or "").strip() or f"sha256:{sha[:16]}"
    check_storable(external_id, "external_id")
    if len(external_id) > 255:
        raise InvalidInput("external_id is too long", fields={"external_id": ["at most 255 characters"]})
    return CheckedArticle(
        external_id=external_id,
        title=item.title,
        source_url=item.source_url,
        published_at=item.published_at,
        meta=dict(item.meta or {}),
        text=text,
        text_sha256=sha,
    )


def article_build(item: ArticleInput) -> Article:
    """A checked, unsaved article (external id defaulted from the text's hash); raises InvalidInput."""
    checked = article_check(item)
    return Article(
        external_id=checked.external_id,
        title=checked.title,
        source_url=checked.source_url,
        published_at=checked.published_at,
        meta=checked.meta,
        text=checked.text,
        text_sha256=checked.text_sha256,
    )


@dataclass(frozen=True)
class ArticlesAdded:
    articles: list[Article]
    created: int
    unchanged: int


class ArticleBatchInvalid(InvalidInput):
    """Some items of a batch are invalid; ``items`` maps an index to its field errors."""

    def __init__(self, message: str, items: dict[int, dict[str, list[str]]]) -> None:
        super().__init__(message)
        self.items = items


# How often articles_add re-reads what exists after a concurrent insert of the same ids.
INSERT_ATTEMPTS = 3


def _check_same_text(candidates: list[Article], existing: dict[str, Article], seen: dict[str, int]) -> None:
    conflicts = {
        seen[c.external_id]: {
            "external_id": [f"exists with different text (article {existing[c.external_id].pk})"]
        }
        for c in candidates
        if c.external_id in existing and existing[c.external_id].text_sha256 != c.text_sha256
    }
    if conflicts:
        raise Conflict(
            f"{len(conflicts)} articles conflict with existing ones; nothing was added.",
            fields={str(i): [e["external_id"][0]] for i, e in conflicts.items()},
        )


@transaction.atomic
def articles_add(*, actor: User, project_id: int, items: Sequence[ArticleInput]) -> ArticlesAdded:
    """Add articles all-or-nothing. A known external id with the same text is a no-op;
    with different text it is a conflict and nothing is written."""
    require_admin(membership_get(user=actor, project_id=project_id), "add articles")
    limit = settings.ANNOTATOR_MAX_ARTICLES_PER_POST
    if not items:
        raise InvalidInput("No articles given.")
    if len(items) > limit:
        raise InvalidInput(f"At most {limit} articles per request; got {len(items)}.")
    candidates: list[Article] = []
    errors: dict[int, dict[str, list[str]]] = {}
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        try:
            article = article_build(item)
        except DomainError as exc:
            errors[index] = exc.fields or {"non_field_errors": [exc.message]}
            continue
        if article.external_id in seen:
            errors[index] = {"external_id": [f"repeats item {seen[article.external_id]} of this request"]}
            continue
        seen[article.external_id] = index
        candidates.append(article)
    if errors:
        raise ArticleBatchInvalid(
            f"{len(errors)} of {len(items)} articles are invalid; nothing was added.", errors
        )

    for attempt in range(INSERT_ATTEMPTS):
        existing = {
            a.external_id: a
            for a in Article.objects.filter(project_id=project_id, external_id__in=list(seen))
        }
        _check_same_text(candidates, existing, seen)
        new = [c for c in candidates if c.external_id not in existing]
        for article in new:
            article.project_id = project_id
        try:
            # A savepoint: a concurrent request may add one of these external ids between
            # the read above and this insert (the unique constraint refuses ours). Then they
            # are existing articles, same text or not, as if that request had come first.
            with transaction.atomic():
                Article.objects.bulk_create(new, batch_size=500)
            break
        except IntegrityError:
            for article in new:
                article.pk = None
            if attempt == INSERT_ATTEMPTS - 1:
                raise Conflict(
                    "Other requests kept adding the same articles meanwhile; nothing was added. Try again."
                ) from None
    created_ids = {
        a.external_id: a
        for a in Article.objects.filter(project_id=project_id, external_id__in=[a.external_id for a in new])
    }
    result = [existing.get(c.external_id) or created_ids[c.external_id] for c in candidates]
    if created_ids:
        ids = [a.pk for a in created_ids.values()]
        changes_mark(project_id=project_id, parts=[(pk, ARTICLE_PART) for pk in ids], new_articles=set(ids))
    return ArticlesAdded(articles=result, created=len(new), unchanged=len(candidates) - len(new))


def _lock_still_there(article: Article) -> None:
    """Lock the article's row; deleted meanwhile (by a concurrent request) it is a 404: saving
    it would insert it again, deleting it again would record a second tombstone."""
    if not Article.objects.select_for_update().filter(pk=article.pk).exists():
        raise NotFound("Article not found.")


@transaction.atomic
def article_update(*, actor: User, article: Article, **changes: Any) -> Article:
    """Change an article's metadata. Its text never changes: spans index into it."""
    require_admin(membership_get(user=actor, project_id=article.project_id), "edit articles")
    _lock_still_there(article)
    if "text" in changes and changes["text"] != article.text:
        raise Conflict(
            "Article text never changes after import (spans depend on it); import a new article instead.",
            fields={"text": ["read-only"]},
        )
    changes.pop("text", None)
    for field in changes:
        if field not in METADATA_FIELDS:
            raise InvalidInput(f"{field} cannot be changed", fields={field: ["read-only"]})
    merged = {f: changes.get(f, getattr(article, f)) for f in METADATA_FIELDS}
    _check_metadata(merged["title"], merged["source_url"], merged["meta"])
    for field, value in changes.items():
        setattr(article, field, value)
    article.save()
    changes_mark(project_id=article.project_id, parts=[(article.pk, ARTICLE_PART)])
    return article


@transaction.atomic
def article_delete(*, actor: User, article: Article) -> None:
    """Delete an article with all its annotations; admins only."""
    require_admin(membership_get(user=actor, project_id=article.project_id), "delete articles")
    _lock_still_there(article)
    tombstones_add(project_id=article.project_id, articles=[(article.pk, article.external_id)])
    article.delete()
