from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.common.errors import NotFound
from annotator.projects import services
from annotator.projects.access import ADMIN_ONLY
from annotator.projects.selectors import label_get, label_list, member_list, project_list
from api import access
from api.pagination import PageNumberPagination
from api.permissions import AuthenticatedRequest
from api.serializers.projects import (
    LabelSerializer,
    LabelUpdateSerializer,
    LabelWriteSerializer,
    MemberAddSerializer,
    MemberRoleSerializer,
    MembershipSerializer,
    ProjectCreateSerializer,
    ProjectSerializer,
    ProjectUpdateSerializer,
)


def project_data(project: Any, role: str) -> Any:
    return ProjectSerializer(project, context={"roles": {project.pk: role}}).data


class ProjectListView(APIView):
    pagination_class = PageNumberPagination  # documents the paginated answer

    @extend_schema(responses=ProjectSerializer(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        paginator = PageNumberPagination()
        projects = project_list(user=request.user).order_by("id")
        page = paginator.paginate_queryset(projects, request, view=self)
        roles = dict(request.user.memberships.values_list("project_id", "role"))
        data = ProjectSerializer(page, many=True, context={"roles": roles}).data
        return paginator.get_paginated_response(data)

    @extend_schema(request=ProjectCreateSerializer, responses={201: ProjectSerializer})
    def post(self, request: AuthenticatedRequest) -> Response:
        project = services.project_create(
            creator=request.user, **access.validated(ProjectCreateSerializer, request.data)
        )
        return Response(project_data(project, "admin"), status=status.HTTP_201_CREATED)


class ProjectDetailView(APIView):
    @extend_schema(responses=ProjectSerializer)
    def get(self, request: AuthenticatedRequest, project_id: int) -> Response:
        membership = access.member(request, project_id=project_id)
        return Response(project_data(membership.project, membership.role))

    @extend_schema(request=ProjectUpdateSerializer, responses=ProjectSerializer)
    def patch(self, request: AuthenticatedRequest, project_id: int) -> Response:
        access.member(request, project_id=project_id, roles=ADMIN_ONLY, action="manage the project")
        changes = access.validated(ProjectUpdateSerializer, request.data, partial=True)
        project = services.project_update(actor=request.user, project_id=project_id, **changes)
        return Response(project_data(project, "admin"))

    put = patch

    @extend_schema(responses={204: None})
    def delete(self, request: AuthenticatedRequest, project_id: int) -> Response:
        services.project_delete(actor=request.user, project_id=project_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberListView(APIView):
    @extend_schema(responses=MembershipSerializer(many=True))
    def get(self, request: AuthenticatedRequest, project_id: int) -> Response:
        access.member(request, project_id=project_id)
        return Response(MembershipSerializer(member_list(project_id=project_id), many=True).data)

    @extend_schema(request=MemberAddSerializer, responses={201: MembershipSerializer})
    def post(self, request: AuthenticatedRequest, project_id: int) -> Response:
        access.member(request, project_id=project_id, roles=ADMIN_ONLY, action="manage the project")
        member = services.member_add(
            actor=request.user, project_id=project_id, **access.validated(MemberAddSerializer, request.data)
        )
        return Response(MembershipSerializer(member).data, status=status.HTTP_201_CREATED)


class MemberDetailView(APIView):
    @extend_schema(responses=MembershipSerializer)
    def get(self, request: AuthenticatedRequest, project_id: int, membership_id: int) -> Response:
        access.member(request, project_id=project_id)
        member = member_list(project_id=project_id).filter(pk=membership_id).first()
        if member is None:
            raise NotFound("Member not found.")
        return Response(MembershipSerializer(member).data)

    @extend_schema(request=MemberRoleSerializer, responses=MembershipSerializer)
    def patch(self, request: AuthenticatedRequest, project_id: int, membership_id: int) -> Response:
        access.member(request, project_id=project_id, roles=ADMIN_ONLY, action="manage the project")
        member = services.member_set_role(
            actor=request.user,
            project_id=project_id,
            membership_id=membership_id,
            role=access.validated(MemberRoleSerializer, request.data)["role"],
        )
        return Response(MembershipSerializer(member).data)

    put = patch

    @extend_schema(responses={204: None})
    def delete(self, request: AuthenticatedRequest, project_id: int, membership_id: int) -> Response:
        services.member_remove(actor=request.user, project_id=project_id, membership_id=membership_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LabelListView(APIView):
    @extend_schema(responses=LabelSerializer(many=True))
    def get(self, request: AuthenticatedRequest, project_id: int) -> Response:
        access.member(request, project_id=project_id)
        return Response(LabelSerializer(label_list(project_id=project_id), many=True).data)

    @extend_schema(request=LabelWriteSerializer, responses={201: LabelSerializer})
    def post(self, request: AuthenticatedRequest, project_id: int) -> Response:
        access.member(request, project_id=project_id, roles=ADMIN_ONLY, action="manage the project")
        label = services.label_create(
            actor=request.user, project_id=project_id, **access.validated(LabelWriteSerializer, request.data)
        )
        return Response(LabelSerializer(label).data, status=status.HTTP_201_CREATED)


class LabelDetailView(APIView):
    @extend_schema(responses=LabelSerializer)
    def get(self, request: AuthenticatedRequest, label_id: int) -> Response:
        return Response(LabelSerializer(label_get(user=request.user, label_id=label_id)).data)

    @extend_schema(request=LabelUpdateSerializer, responses=LabelSerializer)
    def patch(self, request: AuthenticatedRequest, label_id: int) -> Response:
        label = label_get(user=request.user, label_id=label_id)
        access.member(request, project_id=label.project_id, roles=ADMIN_ONLY, action="edit the label schema")
        changes = access.validated(LabelUpdateSerializer, request.data, partial=True)
        return Response(
            LabelSerializer(services.label_update(actor=request.user, label=label, **changes)).data
        )

    @extend_schema(responses={204: None})
    def delete(self, request: AuthenticatedRequest, label_id: int) -> Response:
        services.label_delete(actor=request.user, label=label_get(user=request.user, label_id=label_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
