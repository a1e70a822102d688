"""The interop checks run only under ``make interop`` (INTEROP=1), which installs the peers
first; the normal test run leaves this folder out."""

import os

collect_ignore_glob = [] if os.environ.get("INTEROP") == "1" else ["test_*.py"]
