"""``manage.py demo``: the demo admin and the demo project that ``make run`` starts with.

Idempotent: a second run changes nothing. The admin's password comes from
ANNOTATOR_ADMIN_PASSWORD; without it a new admin gets a generated password, printed once.
"""

import os
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import transaction

from annotator.articles.services import ArticleInput, articles_add
from annotator.demo import data as demo_data
from annotator.projects.models import Project, Role
from annotator.projects.services import project_create

ADMIN_USERNAME = "admin"
PASSWORD_ENV = "ANNOTATOR_ADMIN_PASSWORD"  # noqa: S105 (the name of a variable, not a password)  # nosec B105


class Command(BaseCommand):
    help = (
        f"Create the demo superuser {ADMIN_USERNAME!r} (password from {PASSWORD_ENV}, or generated "
        f"and printed once) and the project {demo_data.PROJECT_NAME!r} with a few articles. "
        "Running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            admin = self._admin()
            self._project(admin)

    def _admin(self) -> User:
        password = os.environ.get(PASSWORD_ENV, "")
        user = get_user_model().objects.filter(username=ADMIN_USERNAME).first()
        if user is None:
            generated = not password
            password = password or secrets.token_urlsafe(12)
            user = get_user_model().objects.create_superuser(
                username=ADMIN_USERNAME, email="", password=password
            )
            if generated:
                rule = "=" * 64
                self.stdout.write(
                    f"{rule}\n"
                    f"  Demo admin created. Log in with\n"
                    f"    username: {ADMIN_USERNAME}\n"
                    f"    password: {password}\n"
                    f"  This password is shown only now. To choose your own, run\n"
                    f"  {PASSWORD_ENV}=... make run (or manage.py changepassword admin).\n"
                    f"{rule}",
                    self.style.WARNING,
                )
            else:
                self.stdout.write(
                    f"Demo admin {ADMIN_USERNAME!r} created with the password from {PASSWORD_ENV}."
                )
        elif password and not user.check_password(password):
            # The environment is the source of truth when set: this is how a lost demo
            # password is reset.
            user.set_password(password)
            user.save(update_fields=["password"])
            self.stdout.write(f"Demo admin {ADMIN_USERNAME!r}: password set from {PASSWORD_ENV}.")
        else:
            self.stdout.write(f"Demo admin {ADMIN_USERNAME!r} exists; left as is.")
        return user

    def _project(self, admin: User) -> None:
        existing = Project.objects.filter(
            name=demo_data.PROJECT_NAME,
            memberships__user=admin,
            memberships__role=Role.ADMIN,
        ).first()
        if existing is not None:
            self.stdout.write(f"Demo project {existing.name!r} exists (id {existing.pk}); left as is.")
            return
        project = project_create(
            creator=admin,
            name=demo_data.PROJECT_NAME,
            description=demo_data.PROJECT_DESCRIPTION,
            guidelines=demo_data.GUIDELINES,
            preset="argument",
        )
        added = articles_add(
            actor=admin,
            project_id=project.pk,
            items=[ArticleInput(**article) for article in demo_data.ARTICLES],
        )
        self.stdout.write(
            f"Demo project {project.name!r} created (id {project.pk}) with {added.created} articles.",
            self.style.SUCCESS,
        )
