"""The address rule (annotator.webhooks.addresses): every refused class, mapped forms, names."""

import ipaddress

import pytest

from annotator.webhooks.addresses import RefusedURL, address_refusal, resolve_target

REFUSED = [
    "127.0.0.1",
    "127.8.9.10",
    "::1",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.1",
    "169.254.169.254",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "224.0.0.1",
    "ff02::1",
    "0.0.0.0",  # noqa: S104
    "::",
    "240.0.0.1",
    "255.255.255.255",
    "100.64.0.1",
    "100.100.100.200",
    "fd00:ec2::254",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::7f00:1",
    "2002:7f00:1::",
]


@pytest.mark.parametrize("address", REFUSED)
def test_refused_address_classes(address: str) -> None:
    assert address_refusal(ipaddress.ip_address(address)) is not None
    with pytest.raises(RefusedURL, match="address"):
        resolve_target(
            f"http://[{address}]/hook" if ":" in address else f"http://{address}/hook", allow_private=False
        )


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "2606:2800:220:1::1", "::ffff:93.184.216.34", "8.8.8.8"]
)
def test_public_addresses_pass(address: str) -> None:
    assert address_refusal(ipaddress.ip_address(address)) is None


def test_a_name_resolving_to_loopback_is_refused() -> None:
    with pytest.raises(RefusedURL, match=r"127\.0\.0\.1 of localhost is loopback"):
        resolve_target("http://localhost:8000/hook", allow_private=False, resolver=lambda h, p: ["127.0.0.1"])
    # The real resolver too (localhost resolves to a loopback address on every system).
    with pytest.raises(RefusedURL, match="loopback"):
        resolve_target("http://localhost/hook", allow_private=False)


def test_every_resolved_address_is_checked() -> None:
    answers = lambda h, p: ["93.184.216.34", "10.0.0.5"]  # noqa: E731
    with pytest.raises(RefusedURL, match=r"10\.0\.0\.5"):
        resolve_target("https://example.com/", allow_private=False, resolver=answers)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "file:///etc/passwd",
        "gopher://example.com/",
        "example.com",
        "http:///x",
        "http://u:p@example.com/",
    ],
)
def test_non_http_and_malformed_urls_are_refused(url: str) -> None:
    with pytest.raises(RefusedURL):
        resolve_target(url, allow_private=True, resolver=lambda h, p: ["93.184.216.34"])


def test_allow_private_lifts_the_address_check_only() -> None:
    target = resolve_target("http://localhost:9/x", allow_private=True, resolver=lambda h, p: ["127.0.0.1"])
    assert (target.scheme, target.host, target.port, target.address) == ("http", "localhost", 9, "127.0.0.1")
    with pytest.raises(RefusedURL):
        resolve_target("ftp://localhost/", allow_private=True)


def test_the_first_checked_address_is_the_target() -> None:
    target = resolve_target(
        "https://hooks.example/x", allow_private=False, resolver=lambda h, p: ["93.184.216.34", "8.8.8.8"]
    )
    assert (target.address, target.port, target.host) == ("93.184.216.34", 443, "hooks.example")
