"""The pure rules behind webhooks: the event catalogue, the back-off, the signature and
which addresses count as private."""

import hashlib
import hmac

import httpx
import pytest

from tessera.core import targets
from tessera.core.events import DomainEvent
from tessera.subscriptions import catalog, delivery


class TestCatalogue:
    @pytest.mark.parametrize(
        ("name", "subscribable"),
        [
            ("request.create", True),
            ("message.create.request.channelOutbound.email", True),
            ("event.emit.typing.start", True),
            ("operator.select", True),
            ("event.emit.", False),
            ("message.create.first", False),  # internal only (§8.1), not offered to webhooks
            ("subscription.create", False),
            ("REQUEST.CREATE", False),
        ],
    )
    def test_what_a_subscription_may_listen_to(self, name: str, subscribable: bool) -> None:
        assert catalog.is_subscribable(name) is subscribable

    def test_operator_select_is_never_queued(self) -> None:
        assert not catalog.is_deliverable("operator.select")
        assert catalog.is_deliverable("request.close")

    def test_message_create_is_also_sent_under_its_channel_names(self) -> None:
        message = {
            "channel": {"name": "chat21"},
            "request": {"channel": {"name": "whatsapp"}, "channelOutbound": {"name": "email"}},
        }
        names = catalog.webhook_names(DomainEvent("message.create", "p", message))
        assert names == [
            "message.create",
            "message.create.request.channel.whatsapp",
            "message.create.request.channelOutbound.email",
            "message.create.channel.chat21",
        ]

    def test_missing_channels_add_no_name(self) -> None:
        event = DomainEvent("message.create", "p", {"request": None, "channel": "odd"})
        assert catalog.webhook_names(event) == ["message.create"]

    def test_a_custom_event_is_also_sent_under_its_own_name(self) -> None:
        event = DomainEvent("event.emit", "p", {"name": "typing.start"})
        assert catalog.webhook_names(event) == ["event.emit", "event.emit.typing.start"]


class TestBackOff:
    @pytest.mark.parametrize(
        ("failures", "ceiling"),
        [(1, 10_000), (2, 20_000), (3, 40_000), (9, 2_560_000), (10, 3_600_000), (60, 3_600_000)],
    )
    def test_doubles_up_to_an_hour_with_half_of_it_random(
        self, failures: int, ceiling: int
    ) -> None:
        assert delivery.retry_delay_ms(failures, lambda low, high: low) == ceiling // 2
        assert delivery.retry_delay_ms(failures, lambda low, high: high) == ceiling

    def test_gives_up_once_a_day_has_passed(self) -> None:
        day = 24 * 60 * 60 * 1000
        assert not delivery.gives_up(0, day - 1)
        assert delivery.gives_up(0, day)


def test_the_signature_is_an_hmac_of_timestamp_and_body() -> None:
    expected = hmac.new(b"s3cret", b"1700000000.{}", hashlib.sha256).hexdigest()
    assert delivery.signature("s3cret", 1_700_000_000, b"{}") == "sha256=" + expected


class TestAddresses:
    @pytest.mark.parametrize(
        "address",
        [
            "127.0.0.1",
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",  # noqa: S104 (an address to judge, not one to bind)
            "224.0.0.1",
            "::1",
            "fe80::1",
            "fc00::1",
            "::ffff:10.0.0.1",
            "not an address",
        ],
    )
    def test_private_and_special_addresses_are_not_public(self, address: str) -> None:
        assert not targets.is_public(address)

    @pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
    def test_internet_addresses_are_public(self, address: str) -> None:
        assert targets.is_public(address)

    @pytest.mark.parametrize(
        ("url", "private"),
        [
            ("http://localhost:3000/x", True),
            ("http://LOCALHOST./x", True),
            ("http://[::1]:80/", True),
            ("https://hooks.example.com/x", False),  # names are resolved when sending
            ("https://8.8.8.8/x", False),
        ],
    )
    def test_visibly_private_hosts(self, url: str, private: bool) -> None:
        assert targets.names_private_host(url) is private

    def test_a_pinned_https_target_keeps_its_name_for_host_and_tls(self) -> None:
        pinned = targets.pin(httpx.URL("https://hooks.example.com:8443/a?b=1"), ["93.184.215.14"])
        assert str(pinned.url) == "https://93.184.215.14:8443/a?b=1"
        assert pinned.headers == {"Host": "hooks.example.com:8443"}
        assert pinned.extensions == {"sni_hostname": "hooks.example.com"}

    def test_a_name_with_any_private_address_is_refused(self) -> None:
        with pytest.raises(targets.TargetRefused, match=r"10\.0\.0\.1"):
            targets.pin(httpx.URL("http://mixed.example.com/"), ["93.184.215.14", "10.0.0.1"])
