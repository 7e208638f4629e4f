"""A local stand-in for the Census International Trade API, for tests and benchmarks.

CensusServer runs a real HTTP/1.1 server on 127.0.0.1 in a thread and answers the
queries tradegap makes (exports/hs and imports/hs, by partner or with COMM_LVL=HS2)
in the API's format: a JSON array of arrays of strings, the header first (the get
variables, then every predicate echoed), values in whole dollars, HTTP 204 with an
empty body when there is no data, 400 with a text body for a bad query.

Its rows come from a CensusStore: small fixture files of real values
(tests/fixtures/census/), or the shipped dataset extended by one synthetic month
(CensusStore.from_dataset), which is what a full update needs. A Fault makes the
server misbehave in one of the ways tradegap must survive.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pandas as pd

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "census"
VALUE_VARIABLES = {
    "exports": {"ALL_VAL_MO": "value", "ALL_VAL_YR": "year_to_date", "E_COMMODITY": "commodity"},
    "imports": {"GEN_VAL_MO": "value", "GEN_VAL_YR": "year_to_date", "I_COMMODITY": "commodity"},
}
COLUMNS = ["code", "name", "time", "commodity", "value", "year_to_date"]
#: Census API aggregate codes and the groups of the dataset whose members they sum
API_AGGREGATES = {"0003": "0003", "0014": "0014", "0017": "0017", "0020": "0010", "0027": "ASEAN",
                  "4XXX": "0012", "5XXX": "0016", "6XXX": "0018", "7XXX": "0013"}


@dataclass
class CensusStore:
    """Rows per flow: partner months (commodity '-') and chapter year-to-dates (commodity '01'..'99')."""

    partners: dict[str, pd.DataFrame]
    chapters: dict[str, pd.DataFrame]

    @classmethod
    def from_directory(cls, directory: Path = FIXTURES) -> CensusStore:
        """{flow}-partners.csv and {flow}-chapters.csv, columns as COLUMNS."""
        def read(name: str) -> pd.DataFrame:
            path = Path(directory) / name
            if not path.exists():
                return pd.DataFrame(columns=COLUMNS)
            return pd.read_csv(path, dtype=str, keep_default_na=False)

        return cls(partners={flow: read(f"{flow}-partners.csv") for flow in VALUE_VARIABLES},
                   chapters={flow: read(f"{flow}-chapters.csv") for flow in VALUE_VARIABLES})

    @classmethod
    def from_dataset(cls, data_dir: Path, first_year: int = 2025, new_months: int = 1,
                     chapters_since: int = 2013) -> CensusStore:
        """The dataset's partner months from first_year, then new_months synthetic months after its latest
        (each the month before, exports +3% and imports -2%, rounded to $100,000), and chapter year-to-dates
        from chapters_since that add up to the partners' totals (each partner's chapter shares of its 2024
        sectors, else the world's)."""
        from tui.pipeline.dataset_files import read_dataset_tables

        tables = read_dataset_tables(data_dir)
        partners, monthly, annual = tables["partners"], tables["monthly"], tables["annual"]
        places = partners[partners["kind"].isin(["country", "former", "unallocated"])]
        names = dict(zip(places["code"], places["census_name"].str.upper(), strict=True))
        members = tables["group_members"].fillna("")
        months = monthly[monthly["code"].isin(names) & (monthly["year"] >= first_year)].copy()
        latest_year = int(months["year"].max())
        latest_month = int(months.loc[months["year"] == latest_year, "month"].max())
        year, month = latest_year, latest_month
        for _ in range(new_months):
            previous = months[(months["year"] == year) & (months["month"] == month)]
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            added = previous.assign(year=year, month=month,
                                    exports=np.rint(previous["exports"] * 1.03),
                                    imports=np.rint(previous["imports"] * 0.98))
            months = pd.concat([months, added], ignore_index=True)
        complete = annual[annual["code"].isin(names)].set_index(["code", "year"])

        store_partners, store_chapters = {}, {}
        for flow in VALUE_VARIABLES:
            rows = months[["code", "year", "month", flow]].rename(columns={flow: "tenths"})
            rows["value"] = rows["tenths"].astype("int64") * 100_000
            rows = rows.sort_values(["code", "year", "month"])
            rows["year_to_date"] = rows.groupby(["code", "year"])["value"].cumsum()
            # December's year to date: Census's annual column, as the country file has it
            december = rows["month"] == 12
            keys = list(zip(rows.loc[december, "code"], rows.loc[december, "year"], strict=True))
            rows.loc[december, "year_to_date"] = [int(complete.loc[key, flow]) * 100_000 for key in keys]
            aggregates = with_aggregates(rows.iloc[:0], members, names, ["year", "month"], ["value"], rows)
            aggregates = aggregates.sort_values(["code", "year", "month"])
            aggregates["year_to_date"] = aggregates.groupby(["code", "year"])["value"].cumsum()
            rows = pd.concat([rows, aggregates], ignore_index=True)
            rows["time"] = [f"{y}-{m:02d}" for y, m in zip(rows["year"], rows["month"], strict=True)]
            rows["commodity"] = "-"
            rows["name"] = rows["code"].map(names).fillna(rows["code"].map(aggregate_names()))
            store_partners[flow] = as_text(rows)
            store_chapters[flow] = as_text(chapter_rows(tables, months, names, members, flow, chapters_since,
                                                        (year, month)))
        return cls(partners=store_partners, chapters=store_chapters)

    def write(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for flow in VALUE_VARIABLES:
            self.partners[flow].to_csv(directory / f"{flow}-partners.csv", index=False)
            self.chapters[flow].to_csv(directory / f"{flow}-chapters.csv", index=False)


def aggregate_names() -> dict[str, str]:
    return {"-": "TOTAL FOR ALL COUNTRIES", "0003": "EUROPEAN UNION", "0014": "PACIFIC RIM COUNTRIES",
            "0017": "CAFTA-DR", "0020": "USMCA (NAFTA)", "0027": "ASEAN", "4XXX": "EUROPE", "5XXX": "ASIA",
            "6XXX": "AUSTRALIA AND OCEANIA", "7XXX": "AFRICA"}


def with_aggregates(rows: pd.DataFrame, members: pd.DataFrame, places: dict[str, str],
                    keys: list[str], values: list[str], source: pd.DataFrame | None = None) -> pd.DataFrame:
    """rows plus the API's aggregates ('-' and API_AGGREGATES), summed from their members in source (rows):
    each month (keys has year and month) the members of that month, as group_members dates them."""
    from tui.pipeline.assemble import membership_frame

    source = rows if source is None else source
    parts = [rows]
    spans = membership_frame(members)
    month = source["year"] * 100 + source["month"]
    parts.append(source[source["code"].isin(places)].groupby(keys, as_index=False)[values].sum().assign(code="-"))
    for api_code, group in API_AGGREGATES.items():
        group_spans = spans[spans["group"] == group]
        joined = source.assign(month_number=month).merge(group_spans[["code", "first", "last"]], on="code")
        joined = joined[(joined["month_number"] >= joined["first"]) & (joined["month_number"] <= joined["last"])]
        summed = joined.groupby(keys, as_index=False)[values].sum()
        parts.append(summed.assign(code=api_code))
    return pd.concat(parts, ignore_index=True)


def chapter_rows(tables: dict, months: pd.DataFrame, names: dict[str, str], members: pd.DataFrame,
                 flow: str, since: int, latest: tuple[int, int]) -> pd.DataFrame:
    """Chapter year-to-dates for every place and year from since, summing to the partner's total."""
    sectors = tables["sectors"]
    share_year = sectors[sectors["year"] == 2024]
    column = f"{flow}_k"
    world = share_year[share_year["code"] == "WORLD"].set_index("chapter")[column].astype("float64")
    world = world / world.sum()
    shares = {code: frame.set_index("chapter")[column].astype("float64")
              for code, frame in share_year[share_year["code"].isin(names)].groupby("code")}
    annual = tables["annual"]
    totals = annual[annual["code"].isin(names) & (annual["year"] >= since) & (annual["months"] == 12)]
    totals = {(c, int(y)): int(v) * 100_000 for c, y, v in zip(totals["code"], totals["year"], totals[flow],
                                                                strict=True)}
    latest_year, latest_month = latest
    totals = {key: value for key, value in totals.items() if key[1] < latest_year or latest_month == 12}
    if latest_month < 12:
        partial = months[(months["year"] == latest_year) & (months["month"] <= latest_month)]
        for code, value in partial.groupby("code")[flow].sum().items():
            totals[(code, latest_year)] = int(value) * 100_000
    normalized: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # per place, once: (chapters, shares summing to 1)
    for code in {code for code, _ in totals}:
        share = shares.get(code)
        if share is None or share.sum() <= 0:
            share = world
        share = share[share > 0] / share[share > 0].sum()
        normalized[code] = (share.index.to_numpy(), share.to_numpy())
    records = []
    for (code, year), total in totals.items():
        if total <= 0:
            continue
        chapters, fractions = normalized[code]
        values = np.floor(fractions * total).astype("int64")
        values[int(np.argmax(values))] += total - int(values.sum())
        month = latest_month if year == latest_year else 12
        records += [(code, year, month, int(chapter), int(value))
                    for chapter, value in zip(chapters, values, strict=True) if value > 0]
    rows = pd.DataFrame(records, columns=["code", "year", "month", "chapter", "year_to_date"])
    rows = with_aggregates(rows, members, names, ["year", "month", "chapter"], ["year_to_date"])
    rows["time"] = [f"{y}-{m:02d}" for y, m in zip(rows["year"], rows["month"], strict=True)]
    rows["commodity"] = [f"{c:02d}" for c in rows["chapter"]]
    rows["value"] = ""
    rows["name"] = rows["code"].map(names).fillna(rows["code"].map(aggregate_names()))
    return rows


def as_text(rows: pd.DataFrame) -> pd.DataFrame:
    result = rows.reindex(columns=COLUMNS).fillna("")
    for column in COLUMNS:
        result[column] = result[column].astype(str)
    return result.sort_values(["time", "code", "commodity"]).reset_index(drop=True)


# ---------------------------------------------------------------- faults


@dataclass
class Fault:
    """How to misbehave, and for which requests (when: the query -> bool; times: how many, 0 for all)."""

    # status | slow | empty | malformed | no-column | text-in-number | some-partners | cut-off | hang
    # | endless ('[' after '[', for `size` bytes or, when 0, until the client hangs up)
    # | oversized (a length of `size` bytes announced, then nothing sent) | redirect (to `location`)
    # | trickle (a byte of the answer every `delay` seconds, until the client hangs up or the server stops;
    #   gzip-compressed when the client accepts it, the bytes then a file name that never ends)
    kind: str
    status: int = 500
    delay: float = 0.0
    size: int = 0
    location: str = ""
    when: Callable[[dict[str, str]], bool] = field(default=lambda query: True)
    times: int = 0
    used: int = 0

    def applies(self, query: dict[str, str]) -> bool:
        if self.times and self.used >= self.times:
            return False
        if not self.when(query):
            return False
        self.used += 1
        return True


def data_query(query: dict[str, str]) -> bool:
    """Not the probe for the newest month (which asks for the total only)."""
    return query.get("CTY_CODE") != "-"


def chapter_query(query: dict[str, str]) -> bool:
    return query.get("COMM_LVL") == "HS2"


# ---------------------------------------------------------------- the server


class CensusServer:
    """with CensusServer(store) as server: ... server.url is the API's base URL."""

    def __init__(self, store: CensusStore, fault: Fault | None = None) -> None:
        self.store = store
        self.fault = fault
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.release = threading.Event()  # a 'hang' fault waits for it
        self._index = {kind: {flow: {t: frame for t, frame in rows.groupby("time")} for flow, rows in frames.items()}
                       for kind, frames in (("partners", store.partners), ("chapters", store.chapters))}
        handler = type("Handler", (_Handler,), {"server_state": self})
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._http.daemon_threads = True
        # a short poll: shutdown() waits for the serving loop to look, every 0.5 s by default
        self._thread = threading.Thread(target=self._http.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="census-server", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> CensusServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release.set()
        self._http.shutdown()
        self._http.server_close()

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, bytes, str]:
        """(status, body, content type) for a query."""
        match = re.fullmatch(r"/(exports|imports)/hs", path.rstrip("/"))
        if not match:
            return 404, b"error: unknown dataset", "text/plain"
        flow = match.group(1)
        if "get" not in query:
            return 400, b"error: missing 'get' clause", "text/plain"
        if "time" not in query:
            return 400, b"error: the 'time' predicate is required", "text/plain"
        variables = query["get"].split(",")
        known = {"CTY_CODE": "code", "CTY_NAME": "name", **VALUE_VARIABLES[flow]}
        if unknown := [v for v in variables if v not in known]:
            return 400, f"error: unknown variable '{unknown[0]}'".encode(), "text/plain"
        times = months_of(query["time"])
        if times is None:
            return 400, f"error: invalid time '{query['time']}'".encode(), "text/plain"
        kind = "chapters" if query.get("COMM_LVL") == "HS2" else "partners"
        frames = [self._index[kind][flow][t] for t in times if t in self._index[kind][flow]]
        if not frames:
            return 204, b"", "application/json"
        rows = pd.concat(frames, ignore_index=True)
        if "CTY_CODE" in query:
            rows = rows[rows["code"] == query["CTY_CODE"]]
        if rows.empty:
            return 204, b"", "application/json"
        predicates = [name for name in query if name not in ("get", "key")]
        header = variables + predicates
        echoed = {"time": rows["time"].tolist(), "COMM_LVL": ["HS2"] * len(rows),
                  "CTY_CODE": rows["code"].tolist()}
        columns = [rows[known[v]].tolist() for v in variables] + [echoed.get(p, [query[p]] * len(rows))
                                                                  for p in predicates]
        table = [header] + [list(row) for row in zip(*columns, strict=True)]
        return 200, json.dumps(table).encode(), "application/json;charset=utf-8"


def months_of(text: str) -> list[str] | None:
    single = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if single:
        return [text.strip()]
    ranged = re.fullmatch(r"from\s+(\d{4})-(\d{2})\s+to\s+(\d{4})-(\d{2})", text.strip())
    if not ranged:
        return None
    year, month, last_year, last_month = (int(g) for g in ranged.groups())
    months = []
    while (year, month) <= (last_year, last_month):
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real API
    server_state: CensusServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
        pass

    def handle(self) -> None:
        # the client may have given up first (a read timeout): nothing to say about it
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()

    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        state = self.server_state
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        state.requests.append((parts.path, query))
        fault = state.fault if state.fault is not None and state.fault.applies(query) else None
        if fault and fault.kind == "hang":
            state.release.wait(30)
        if fault and fault.kind == "slow":
            time.sleep(fault.delay)
        if fault and fault.kind == "endless":
            self._send_endless(fault.size)
            return
        if fault and fault.kind == "trickle":
            self._send_trickle(fault.delay)
            return
        if fault and fault.kind == "oversized":
            self.send_response(200)
            self.send_header("Content-Type", "application/json;charset=utf-8")
            self.send_header("Content-Length", str(fault.size))
            self.end_headers()
            self.wfile.flush()
            state.release.wait(30)  # a client that reads the body waits here until its read timeout
            self.close_connection = True
            return
        if fault and fault.kind == "redirect":
            self.send_response(302)
            self.send_header("Location", fault.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if fault and fault.kind == "status":
            self._send(fault.status, b"Service unavailable" if fault.status >= 500 else b"Too many requests",
                       "text/plain")
            return
        status, body, content_type = state.answer(parts.path, query)
        if fault and status == 200:
            status, body = self._spoil(fault, body)
        if fault and fault.kind == "cut-off" and status == 200:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        self._send(status, body, content_type)

    def _send_endless(self, size: int) -> None:
        """'[' in chunks: size bytes, or until the client hangs up or the server stops when size is 0."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"[" * 65536
        framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        sent = 0
        while not self.server_state.release.is_set() and (size == 0 or sent < size):
            self.wfile.write(framed)  # BrokenPipeError once the client has hung up: handle() ends quietly
            sent += len(chunk)
        self.wfile.write(b"0\r\n\r\n")
        self.close_connection = True

    def _send_trickle(self, delay: float) -> None:
        """One byte at a time, each well inside any read timeout, never ending while the client listens."""
        compressed = "gzip" in self.headers.get("Accept-Encoding", "")
        self.send_response(200)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        if compressed:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if compressed:  # a gzip header with a file name (flag 8): what follows is its name, no data ever
            header = b"\x1f\x8b\x08\x08" + b"\x00" * 6
            self.wfile.write(f"{len(header):x}\r\n".encode() + header + b"\r\n")
        ends = time.monotonic() + 10  # a client that does not give up fails its test, rather than hang it
        while not self.server_state.release.wait(delay) and time.monotonic() < ends:
            self.wfile.write(b"1\r\n \r\n")  # BrokenPipeError once the client has hung up: handle() ends quietly
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")
        self.close_connection = True

    def _spoil(self, fault: Fault, body: bytes) -> tuple[int, bytes]:
        if fault.kind == "empty":
            return 204, b""
        if fault.kind == "malformed":
            return 200, body[: max(1, len(body) // 3)] + b"<html>"
        table = json.loads(body)
        if fault.kind == "no-column":
            value_columns = [i for i, name in enumerate(table[0]) if name.endswith(("_MO", "_YR"))]
            drop = value_columns[0]
            table = [row[:drop] + row[drop + 1:] for row in table]
        elif fault.kind == "text-in-number":
            column = next(i for i, name in enumerate(table[0]) if name.endswith(("_MO", "_YR")))
            table[len(table) // 2][column] = "(D)"
        elif fault.kind == "some-partners":
            times = [row[table[0].index("time")] for row in table[1:]] if "time" in table[0] else []
            newest = max(times) if times else None
            code = table[0].index("CTY_CODE")
            kept = {"-", "5700", "2010", "1220", "5520"}
            table = [table[0]] + [row for row in table[1:]
                                  if newest is None or row[table[0].index("time")] != newest or row[code] in kept]
        return 200, json.dumps(table).encode()

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        if status != 204:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)


def main() -> None:
    """python tests/census_server.py STORE_DIR: serve a stored CensusStore until interrupted; prints the URL."""
    import sys

    store = CensusStore.from_directory(Path(sys.argv[1]))
    with CensusServer(store) as server:
        print(server.url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
