"""Changes stamped by the project counter, restarted below the transaction-id clock.

On PostgreSQL changes are now stamped with their transaction's id (common.db.change_stamp);
the counter's numbers are not comparable with those, so the stamps already written go to 0:
every such change stays in full exports and none comes again in an incremental pull (cursors
of the counter are refused with a request for a full export). On SQLite, which keeps the
counter, nothing changes."""

from typing import Any

from django.db import migrations

from annotator.common.db import change_stamps_restart


def restart(apps: Any, schema_editor: Any) -> None:
    tables = [
        apps.get_model("articles", name)._meta.db_table for name in ("ArticleChange", "ArticleTombstone")
    ]
    change_stamps_restart(schema_editor.connection, tables)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_assignment_lean"),
    ]

    operations = [
        migrations.RunPython(restart, migrations.RunPython.noop, elidable=True),
    ]
