"""Hypothesis strategies for files people should not upload but will: random bytes, broken CSV, wrong
columns, NUL characters, huge and negative numbers, impossible dates and several encodings in one file."""

import io
import zipfile

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Bounded so each importer's run stays well under twenty seconds.
FUZZ_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

AWKWARD_CELLS = [
    "",
    "\x00",
    "a\x00b",
    "-1",
    "-0",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "1e308",
    "NaN",
    "inf",
    "2024-02-30",
    "31/13/2024",
    "0000-00-00",
    "2024-05-10T25:61:00",
    '"',
    '"unclosed',
    "=1+1",
    "\r",
    "\ufeff",
    "ÿþ",
    "🙂",
]

cells = st.one_of(
    st.sampled_from(AWKWARD_CELLS),
    st.text(max_size=12),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]


@st.composite
def delimited_text(draw: st.DrawFn, columns: list[str]) -> bytes:
    """A CSV-like file: some of the right columns and some wrong ones, ragged rows, each line in any encoding."""
    header = draw(st.lists(st.one_of(st.sampled_from(columns), st.text(max_size=8)), max_size=len(columns) + 2))
    rows = draw(st.lists(st.lists(cells, max_size=len(header) + 2), max_size=8))
    lines = [",".join(header), *(",".join(row) for row in rows)]
    return b"\n".join(line.encode(draw(st.sampled_from(ENCODINGS)), errors="replace") for line in lines)


def bad_files(columns: list[str]) -> st.SearchStrategy[bytes]:
    """Random bytes, or a broken spreadsheet with some of ``columns``."""
    return st.one_of(st.binary(max_size=2_000), delimited_text(columns))


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=False),
        st.sampled_from(AWKWARD_CELLS),
        st.text(max_size=12),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
