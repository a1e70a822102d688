"""The workflow's job kinds (settings.JOB_KIND_MODULES imports this module): up-front
assignment and project adjudication register their handlers from the modules imported here."""
