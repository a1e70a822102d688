"""The zero-config broker: a worker takes a message only once it is written whole."""

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kombu import Connection
from kombu.simple import SimpleQueue

from annotator.common import broker


def _connection(folder: Path) -> Connection:
    options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "control_folder": str(folder.parent / "control"),  # kombu's default is ./control
        "store_processed": False,
        "polling_interval": 0.05,  # kombu's default, 1 s, is longer than a get's timeout here
    }
    return Connection(
        "filesystem://", transport="annotator.common.broker:Transport", transport_options=options
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "queue").mkdir()
    (tmp_path / "control").mkdir()
    return tmp_path / "queue"


@pytest.fixture
def name() -> str:
    # kombu keeps the queues a process declared in a class attribute, not in the folders: a
    # name reused in another test's folders would count as bound there and go nowhere.
    return uuid.uuid4().hex


@pytest.fixture
def producer(folder: Path, name: str) -> Iterator[SimpleQueue]:
    with _connection(folder) as conn:
        queue = conn.SimpleQueue(name)
        yield queue
        queue.close()


def test_a_worker_polling_while_a_message_is_written_does_not_take_it(
    folder: Path, name: str, producer: SimpleQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    encode = broker.str_to_bytes

    def poll_then_encode(payload: Any) -> bytes:
        # The producer is between creating its file and writing it: a worker polls now.
        with _connection(folder) as conn:
            worker = conn.SimpleQueue(name)
            with pytest.raises(worker.Empty):
                worker.get(block=False)
            worker.close()
        seen.append("polled")
        return encode(payload)

    monkeypatch.setattr(broker, "str_to_bytes", poll_then_encode)
    producer.put({"job": 1, "text": "x" * 100_000})
    assert seen == ["polled"]
    assert producer.get(timeout=5).payload == {"job": 1, "text": "x" * 100_000}
    assert list(folder.iterdir()) == []


def test_a_message_still_being_written_is_left_alone(folder: Path, name: str, producer: SimpleQueue) -> None:
    half = folder / f"1_half.{name}.msg{broker.PARTIAL}"
    half.write_bytes(b'{"job": ')
    with pytest.raises(producer.Empty):
        producer.get(timeout=0.3)
    assert half.exists()
    producer.put({"job": 2})
    assert producer.get(timeout=5).payload == {"job": 2}
