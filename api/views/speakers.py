"""The project's speakers: one name for many spellings of attributes.speaker."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.annotations import speakers as services
from annotator.projects.access import WRITE_GOLD
from api import access
from api.parsers import JSONParser
from api.permissions import AuthenticatedRequest
from api.serializers.speakers import SpeakerSerializer, SpeakerWriteSerializer, SpellingSerializer


class ProjectSpeakerListView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(responses=SpeakerSerializer(many=True), summary="The project's speakers, by name")
    def get(self, request: AuthenticatedRequest, project_id: int) -> Response:
        found = services.speaker_list(actor=request.user, project_id=project_id)
        return Response(SpeakerSerializer(found, many=True).data)

    @extend_schema(
        request=SpeakerWriteSerializer,
        responses={201: SpeakerSerializer},
        summary="Add a speaker with its spellings (reviewers, admins)",
    )
    def post(self, request: AuthenticatedRequest, project_id: int) -> Response:
        access.member(request, project_id=project_id, roles=WRITE_GOLD, action="edit speakers")
        data = access.validated(SpeakerWriteSerializer, request.data)
        speaker = services.speaker_create(actor=request.user, project_id=project_id, **data)
        return Response(SpeakerSerializer(speaker).data, status=status.HTTP_201_CREATED)


class ProjectSpellingListView(APIView):
    @extend_schema(
        responses=SpellingSerializer(many=True),
        summary="Every spelling of attributes.speaker in the project, with its span count and speaker",
    )
    def get(self, request: AuthenticatedRequest, project_id: int) -> Response:
        found = services.spellings_in_use(actor=request.user, project_id=project_id)
        return Response(SpellingSerializer(found, many=True).data)


class SpeakerDetailView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        request=SpeakerWriteSerializer,
        responses=SpeakerSerializer,
        summary="Rename a speaker or replace its other spellings (reviewers, admins)",
    )
    def patch(self, request: AuthenticatedRequest, speaker_id: int) -> Response:
        check = lambda: services.speaker_for_writer(actor=request.user, speaker_id=speaker_id)  # noqa: E731
        data = access.validated(SpeakerWriteSerializer, request.data, check=check, partial=True)
        speaker = services.speaker_update(actor=request.user, speaker_id=speaker_id, **data)
        return Response(SpeakerSerializer(speaker).data)

    @extend_schema(responses={204: None}, summary="Delete a speaker (its spans keep what they say)")
    def delete(self, request: AuthenticatedRequest, speaker_id: int) -> Response:
        services.speaker_delete(actor=request.user, speaker_id=speaker_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
