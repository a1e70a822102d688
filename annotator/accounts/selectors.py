from django.contrib.auth.models import User
from django.db.models import QuerySet

from annotator.accounts.models import ApiToken


def token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user_id=user.pk, revoked_at__isnull=True)
