"""Article texts compressed with lz4 where PostgreSQL has it (14+, built with lz4).

PostgreSQL compresses a text of more than about 2 KB (most articles) as it stores it; its
default, pglz, was a tenth of an import's time on the server, and lz4 writes and reads
several times faster for about the same size. Texts already stored keep their compression
until rewritten. A column property only PostgreSQL has: elsewhere (SQLite) nothing to do.
"""

from django.db import migrations


def _lz4_available(schema_editor) -> bool:
    if schema_editor.connection.vendor != "postgresql":
        return False
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def compress_with(method: str):
    def apply(apps, schema_editor) -> None:
        if _lz4_available(schema_editor):
            table = schema_editor.quote_name(apps.get_model("articles", "Article")._meta.db_table)
            schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN text SET COMPRESSION {method}")

    return apply


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_created_at_not_indexed")]

    operations = [migrations.RunPython(compress_with("lz4"), compress_with("pglz"), elidable=False)]
