from django.db.models import Q


def of_articles(ids: list[int]) -> Q:
    """Rows (spans, states...) of these articles, ``ids`` ascending. Ids without gaps (a full
    export's batch, an import's new articles) are a range: far cheaper to send and plan than a
    long IN list, which a planner without statistics for fresh rows may take for half the table."""
    if ids and ids[-1] - ids[0] + 1 == len(ids):
        return Q(article_id__gte=ids[0], article_id__lte=ids[-1])
    return Q(article_id__in=ids)
