"""The permissions matrix's rows for the core endpoints (projects to exports); newer areas add theirs in matrix_<area>.py."""

from tests.api.matrix import (
    ADMIN_ONLY_200,
    ADMIN_ONLY_201,
    ADMIN_ONLY_202,
    ADMIN_ONLY_204,
    EVERYONE,
    EXPORTERS_200,
    IF_MATCH_1,
    MEMBERS_READ,
    V1,
    Row,
    article,
    article_suggestions,
    doclabel,
    expect,
    failed_job_retry,
    into_gold,
    link,
    project,
    rel_suggestion,
    relation,
    shorter,
    span,
    span_at,
    suggestion,
)

CORE_ROWS: list[Row] = [
    # --- projects ---
    Row("projects-list", "get", lambda s: f"{V1}/projects/", EVERYONE),
    Row(
        "projects-create",
        "post",
        lambda s: f"{V1}/projects/",
        expect("201 201 201 201 201 401"),
        lambda s: {"name": "Fresh"},
    ),
    Row("project-detail", "get", project, MEMBERS_READ),
    Row("project-patch", "patch", project, ADMIN_ONLY_200, lambda s: {"description": "changed"}),
    Row("project-put", "put", project, ADMIN_ONLY_200, lambda s: {"name": "Renamed", "description": "x"}),
    Row("project-delete", "delete", project, ADMIN_ONLY_204),
    # --- members ---
    Row("members-list", "get", lambda s: f"{project(s)}members/", MEMBERS_READ),
    Row(
        "members-add",
        "post",
        lambda s: f"{project(s)}members/",
        ADMIN_ONLY_201,
        lambda s: {"username": "newbie", "role": "annotator"},
    ),
    *[
        Row(
            f"member-{name}",
            method,
            lambda s: f"{project(s)}members/{s.memberships['researcher'].pk}/",
            exp,
            body,
        )
        for name, method, exp, body in [
            ("detail", "get", MEMBERS_READ, None),
            ("patch", "patch", ADMIN_ONLY_200, lambda s: {"role": "reviewer"}),
            ("put", "put", ADMIN_ONLY_200, lambda s: {"role": "reviewer"}),
            ("delete", "delete", ADMIN_ONLY_204, None),
        ]
    ],
    # --- labels ---
    Row("labels-list", "get", lambda s: f"{project(s)}labels/", MEMBERS_READ),
    Row(
        "labels-create",
        "post",
        lambda s: f"{project(s)}labels/",
        ADMIN_ONLY_201,
        lambda s: {"kind": "span", "name": "NEW"},
    ),
    Row("label-detail", "get", lambda s: f"{V1}/labels/{s.labels['CLAIM'].pk}/", MEMBERS_READ),
    Row(
        "label-patch",
        "patch",
        lambda s: f"{V1}/labels/{s.labels['CLAIM'].pk}/",
        ADMIN_ONLY_200,
        lambda s: {"colour": "#123456"},
    ),
    Row("label-delete-unused", "delete", lambda s: f"{V1}/labels/{s.labels['SPARE'].pk}/", ADMIN_ONLY_204),
    # --- articles ---
    Row("articles-list", "get", lambda s: f"{project(s)}articles/", MEMBERS_READ),
    Row(
        "articles-create",
        "post",
        lambda s: f"{project(s)}articles/",
        ADMIN_ONLY_201,
        lambda s: {"external_id": "new", "text": "Fresh text, 12%."},
    ),
    Row("article-detail", "get", article, MEMBERS_READ),
    Row("article-patch", "patch", article, ADMIN_ONLY_200, lambda s: {"title": "New title"}),
    Row("article-delete", "delete", article, ADMIN_ONLY_204),
    # --- the caller's state ---
    Row("state-get", "get", lambda s: f"{article(s)}state/", MEMBERS_READ),
    Row(
        "state-put",
        "put",
        lambda s: f"{article(s)}state/",
        expect("200 200 200 403 404 401"),
        lambda s: {"status": "submitted"},
    ),
    # --- spans ---
    Row("spans-list", "get", lambda s: f"{article(s)}spans/", MEMBERS_READ),
    Row(
        "spans-create-own-layer",
        "post",
        lambda s: f"{article(s)}spans/",
        expect("201 201 201 403 404 401"),
        span_at("£1,400", "FIGURE"),
    ),
    Row(
        "spans-create-gold",
        "post",
        lambda s: f"{article(s)}spans/",
        expect("201 201 403 403 404 401"),
        span_at("£1,400", "FIGURE", layer="gold"),
    ),
    Row(
        "spans-create-suggestion",
        "post",
        lambda s: f"{article(s)}spans/",
        expect("403 403 403 403 404 401"),
        span_at("£1,400", "FIGURE", layer="suggestion"),
    ),
    # A span of each layer, read and written by each caller.
    *[
        Row(
            f"span-{what}-{method}",
            method,
            span(key),
            expect(codes),
            body,
            IF_MATCH_1 if body or method == "delete" else {},
        )
        for what, key, method, codes, body in [
            ("annotators", "ann_claim", "get", "200 200 200 200 404 401", None),
            ("annotators", "ann_claim", "patch", "200 403 200 403 404 401", shorter("ann_claim")),
            ("annotators", "ann_claim", "delete", "204 403 204 403 404 401", None),
            ("other-annotators", "ann2", "get", "200 200 404 200 404 401", None),
            ("other-annotators", "ann2", "patch", "200 403 404 403 404 401", shorter("ann2")),
            ("other-annotators", "ann2", "delete", "204 403 404 403 404 401", None),
            ("reviewers-own", "reviewer_own", "get", "200 200 404 200 404 401", None),
            ("reviewers-own", "reviewer_own", "patch", "200 200 404 403 404 401", shorter("reviewer_own")),
            ("reviewers-own", "reviewer_own", "delete", "204 204 404 403 404 401", None),
            ("gold", "gold_claim", "get", "200 200 404 200 404 401", None),
            ("gold", "gold_claim", "patch", "200 200 404 403 404 401", shorter("gold_claim")),
            ("gold", "gold_claim", "delete", "204 204 404 403 404 401", None),
            ("suggestion", "suggestion", "get", "200 200 200 200 404 401", None),
            ("suggestion", "suggestion", "patch", "403 403 403 403 404 401", shorter("suggestion")),
            ("suggestion", "suggestion", "delete", "403 403 403 403 404 401", None),
        ]
    ],
    # --- relations ---
    Row("relations-list", "get", lambda s: f"{article(s)}relations/", MEMBERS_READ),
    Row(
        "relations-create-annotators-layer",
        "post",
        lambda s: f"{article(s)}relations/",
        expect("201 403 201 403 404 401"),
        link("ann_claim", "ann_figure"),
    ),
    Row(
        "relations-create-gold",
        "post",
        lambda s: f"{article(s)}relations/",
        expect("201 201 404 403 404 401"),
        link("gold_claim", "gold_figure"),
    ),
    *[
        Row(
            f"relation-{what}-{method}",
            method,
            relation(key),
            expect(codes),
            body,
            IF_MATCH_1 if method != "get" else {},
        )
        for what, key, method, codes, body in [
            ("annotators", "ann", "get", "200 200 200 200 404 401", None),
            ("annotators", "ann", "patch", "200 403 200 403 404 401", lambda s: {"label": "LINKS"}),
            ("annotators", "ann", "delete", "204 403 204 403 404 401", None),
            ("gold", "gold", "get", "200 200 404 200 404 401", None),
            ("gold", "gold", "patch", "200 200 404 403 404 401", lambda s: {"label": "LINKS"}),
            ("gold", "gold", "delete", "204 204 404 403 404 401", None),
        ]
    ],
    # --- document labels ---
    Row("document-labels-list", "get", lambda s: f"{article(s)}document-labels/", MEMBERS_READ),
    Row(
        "document-labels-create-own-layer",
        "post",
        lambda s: f"{article(s)}document-labels/",
        expect("201 201 201 403 404 401"),
        lambda s: {"label": "OFFTOPIC"},
    ),
    Row(
        "document-labels-create-gold",
        "post",
        lambda s: f"{article(s)}document-labels/",
        expect("201 201 403 403 404 401"),
        lambda s: {"label": "OFFTOPIC", "layer": "gold"},
    ),
    *[
        Row(
            f"document-label-{what}-{method}",
            method,
            doclabel(key),
            expect(codes),
            body,
            IF_MATCH_1 if method != "get" else {},
        )
        for what, key, method, codes, body in [
            ("annotators", "ann", "get", "200 200 200 200 404 401", None),
            ("annotators", "ann", "patch", "200 403 200 403 404 401", lambda s: {"label": "OFFTOPIC"}),
            ("annotators", "ann", "delete", "204 403 204 403 404 401", None),
            ("gold", "gold", "get", "200 200 404 200 404 401", None),
            ("gold", "gold", "patch", "200 200 404 403 404 401", lambda s: {"label": "OFFTOPIC"}),
            ("gold", "gold", "delete", "204 204 404 403 404 401", None),
        ]
    ],
    # --- suggestions (span ids under /suggestions/, relation ids under /relation-suggestions/) ---
    Row("suggestions-list", "get", lambda s: f"{article(s)}suggestions/", MEMBERS_READ),
    Row(
        "suggestions-list-filtered",
        "get",
        lambda s: f"{article(s)}suggestions/?status=&min_score=0.5&recogniser=figures",
        MEMBERS_READ,
    ),
    *[
        Row(name, "post", path, expect(codes), body)
        for name, path, codes, body in [
            ("suggestion-accept", suggestion("suggestion", "accept"), "201 201 201 403 404 401", None),
            (
                "suggestion-accept-gold",
                suggestion("suggestion", "accept"),
                "201 201 403 403 404 401",
                into_gold,
            ),
            ("suggestion-reject", suggestion("suggestion", "reject"), "200 200 200 403 404 401", None),
            # A span that is no suggestion.
            (
                "suggestion-accept-manual-span",
                suggestion("ann_claim", "accept"),
                "404 404 404 404 404 401",
                None,
            ),
            (
                "relation-suggestion-accept",
                rel_suggestion("suggestion", "accept"),
                "201 201 201 403 404 401",
                None,
            ),
            (
                "relation-suggestion-accept-gold",
                rel_suggestion("suggestion", "accept"),
                "201 201 403 403 404 401",
                into_gold,
            ),
            (
                "relation-suggestion-reject",
                rel_suggestion("suggestion", "reject"),
                "200 200 200 403 404 401",
                None,
            ),
            (
                "relation-suggestion-accept-manual",
                rel_suggestion("ann", "accept"),
                "404 404 404 404 404 401",
                None,
            ),
            ("article-suggestions-accept", article_suggestions("accept"), "200 200 200 403 404 401", None),
            (
                "article-suggestions-accept-gold",
                article_suggestions("accept"),
                "200 200 403 403 404 401",
                into_gold,
            ),
            ("article-suggestions-reject", article_suggestions("reject"), "200 200 200 403 404 401", None),
        ]
    ],
    # --- jobs ---
    Row("jobs-list", "get", lambda s: f"{project(s)}jobs/", MEMBERS_READ),
    Row(
        "jobs-create-integrity-check",
        "post",
        lambda s: f"{project(s)}jobs/",
        expect("202 403 403 403 404 401"),
        lambda s: {"kind": "integrity_check"},
    ),
    Row("job-detail", "get", lambda s: f"{V1}/jobs/{s.job.pk}/", MEMBERS_READ),
    Row("job-cancel", "post", lambda s: f"{V1}/jobs/{s.job.pk}/cancel/", ADMIN_ONLY_200),
    Row("job-retry", "post", failed_job_retry, ADMIN_ONLY_202),
    # --- imports and exports (uploads and the streaming export: tests/exchange/, which need
    # multipart bodies and committed data) ---
    Row("imports-list", "get", lambda s: f"{project(s)}imports/", ADMIN_ONLY_200),
    Row("exports-list", "get", lambda s: f"{project(s)}exports/", EXPORTERS_200),
    Row(
        "exports-create",
        "post",
        lambda s: f"{project(s)}exports/",
        expect("202 202 403 202 404 401"),
        lambda s: {},
    ),
    Row("export-detail", "get", lambda s: f"{project(s)}exports/{s.export_job.pk}/", EXPORTERS_200),
    Row("export-download", "get", lambda s: f"{project(s)}exports/{s.export_job.pk}/download", EXPORTERS_200),
    # --- the server's recognisers (no project data) ---
    Row("recognisers-list", "get", lambda s: f"{V1}/recognisers/", EVERYONE),
    Row("preannotate-list", "get", lambda s: f"{project(s)}preannotate/", ADMIN_ONLY_200),
    Row("project-progress", "get", lambda s: f"{project(s)}progress/", EXPORTERS_200),
    Row(
        "preannotate-start",
        "post",
        lambda s: f"{project(s)}preannotate/",
        expect("202 403 403 403 404 401"),
        lambda s: {"recognisers": ["figures"]},
    ),
    # --- the project's learned classifier ---
    Row("recommender-detail", "get", lambda s: f"{project(s)}recommender/", MEMBERS_READ),
    Row("recommender-train", "post", lambda s: f"{project(s)}recommender/train/", ADMIN_ONLY_202),
    # --- the caller's own account ---
    Row("me", "get", lambda s: f"{V1}/me/", EVERYONE),
    Row("tokens-list", "get", lambda s: f"{V1}/tokens/", EVERYONE),
    Row(
        "tokens-create",
        "post",
        lambda s: f"{V1}/tokens/",
        expect("201 201 201 201 201 401"),
        lambda s: {"name": "laptop"},
    ),
    Row(
        "token-revoke-admins",
        "delete",
        lambda s: f"{V1}/tokens/{s.admin_spare_token.pk}/",
        expect("204 404 404 404 404 401"),
    ),
]
