"""Import articles, and optionally their annotations, from a file: all or nothing by default.

One read of the file, in one transaction. Records are checked in chunks against the project
(labels, annotators, offsets, conflicts with stored articles), each problem reported per
line, and the valid ones written; with on_error=abort, once one record is found invalid
the rest are only checked, and at the end the transaction is rolled back, so nothing is
written. An import is all or nothing even if the worker dies. Memory stays flat however
large the file is: a chunk at a time, and each record is checked once (not once to check
the whole file and again to write it).

The database stores one chunk while the next is checked: rows get ids reserved ahead
(``reserve_ids``), so a chunk's articles, spans and relations go out together with none
read back, and are sent without waiting (``bulk_writes``, PostgreSQL's pipeline); the
lookup of the next records' stored articles, a read, is where the import waits for them.
Python and the server then work at the same time.

Idempotent: an article already in the project with the same text is not written again,
and of its annotations only those not already there are added, so importing a file twice
changes nothing the second time.

The modules: ``options`` (what an import is asked to do, and its report), ``schema`` (the
project's labels, annotators and rules as the import sees them), ``checking`` (records into
prepared rows, or errors), ``writing`` (rows into the database) and ``service``
(``import_file``, the whole import).
"""

from annotator.exchange.importing.options import MAX_ERRORS_REPORTED, ON_ERROR, ImportOptions, Report
from annotator.exchange.importing.service import import_file

__all__ = ["MAX_ERRORS_REPORTED", "ON_ERROR", "ImportOptions", "Report", "import_file"]
