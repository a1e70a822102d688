import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from annotator.accounts.models import ApiToken
from annotator.common.errors import InvalidInput, NotFound

TOKEN_PREFIX = "ann_"  # noqa: S105 (a public prefix, not a secret)  # nosec B105
# last_used_at is refreshed at most this often, so authenticating stays a read.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def hash_token_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the key, which is never stored."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:12], key_hash=hash_token_key(key))
    return token, key


def user_for_credentials(*, username: str, password: str) -> User:
    """The active user these credentials name; anything else is refused with one message."""
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        raise InvalidInput("Unable to log in with the given username and password.")
    return user


def token_create_for_credentials(*, username: str, password: str, name: str = "") -> tuple[ApiToken, str]:
    """Exchange a username and password for a new token; wrong credentials are refused."""
    user = user_for_credentials(username=username, password=password)
    return token_create(user=user, name=name or "password login")


@transaction.atomic
def token_revoke(*, user: User, token_id: int) -> None:
    """Revoke one of the user's own tokens; it stops authenticating at once."""
    updated = ApiToken.objects.filter(id=token_id, user_id=user.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        raise NotFound("No such token.")


def token_authenticate(key: str) -> ApiToken | None:
    """The active token for ``key``, or None. Touches last_used_at at coarse resolution."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token_key(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
