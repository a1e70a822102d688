"""Kombu's filesystem transport (the zero-config broker), with each message written whole
before a worker can see it.

kombu 5 creates a message file under its final name and writes it afterwards; a worker that
lists the folder in between moves the still-empty file away, fails to decode it and loses
the message (the worker logs a JSONDecodeError; celery/kombu#1551). Here the payload goes to a
name the consumers skip (it does not end in ``.<queue>.msg``) and is renamed into place,
which is atomic within one folder. Names keep kombu's time prefix, so the order is kept.
"""

import os
import uuid
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

PARTIAL = ".part"  # the suffix of a message still being written


class Channel(filesystem.Channel):
    # kombu names the argument "message" in the virtual base and "payload" here: keep this class's.
    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:  # type: ignore[override]
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        try:
            with open(final + PARTIAL, "wb") as partial:
                partial.write(str_to_bytes(dumps(payload)))
            os.replace(final + PARTIAL, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
