"""Reading a neighbouring directory's API: every service in full, politely, and never from where it must not."""

import os
import re
import socket
import subprocess
import sys
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from jsonschema import Draft202012Validator

from waymark.directory.feeds import reading
from waymark.directory.feeds.reading import FeedUnreadable, check_feed_address, read_feed
from waymark.directory.hsds.schema import ORUK_SERVICE_LIST_SCHEMA, load_standard, service_schema_errors
from waymark.directory.tests.feed_server import TLS_HOST, FeedServer, sample_feed_records, service_summary

LOOPBACK_REFUSED = override_settings(DIRECTORY_FEED_ALLOWED_NETWORKS=[])


def _page(contents: list[Any], *, number: int = 1, total_pages: int = 1) -> dict[str, Any]:
    return {
        "total_items": len(contents) * total_pages,
        "total_pages": total_pages,
        "page_number": number,
        "size": len(contents),
        "first_page": number == 1,
        "last_page": number >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


# --- The sample records and the test server ------------------------------------------------------------


def test_sample_records_are_valid_services_with_places():
    records = sample_feed_records(12)

    assert [service_schema_errors(record) for record in records] == [[]] * 12
    assert len({record["id"] for record in records}) == 12
    assert len({record["name"] for record in records}) == 12
    address = records[0]["service_at_locations"][0]["location"]["addresses"][0]
    assert address["postal_code"] == "ZW2 1AP"
    assert sample_feed_records(1, start=5) == sample_feed_records(5)[4:]


def test_the_pages_list_services_as_the_uk_profiles_service_list(feed_server):
    validator = Draft202012Validator(load_standard(ORUK_SERVICE_LIST_SCHEMA))
    summary = service_summary(sample_feed_records(1)[0])

    assert list(validator.iter_errors(summary)) == []
    assert "service_at_locations" not in summary


# --- Reading a feed -----------------------------------------------------------------------------------


def test_reads_every_page_and_each_service_in_full_in_feed_order(feed_server):
    records = sample_feed_records(5)
    feed_server.serve_services(records, per_page=2)
    seen: list[tuple[int, int]] = []

    read = read_feed(feed_server.url + "/", progress=lambda done, expected: seen.append((done, expected)))

    assert read.records == records
    assert (read.pages, read.requests) == (3, 8)
    ids = [record["id"] for record in records]
    assert feed_server.paths() == [
        "/services?page=1&per_page=100",
        f"/services/{ids[0]}",
        f"/services/{ids[1]}",
        "/services?page=2&per_page=100",
        f"/services/{ids[2]}",
        f"/services/{ids[3]}",
        "/services?page=3&per_page=100",
        f"/services/{ids[4]}",
    ]
    assert seen[-1] == (8, 8)
    assert [done for done, _expected in seen] == sorted(done for done, _expected in seen)
    assert all(done <= expected for done, expected in seen)


def test_full_records_in_the_pages_are_not_asked_for_again(feed_server):
    records = sample_feed_records(3)
    feed_server.serve_services(records, per_page=2, summaries=False)

    read = read_feed(feed_server.url)

    assert read.records == records
    assert feed_server.paths() == ["/services?page=1&per_page=100", "/services?page=2&per_page=100"]


def test_a_bare_list_of_services_is_one_page(feed_server):
    records = sample_feed_records(2)
    feed_server.route("/services", body=records)

    read = read_feed(feed_server.url)

    assert (read.records, read.pages, read.requests) == (records, 1, 1)


def test_items_that_are_not_services_with_ids_are_kept_for_the_caller_to_report(feed_server):
    good = sample_feed_records(1)[0]
    odd: list[Any] = ["a string", 7, None, {"name": "No id"}, {"id": 12, "name": "A number for an id"}]
    feed_server.route("/services", body=_page([*odd, service_summary(good)]))
    feed_server.route(f"/services/{good['id']}", body=good)

    assert read_feed(feed_server.url).records == [*odd, good]


def test_the_last_page_flag_and_an_empty_page_end_the_feed(feed_server):
    first, second = sample_feed_records(2)
    feed_server.route("/services?page=1&per_page=100", body={**_page([first], total_pages=9), "last_page": True})
    assert read_feed(feed_server.url).records == [first]

    feed_server.requests.clear()
    feed_server.route("/services?page=1&per_page=100", body={"contents": [first]})
    feed_server.route("/services?page=2&per_page=100", body={"contents": [second]})
    feed_server.route("/services?page=3&per_page=100", body={"contents": []})
    assert read_feed(feed_server.url).records == [first, second]
    assert len(feed_server.requests) == 3


def test_service_ids_are_quoted_in_the_detail_address(feed_server):
    record = {**sample_feed_records(1)[0], "id": "a/b c?d"}
    feed_server.route("/services", body=_page([service_summary(record)]))
    feed_server.route("/services/a%2Fb%20c%3Fd", body=record)

    assert read_feed(feed_server.url).records == [record]


def test_requests_name_waymark_and_whom_to_contact_and_ask_for_json(feed_server, settings):
    settings.SITE_URL = "https://waymark.example"
    settings.DIRECTORY_FEED_CONTACT = "directory@waymark.example"
    feed_server.serve_services(sample_feed_records(1))

    read_feed(feed_server.url)

    for _path, headers in feed_server.requests:
        assert headers["User-Agent"].startswith("Waymark/")
        assert headers["User-Agent"].endswith(" (+https://waymark.example; directory@waymark.example)")
        assert headers["Accept"] == "application/json"
        assert headers["Host"] == f"127.0.0.1:{feed_server.port}"


def test_the_reader_pauses_between_requests_but_not_before_the_first(feed_server, settings):
    settings.DIRECTORY_FEED_REQUEST_DELAY = 0.25
    feed_server.serve_services(sample_feed_records(2), per_page=1)
    arrived: list[int] = []

    def pause(seconds: float) -> None:
        arrived.append(len(feed_server.requests))
        assert seconds == 0.25

    with mock.patch.object(reading.time, "sleep", side_effect=pause):
        read = read_feed(feed_server.url)

    # A pause comes after each request has arrived and before the next is sent, never before the first.
    assert arrived == list(range(1, read.requests))


def test_the_feed_address_is_read_through_the_address_its_host_resolved_to(feed_server):
    """The host name is looked up once per request and the checked address is the one connected to, while
    the server still hears the host's own name."""
    feed_server.serve_services(sample_feed_records(1))
    real = socket.getaddrinfo
    looked_up: list[str] = []

    def lookup(host: str, *args: Any, **kwargs: Any) -> Any:
        looked_up.append(host)
        return real("127.0.0.1" if host == "feeds.neighbour.test" else host, *args, **kwargs)

    with mock.patch.object(reading.socket, "getaddrinfo", side_effect=lookup):
        read = read_feed(f"http://feeds.neighbour.test:{feed_server.port}")

    # (Connecting to the checked address looks the address itself up, which asks no name server.)
    assert [host for host in looked_up if host != "127.0.0.1"] == ["feeds.neighbour.test"] * read.requests
    assert {headers["Host"] for _path, headers in feed_server.requests} == {f"feeds.neighbour.test:{feed_server.port}"}


def test_a_redirect_is_followed_and_checked(feed_server):
    records = sample_feed_records(1)
    feed_server.serve_services(records, prefix="/v2", summaries=False)
    feed_server.route("/v1/services", status=301, headers={"Location": "/v2/services?page=1&per_page=100"})

    assert read_feed(feed_server.url + "/v1").records == records
    assert feed_server.paths() == ["/v1/services?page=1&per_page=100", "/v2/services?page=1&per_page=100"]


def _resolving(host: str, address: str) -> Any:
    """``socket.getaddrinfo`` as if ``host`` resolved to ``address``."""
    real = socket.getaddrinfo

    def lookup(name: str, *args: Any, **kwargs: Any) -> Any:
        return real(address if name == host else name, *args, **kwargs)

    return mock.patch.object(reading.socket, "getaddrinfo", side_effect=lookup)


def test_https_checks_the_certificate_against_the_host_name_not_the_address(tls_feed_server, test_authority):
    records = sample_feed_records(2)
    tls_feed_server.serve_services(records)

    with (
        _resolving(TLS_HOST, "127.0.0.1"),
        mock.patch.object(reading, "_tls_context", test_authority.client_context),
    ):
        read = read_feed(f"https://{TLS_HOST}:{tls_feed_server.port}/")

    assert read.records == records
    assert {headers["Host"] for _path, headers in tls_feed_server.requests} == {f"{TLS_HOST}:{tls_feed_server.port}"}


def test_https_refuses_a_certificate_for_another_name(tls_feed_server, test_authority):
    tls_feed_server.serve_services(sample_feed_records(1))

    with (
        _resolving("other.neighbour.test", "127.0.0.1"),
        mock.patch.object(reading, "_tls_context", test_authority.client_context),
        pytest.raises(
            FeedUnreadable,
            match=r"could not be reached securely: Hostname mismatch, certificate is not valid for 'other",
        ),
    ):
        read_feed(f"https://other.neighbour.test:{tls_feed_server.port}/")
    assert tls_feed_server.requests == []


def test_https_refuses_a_certificate_from_an_unknown_authority(tls_feed_server):
    tls_feed_server.serve_services(sample_feed_records(1))

    with (
        _resolving(TLS_HOST, "127.0.0.1"),
        pytest.raises(FeedUnreadable, match=r"could not be reached securely: unable to get local issuer certificate$"),
    ):
        read_feed(f"https://{TLS_HOST}:{tls_feed_server.port}/")
    assert tls_feed_server.requests == []


# --- A feed that cannot be read -------------------------------------------------------------------------


def test_a_page_that_does_not_answer_in_time_names_the_page(feed_server, settings):
    settings.DIRECTORY_FEED_TIMEOUT = 0.2
    feed_server.serve_services(sample_feed_records(3), per_page=2, summaries=False)
    feed_server.route("/services?page=2&per_page=100", delay=30)  # until the test ends

    with pytest.raises(FeedUnreadable, match=r"^Page 2 did not answer within 0\.2 seconds$"):
        read_feed(feed_server.url)


def test_a_page_that_trickles_in_for_ever_is_given_up(feed_server, settings):
    settings.DIRECTORY_FEED_TIMEOUT = 0.05
    feed_server.route("/services", body=b" ", endless=True, drip=0.01)

    with pytest.raises(FeedUnreadable, match=r"^Page 1 did not arrive in full within 0\.5 seconds$"):
        read_feed(feed_server.url)


def test_an_error_status_names_the_address(feed_server):
    feed_server.route("/services", status=503, body=b"Down for maintenance", content_type="text/plain")

    with pytest.raises(FeedUnreadable) as caught:
        read_feed(feed_server.url)

    assert str(caught.value) == f"{feed_server.url}/services?page=1&per_page=100 answered 503 Service Unavailable"


def test_a_listed_service_whose_own_record_is_gone_is_named_and_the_rest_are_read(feed_server):
    gone, kept = sample_feed_records(2)
    feed_server.route("/services", body=_page([service_summary(gone), service_summary(kept)]))
    feed_server.route(f"/services/{kept['id']}", body=kept)

    read = read_feed(feed_server.url)

    assert read.records == [service_summary(gone), kept]
    assert read.unreadable[gone["id"]].endswith(f"/services/{gone['id']} answered 404 Not Found")


def test_a_page_that_is_gone_still_stops_the_run(feed_server):
    with pytest.raises(FeedUnreadable, match=r"/services\?page=1&per_page=100 answered 404 Not Found$"):
        read_feed(feed_server.url)


def test_a_server_that_is_not_there_is_reported(feed_server):
    feed_server.stop()

    with pytest.raises(FeedUnreadable, match=r"could not be read: the connection was refused$"):
        read_feed(feed_server.url)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>Sign in</html>", "Page 1 is not JSON: Expecting value at line 1 column 1"),
        (b'{"contents": [', "Page 1 is not JSON: Expecting value at line 1 column 15"),
        (b'{"contents": [NaN]}', "Page 1 is not JSON: NaN is not a number JSON allows"),
        (b"\xff\xfe\x00", "Page 1 is not UTF-8 text: invalid start byte at byte 0"),
        (b"[" * 100_000 + b"]" * 100_000, "Page 1 is JSON nested too deeply to read"),
        (
            b'{"services": []}',
            "Page 1 is not a page of services (a record with 'contents') or a list of "
            "services: it is a record with services",
        ),
        (b'"hello"', "Page 1 is not a page of services (a record with 'contents') or a list of services: it is a str"),
    ],
)
def test_a_page_that_is_not_a_page_of_services_is_reported(feed_server, body, message):
    feed_server.route("/services", body=body)

    with pytest.raises(FeedUnreadable) as caught:
        read_feed(feed_server.url)

    assert str(caught.value) == message


def test_a_service_that_is_not_a_record_is_reported(feed_server):
    record = sample_feed_records(1)[0]
    feed_server.route("/services", body=_page([service_summary(record)]))
    feed_server.route(f"/services/{record['id']}", body=[record])

    read = read_feed(feed_server.url)

    assert read.unreadable == {record["id"]: "is listed, but its own record is not a service record: it is a list"}


def test_a_page_larger_than_the_limit_is_refused_by_its_length(feed_server, settings):
    settings.DIRECTORY_FEED_MAX_PAGE_BYTES = 1024
    feed_server.route("/services", body=[{"name": "x" * 2000}])

    with pytest.raises(FeedUnreadable, match=r"^Page 1 is larger than 1 KB; Waymark stops there$"):
        read_feed(feed_server.url)


def test_a_page_without_a_length_is_read_no_further_than_the_limit(feed_server, settings):
    settings.DIRECTORY_FEED_MAX_PAGE_BYTES = 100_000
    feed_server.route("/services", body=b'[{"name": "' + b"x" * 10_000, endless=True)  # never ends

    with pytest.raises(FeedUnreadable, match=r"^Page 1 is larger than 100,000 bytes; Waymark stops there$"):
        read_feed(feed_server.url)


def test_a_feed_that_repeats_a_page_stops(feed_server):
    contents = sample_feed_records(2)
    feed_server.route("/services", body=lambda query: _page(contents, number=int(query["page"]), total_pages=50))

    with pytest.raises(FeedUnreadable, match=r"^Page 2 repeats page 1; the feed seems to paginate for ever$"):
        read_feed(feed_server.url)
    assert len(feed_server.requests) == 2


def test_a_feed_that_paginates_for_ever_stops_at_the_limit(feed_server, settings):
    settings.DIRECTORY_FEED_MAX_PAGES = 4

    def endless(query: dict[str, str]) -> dict[str, Any]:
        number = int(query["page"])
        return {"page_number": number, "last_page": False, "contents": sample_feed_records(1, start=number)}

    feed_server.route("/services", body=endless)

    with pytest.raises(FeedUnreadable, match=r"^The feed has more than 4 pages; Waymark stops there$"):
        read_feed(feed_server.url)
    assert len(feed_server.requests) == 4


def test_a_feed_claiming_too_many_pages_or_services_stops_at_once(feed_server, settings):
    settings.DIRECTORY_FEED_MAX_PAGES = 10
    settings.DIRECTORY_FEED_MAX_RECORDS = 5
    contents = sample_feed_records(1)
    feed_server.route("/services", body={**_page(contents, total_pages=1_000_000_000), "total_items": 3})
    with pytest.raises(FeedUnreadable, match=r"^The feed says it has 1,000,000,000 pages; Waymark reads at most 10$"):
        read_feed(feed_server.url)

    feed_server.route("/services", body={**_page(contents, total_pages=3), "total_items": 6})
    with pytest.raises(FeedUnreadable, match=r"^The feed says it has 6 services; Waymark reads at most 5$"):
        read_feed(feed_server.url)


def test_a_feed_with_more_services_than_the_limit_stops(feed_server, settings):
    settings.DIRECTORY_FEED_MAX_RECORDS = 3
    feed_server.route("/services", body=sample_feed_records(4))

    with pytest.raises(FeedUnreadable, match=r"^The feed has more than 3 services; Waymark stops there$"):
        read_feed(feed_server.url)


def test_too_many_redirects_are_refused(feed_server):
    feed_server.route("/services", status=302, headers={"Location": "/services"})

    with pytest.raises(FeedUnreadable, match=r"^Page 1 was redirected more than 3 times$"):
        read_feed(feed_server.url)
    assert len(feed_server.requests) == 4


# --- Addresses that are refused -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "The address must start with https:// or http://"),
        ("ftp://feeds.neighbour.example/", "The address must start with https:// or http://"),
        ("gopher://127.0.0.1:6379/_FLUSHALL", "The address must start with https:// or http://"),
        ("feeds.neighbour.example/api", "The address must start with https:// or http://"),
        ("http://user:pass@127.0.0.1/", "The address must not contain a user name or password"),
        ("https://token@127.0.0.1/", "The address must not contain a user name or password"),
        ("http://@127.0.0.1/", "The address must not contain a user name or password"),
        ("http://127.0.0.1:99999/", "The address is not a web address: Port out of range 0-65535"),
        ("http:///services", "The address has no host name"),
    ],
)
def test_addresses_that_are_not_plain_web_addresses_are_refused(url, message):
    with pytest.raises(ValidationError) as caught:
        check_feed_address(url)
    assert caught.value.messages == [message]
    with pytest.raises(FeedUnreadable, match=r": " + message.replace("?", r"\?") + "$"):
        read_feed(url)


@LOOPBACK_REFUSED
@pytest.mark.parametrize(
    ("url", "address", "kind"),
    [
        ("http://127.0.0.1/", "127.0.0.1", "a loopback address (this server itself)"),
        ("http://2130706433/", "127.0.0.1", "a loopback address (this server itself)"),
        ("http://[::1]/", "::1", "a loopback address (this server itself)"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1", "a loopback address (this server itself)"),
        ("http://[::ffff:10.0.0.5]/", "::ffff:10.0.0.5", "a private network address"),
        ("http://[64:ff9b::a00:5]/", "64:ff9b::a00:5", "a private network address"),
        ("https://10.0.0.5/", "10.0.0.5", "a private network address"),
        ("https://192.168.1.20:8443/", "192.168.1.20", "a private network address"),
        ("http://[fd00::1]/", "fd00::1", "a private network address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254", "a link-local address"),
        ("http://[fe80::1]/", "fe80::1", "a link-local address"),
        ("http://0.0.0.0/", "0.0.0.0", "an unspecified address"),  # noqa: S104 (refused, not bound)
        ("http://224.0.0.1/", "224.0.0.1", "a multicast address"),
        ("http://240.0.0.1/", "240.0.0.1", "a reserved address"),
        ("http://100.64.0.1/", "100.64.0.1", "not a public internet address"),
    ],
)
def test_addresses_that_are_not_on_the_public_internet_are_refused(url, address, kind):
    message = f"The address resolves to {address}, {kind}; an administrator must allow that network"

    with pytest.raises(ValidationError) as caught:
        check_feed_address(url)
    assert caught.value.messages == [message]
    with pytest.raises(FeedUnreadable) as unread:
        read_feed(url)
    assert str(unread.value) == f"{url.rstrip('/')}/services?page=1&per_page=100: {message}"


@LOOPBACK_REFUSED
def test_a_host_name_for_this_server_is_refused():
    with pytest.raises(ValidationError) as caught:
        check_feed_address("http://localhost:8000/")
    assert re.match(r"The address resolves to (127\.0\.0\.1|::1), a loopback address", caught.value.messages[0])
    with pytest.raises(FeedUnreadable, match=r"resolves to (127\.0\.0\.1|::1), a loopback address"):
        read_feed("http://localhost:8000/")


def test_a_host_with_any_forbidden_address_is_refused():
    answers = [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 443)),
    ]
    with (
        mock.patch.object(reading.socket, "getaddrinfo", return_value=answers),
        pytest.raises(ValidationError, match=r"resolves to 10\.1\.2\.3, a private network address"),
    ):
        check_feed_address("https://feeds.neighbour.example/")


def test_a_public_address_is_accepted():
    answers = [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("2606:4700::6810:84e5", 443, 0, 0))]
    with mock.patch.object(reading.socket, "getaddrinfo", return_value=answers):
        check_feed_address("https://feeds.neighbour.example/api/v1")


def test_a_host_that_cannot_be_found_is_refused():
    not_found = socket.gaierror(-2, "Name or service not known")
    with (
        mock.patch.object(reading.socket, "getaddrinfo", side_effect=not_found),
        pytest.raises(ValidationError) as caught,
    ):
        check_feed_address("https://feeds.neighbour.example/")
    assert caught.value.messages == ["feeds.neighbour.example could not be found: Name or service not known"]


def test_an_allowed_network_lets_a_private_address_through(settings):
    settings.DIRECTORY_FEED_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    check_feed_address("http://10.20.3.4/")
    with pytest.raises(ValidationError, match=r"10\.21\.0\.1, a private network address"):
        check_feed_address("http://10.21.0.1/")


def test_the_suite_allows_only_127_0_0_1():
    check_feed_address("http://127.0.0.1:8000/")
    for url in ("http://127.0.0.2/", "http://[::1]/", "http://10.0.0.1/"):
        with pytest.raises(ValidationError):
            check_feed_address(url)


@LOOPBACK_REFUSED
def test_a_redirect_to_a_forbidden_address_is_refused_without_going_there(feed_server, settings):
    settings.DIRECTORY_FEED_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    feed_server.route("/services", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})

    with pytest.raises(FeedUnreadable) as caught:
        read_feed(feed_server.url)

    assert str(caught.value) == (
        "http://169.254.169.254/latest/meta-data/: The address resolves to 169.254.169.254, a link-local address; "
        "an administrator must allow that network"
    )
    assert len(feed_server.requests) == 1


@LOOPBACK_REFUSED
def test_a_redirect_to_localhost_is_refused(feed_server, settings):
    settings.DIRECTORY_FEED_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    feed_server.route("/services", status=307, headers={"Location": f"http://localhost:{feed_server.port}/admin/"})
    real = socket.getaddrinfo

    def lookup(host: str, *args: Any, **kwargs: Any) -> Any:
        return real("::1" if host == "localhost" else host, *args, **kwargs)

    with (
        mock.patch.object(reading.socket, "getaddrinfo", side_effect=lookup),
        pytest.raises(FeedUnreadable, match=r"resolves to ::1, a loopback address"),
    ):
        read_feed(feed_server.url)


def test_feed_server_answers_unknown_paths_with_404(feed_server: FeedServer):
    with pytest.raises(FeedUnreadable, match="answered 404 Not Found"):
        read_feed(feed_server.url + "/nowhere")


# --- The settings ---------------------------------------------------------------------------------------


def _settings_in(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = (
        "from waymark import settings as s; "
        "print(s.DIRECTORY_FEED_REQUEST_DELAY, s.DIRECTORY_FEED_TIMEOUT, s.DIRECTORY_FEED_ALLOWED_NETWORKS, "
        "s.DIRECTORY_FEED_CONTACT)"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], env={**os.environ, **environment}, capture_output=True, text=True, check=False
    )


def test_the_feed_settings_come_from_the_environment():
    done = _settings_in(
        {
            "DIRECTORY_FEED_REQUEST_DELAY_MS": "250",
            "DIRECTORY_FEED_TIMEOUT": "30",
            "DIRECTORY_FEED_ALLOWED_NETWORKS": "10.20.0.0/16, fd12::/64",
            "DEFAULT_FROM_EMAIL": "Rivertown Directory <directory@rivertown.example>",
        }
    )
    assert done.stdout == "0.25 30 ['10.20.0.0/16', 'fd12::/64'] directory@rivertown.example\n", done.stderr

    refused = _settings_in({"DIRECTORY_FEED_ALLOWED_NETWORKS": "10.20.0.0/33"})
    assert refused.returncode != 0
    assert "DIRECTORY_FEED_ALLOWED_NETWORKS: '10.20.0.0/33' does not appear to be an IPv4 or IPv6 network" in (
        refused.stderr
    )
