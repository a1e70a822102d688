from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "annotator.workflow"
    label = "workflow"
