"""The agreement report (docs/agreement.md): its query, the job's body, and its shape. The
service checks the values (one rule and one message for the API, the command and the job)."""

from rest_framework import serializers

from annotator.agreement.metrics_spans import MATCHES
from annotator.agreement.service import STATUSES
from api.serializers.fields import IdField, IdListText, ServiceCheckedChoice

LABELS_HELP = "Label names (any kind) to report on; default every label."
ANNOTATORS_HELP = "Usernames whose layers to compare; default every annotator."
TOKENS_HELP = "Compute token-level kappa (tokenises every compared article); default yes."


class AgreementQuerySerializer(serializers.Serializer):
    """The query string of GET; lists are comma-separated."""

    labels = serializers.CharField(required=False, allow_blank=True, help_text=LABELS_HELP)
    status = ServiceCheckedChoice(
        choices=list(STATUSES), required=False, allow_blank=True, help_text="Default submitted."
    )
    articles = IdListText(required=False, allow_blank=True, help_text="Comma-separated article ids.")
    annotators = serializers.CharField(required=False, allow_blank=True, help_text=ANNOTATORS_HELP)
    match = ServiceCheckedChoice(
        choices=list(MATCHES), required=False, allow_blank=True, help_text="Default exact."
    )
    tokens = ServiceCheckedChoice(choices=["1", "0"], required=False, allow_blank=True, help_text=TOKENS_HELP)

    def validate(self, attrs: dict) -> dict:
        if "tokens" in attrs:  # anything else stays a string, for the service to refuse
            attrs["tokens"] = {"1": True, "0": False}.get(attrs["tokens"], attrs["tokens"])
        return {name: value for name, value in attrs.items() if value != ""}


class AgreementCsvQuerySerializer(AgreementQuerySerializer):
    table = ServiceCheckedChoice(
        choices=["pairs", "labels"], required=False, allow_blank=True, help_text="Default pairs."
    )


class AgreementJobSerializer(serializers.Serializer):
    """The body of POST: the same fields, as JSON."""

    labels = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        allow_null=True,
        max_length=1000,
        help_text=LABELS_HELP,
    )
    status = ServiceCheckedChoice(choices=list(STATUSES), required=False, help_text="Default submitted.")
    articles = serializers.ListField(child=IdField(), required=False, allow_null=True, max_length=100_000)
    annotators = serializers.ListField(
        child=serializers.CharField(max_length=150),
        required=False,
        allow_null=True,
        max_length=1000,
        help_text=ANNOTATORS_HELP,
    )
    match = ServiceCheckedChoice(choices=list(MATCHES), required=False, help_text="Default exact.")
    tokens = serializers.BooleanField(required=False, default=True, help_text=TOKENS_HELP)


def _reasons() -> serializers.DictField:
    return serializers.DictField(child=serializers.CharField(), help_text="Why each null figure is null.")


def _figure(help_text: str = "") -> serializers.FloatField:
    return serializers.FloatField(allow_null=True, help_text=help_text)


class AgreementAveragesSerializer(serializers.Serializer):
    micro = _figure("F1 of the counts pooled over coder pairs and labels.")
    macro = _figure("Mean of the per-label F1s.")


class AgreementSpanLabelSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    alpha_unitized = _figure()
    f1 = _figure()
    reasons = _reasons()


class AgreementSpansSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    alpha_unitized = _figure("Krippendorff's unitizing alpha over every label.")
    token_kappa = _figure("Mean pairwise Cohen's kappa over the CoNLL tokens' tags.")
    f1 = AgreementAveragesSerializer()
    per_label = serializers.DictField(child=AgreementSpanLabelSerializer())
    reasons = _reasons()


class AgreementRelationLabelSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    f1 = _figure()
    reasons = _reasons()


class AgreementRelationsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    f1 = AgreementAveragesSerializer()
    per_label = serializers.DictField(child=AgreementRelationLabelSerializer())
    reasons = _reasons()


class AgreementDocumentLabelSerializer(serializers.Serializer):
    units = serializers.IntegerField()
    krippendorff_alpha = _figure()
    percentage_agreement = _figure()
    reasons = _reasons()


class AgreementDocumentLabelsSerializer(serializers.Serializer):
    units = serializers.IntegerField(help_text="(article, document label) pairs.")
    cohen_kappa = _figure("Given when exactly two coders took part.")
    fleiss_kappa = _figure("Given when every unit has the same number of coders.")
    krippendorff_alpha = _figure()
    percentage_agreement = _figure()
    per_label = serializers.DictField(child=AgreementDocumentLabelSerializer())
    reasons = _reasons()


class AgreementPairSerializer(serializers.Serializer):
    a = serializers.CharField()
    b = serializers.CharField()
    articles = serializers.IntegerField()
    span_f1 = _figure()
    relation_f1 = _figure()
    kappa = _figure("Cohen's kappa on the document-label units both coded.")
    token_kappa = _figure()
    reasons = _reasons()


class AgreementHardArticleSerializer(serializers.Serializer):
    article = serializers.IntegerField()
    external_id = serializers.CharField()
    title = serializers.CharField()
    annotators = serializers.IntegerField()
    disagreement = serializers.FloatField(help_text="1 - the mean pairwise span F1 of its layers.")


class AgreementReportSerializer(serializers.Serializer):
    match = serializers.CharField()
    status = serializers.CharField()
    articles = serializers.IntegerField(help_text="Articles with at least two compared layers.")
    annotators = serializers.ListField(child=serializers.CharField())
    spans = AgreementSpansSerializer()
    relations = AgreementRelationsSerializer()
    document_labels = AgreementDocumentLabelsSerializer()
    pairs = AgreementPairSerializer(many=True)
    hardest_articles = AgreementHardArticleSerializer(many=True)
