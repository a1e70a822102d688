"""A real S3-API server (moto's, in this process) and the storage settings the README gives
pointed at it: ``s3`` is a bucket of its own per test, and Django's default storage."""

import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from annotator.settings import s3_storage

KEYS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}


@dataclass
class S3:
    endpoint: str
    bucket: str
    prefix: str
    client: Any

    def keys(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        body: bytes = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        return body


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint: str, settings: Any) -> S3:
    bucket = f"annotator-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **KEYS)
    client.create_bucket(Bucket=bucket)
    storage = s3_storage(
        {
            "ANNOTATOR_S3_BUCKET": bucket,
            "ANNOTATOR_S3_ENDPOINT_URL": s3_endpoint,
            "ANNOTATOR_S3_REGION": "us-east-1",
            "ANNOTATOR_S3_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
            "ANNOTATOR_S3_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
        }
    )
    assert storage is not None
    # Nothing may fall back to local disk: MEDIA_ROOT points nowhere writable.
    settings.MEDIA_ROOT = "/nonexistent/annotator-media"
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    return S3(endpoint=s3_endpoint, bucket=bucket, prefix="annotator/", client=client)
