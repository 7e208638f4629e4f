"""A small client of the Census International Trade API (timeseries/intltrade), on httpx.

What the API answers: a JSON array of arrays of strings, the first row the header (the
get variables, then every predicate variable echoed), values in whole dollars; HTTP
204 with an empty body when there is no data; 4xx with a text body for a bad query;
a daily query limit without a key (CENSUS_API_KEY). Partner codes are Census codes,
aggregates included (0003 European Union, 4XXX Europe, ...) and "-" for all partners.

Every failure becomes a CensusApiError: one line that says what went wrong and which
request, never the key. Connection failures are retried by the transport; 429 and 5xx
answers are retried here with a growing pause, then reported. An answer is read up to
MAX_ANSWER_BYTES, then refused, and must arrive whole within ApiSettings.answer_seconds: the
read timeout alone would never end a server that sends a byte now and then.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import httpx
import numpy as np
import pandas as pd

from tui.pipeline.sources import SourceError

DEFAULT_BASE_URL = "https://api.census.gov/data/timeseries/intltrade"
BASE_URL_VARIABLE = "TRADEGAP_CENSUS_API"
KEY_VARIABLE = "CENSUS_API_KEY"
#: The largest answer read. The largest real one, a month's HS chapters of every partner
#: (about 250 codes x 99 chapters), is under 1 MB; a server that sends more, or never stops,
#: would otherwise fill the memory.
MAX_ANSWER_BYTES = 32 * 1024 * 1024

#: per flow: the endpoint, its monthly and year-to-date value variables and its commodity variable
FLOWS = {
    "exports": ("exports/hs", "ALL_VAL_MO", "ALL_VAL_YR", "E_COMMODITY"),
    "imports": ("imports/hs", "GEN_VAL_MO", "GEN_VAL_YR", "I_COMMODITY"),
}


class CensusApiError(SourceError):
    """The Census API could not be reached or answered something unusable. str() is one line."""


def default_base_url() -> str:
    return os.environ.get(BASE_URL_VARIABLE) or DEFAULT_BASE_URL


def default_key() -> str | None:
    return os.environ.get(KEY_VARIABLE) or None


def base_url_problem(url: str, name: str) -> str | None:
    """Why url cannot be the API's base URL, in one line naming where it came from (name: --api,
    TRADEGAP_CENSUS_API) with the URL echoed, or None.

    Checked before any request: httpx refuses a bad port or a control character only when its client is
    made, and the resolver a host name part over 63 characters only at the first request, each with an
    exception of its own (InvalidURL, UnicodeError) rather than a reason a user can act on."""
    if not re.match(r"https?://", url):
        return f"{name} needs an http:// or https:// URL, not {url!r}"
    reason = _url_flaw(url)
    return f"{name} is not a URL tradegap can use ({reason}): {url!r}" if reason else None


def _url_flaw(url: str) -> str | None:
    if not url.isprintable() or any(character.isspace() for character in url):
        return "it holds a control character or a space"
    authority = re.split(r"[/?#]", url.split("://", 1)[1], maxsplit=1)[0]
    if authority.count("[") != authority.count("]"):  # httpx would call the rest of an IPv6 address a port
        return "an unmatched [ or ]: an IPv6 address is written [::1]"
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as error:  # "Invalid port: 'abc'", "Invalid IPv6 address: '[zz]'"
        text = str(error).rstrip(".")
        return text[:1].lower() + text[1:]
    host = parsed.raw_host.decode("ascii", "replace")  # a name in another script is in its ASCII form here
    if not host:
        return "it names no host"
    try:
        host.encode("idna")  # what the resolver does with it: each part of a name 1 to 63 characters
    except UnicodeError:
        return "a part of its host name is empty or over 63 characters"
    if len(host) > 253:
        return "its host name is over 253 characters"
    if parsed.port is not None and not 0 < parsed.port < 65536:
        return f"port {parsed.port} is not between 1 and 65535"
    return None


@dataclass
class ApiSettings:
    base_url: str = DEFAULT_BASE_URL
    base_url_name: str = "the Census API's URL"  # where base_url came from, as a message about it names it
    key: str | None = None
    timeout_seconds: float = 30.0  # the longest wait for a connection or for the next bytes of an answer
    answer_seconds: float = 120.0  # the longest an answer may take to arrive whole (the largest real one: 0.72 MB)
    connect_retries: int = 2
    status_retries: int = 3
    backoff_seconds: float = 1.0  # the pause before the first retry; doubled at each one
    sleep: Callable[[float], None] = time.sleep


class CensusApi:
    """One HTTP/1.1 keep-alive connection pool to the API; use as a context manager."""

    def __init__(self, settings: ApiSettings) -> None:
        if problem := base_url_problem(settings.base_url, settings.base_url_name):
            raise CensusApiError(problem)
        self.settings = settings
        self.requests_done = 0
        transport = httpx.HTTPTransport(retries=settings.connect_retries, http2=False)
        self._client = httpx.Client(
            base_url=settings.base_url.rstrip("/") + "/",
            timeout=httpx.Timeout(settings.timeout_seconds),
            transport=transport,
            # uncompressed: the answer's time limit is checked as its bytes arrive, and a compressed stream can
            # trickle in for ever without giving one byte of answer (the largest real answer is 0.72 MB)
            headers={"User-Agent": "tradegap", "Accept-Encoding": "identity"},
            follow_redirects=True,
        )

    def __enter__(self) -> CensusApi:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def describe(self, endpoint: str, params: Mapping[str, str]) -> str:
        """The request as a user can read it, without the key."""
        shown = "&".join(f"{name}={value}" for name, value in params.items())
        return f"{self.settings.base_url.rstrip('/')}/{endpoint}?{shown}"

    def get_table(self, endpoint: str, params: Mapping[str, str], required: Sequence[str],
                  allow_empty: bool = False) -> pd.DataFrame:
        """The answer to one query as a frame of text cells, one column per header name (the first of
        a repeated name).

        required: the columns the answer must have. An answer without data (204) is an
        empty list when allow_empty, else an error."""
        query = dict(params)
        if self.settings.key:
            query["key"] = self.settings.key
        where = self.describe(endpoint, params)
        attempt = 0
        while True:
            try:
                with self._client.stream("GET", endpoint, params=query) as response:
                    body = _read_bounded(response, where, self.settings.answer_seconds)
            except httpx.TimeoutException:
                raise CensusApiError(f"the Census API did not answer within {self.settings.timeout_seconds:g} s "
                                     f"({where})") from None
            except httpx.ConnectError as error:
                raise CensusApiError(f"cannot reach the Census API at {self.settings.base_url} "
                                     f"({_reason(error)})") from None
            except (httpx.RemoteProtocolError, httpx.ReadError) as error:
                raise CensusApiError(f"the Census API's answer was cut off ({_reason(error)}; {where})") from None
            except httpx.HTTPError as error:
                raise CensusApiError(f"the Census API request failed ({_reason(error)}; {where})") from None
            except UnicodeError:  # a redirect to a host name the resolver cannot encode (a part too long)
                raise CensusApiError(f"the Census API request failed (redirected to a host name that cannot be "
                                     f"looked up; {where})") from None
            status = response.status_code
            if status == 429 or status >= 500:
                if attempt < self.settings.status_retries:
                    self.settings.sleep(_pause(response, self.settings.backoff_seconds * 2 ** attempt))
                    attempt += 1
                    continue
                what = ("refused more queries (HTTP 429: the daily limit without a key is 500 queries; "
                        "set CENSUS_API_KEY)" if status == 429 else f"failed (HTTP {status})")
                raise CensusApiError(f"the Census API {what} after {attempt + 1} tries ({where})")
            break
        self.requests_done += 1
        if status == 204 or (status == 200 and not body.strip()):
            if allow_empty:
                return pd.DataFrame(columns=list(required), dtype=str)
            raise CensusApiError(f"the Census API has no data for {where}")
        if status >= 400:
            text = " ".join(body.decode("utf-8", "replace").split())[:160]
            raise CensusApiError(f"the Census API refused the query (HTTP {status}: {text}) ({where})")
        if status != 200:
            raise CensusApiError(f"the Census API answered HTTP {status} ({where})")
        return parse_answer(body, required, where)


def parse_answer(body: bytes, required: Sequence[str], where: str) -> pd.DataFrame:
    """A JSON array of arrays of strings, the first row the header, to a frame of text cells."""
    try:
        table = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise CensusApiError(f"the Census API's answer is not valid JSON (cut off or malformed; {where})") from None
    except RecursionError:  # thousands of nested brackets: no table is nested more than twice
        raise CensusApiError(f"the Census API's answer is nested too deep to be a table ({where})") from None
    if (not isinstance(table, list) or not table or not all(isinstance(row, list) for row in table)
            or not all(isinstance(name, str) for name in table[0])):
        raise CensusApiError(f"the Census API's answer is not a table with a header row ({where})")
    header = table[0]
    if missing := [name for name in required if name not in header]:
        raise CensusApiError(f"the Census API's answer has no column {', '.join(missing)} ({where})")
    width = len(header)
    if any(len(row) != width for row in table[1:]):
        short = next(row for row in table[1:] if len(row) != width)
        raise CensusApiError(f"the Census API's answer has a row of {len(short)} cells under a header of "
                             f"{width} ({where})")
    first: dict[str, int] = {}  # each column name at its first position
    for position, name in enumerate(header):
        first.setdefault(name, position)
    frame = pd.DataFrame(table[1:], columns=list(range(width)), dtype=object)
    frame = frame[list(first.values())]
    frame.columns = list(first)
    return frame.fillna("").astype(str)


def whole_dollars(cells: pd.Series, column: str, where: str) -> np.ndarray:
    """A column of value cells as whole dollars; text, decimals, empty or negative values are an error."""
    text = cells.astype(str).str.strip()
    bad = ~text.str.fullmatch(r"\d+")
    if bad.any():
        cell = cells[bad].iloc[0]
        shown = f"{str(cell)[:20]!r}" if str(cell).strip() else "an empty cell"
        raise CensusApiError(f"the Census API's answer has {shown} where a number of dollars belongs "
                             f"(column {column}; {where})")
    return text.astype("int64").to_numpy()


def _read_bounded(response: httpx.Response, where: str, seconds: float) -> bytes:
    """The answer's body, refused as soon as it is known to pass MAX_ANSWER_BYTES: by the length the
    server announces, before reading, else while reading (counted decoded: a small compressed answer
    can unpack to any size); and given up once it has taken `seconds` without ending."""
    limit = MAX_ANSWER_BYTES
    announced = response.headers.get("Content-Length", "")
    if announced.isdigit() and int(announced) > limit:
        raise _too_large(limit, where)
    deadline = time.monotonic() + seconds
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > limit:
            raise _too_large(limit, where)
        if time.monotonic() > deadline:
            raise CensusApiError(f"the Census API's answer was still arriving after {seconds:g} s "
                                 f"({len(body):,} bytes so far): given up ({where})")
    return bytes(body)


def _too_large(limit: int, where: str) -> CensusApiError:
    return CensusApiError(f"the Census API's answer is over {limit / 2**20:g} MB, far more than a real answer "
                          f"has: refused ({where})")


def _pause(response: httpx.Response, default: float) -> float:
    retry_after = response.headers.get("Retry-After", "")
    if retry_after.isdigit():
        return min(float(retry_after), 60.0)
    return default


def _reason(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text and text[0] else type(error).__name__
