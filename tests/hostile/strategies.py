"""Hostile values for form fields and query parameters."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

# Values a careless or malicious client sends: injection snippets, markup, control characters, NUL
# (PostgreSQL refuses it in text), numbers and dates out of range or of the wrong type, huge text.
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n\t\x0b\x0c\x1b[31m",
    "' OR '1'='1",
    "1; DROP TABLE members_kommun; --",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "%s%s%s%n",
    "../../../../etc/passwd",
    "javascript:alert(1)",
    "-1",
    "0",
    "1e309",
    "NaN",
    "-Infinity",
    "99999999999999999999999999999999",
    "-9223372036854775809",
    "3.5",
    "1,5",
    "0x1F",
    "2024-02-30",
    "0000-00-00",
    "9999-12-31",
    "31/12/2024",
    "2024-13-01T25:61",
    "true",
    "on",
    "null",
    "[]",
    "{}",
    "Åsa Ödmann-Ängström",
    "𝕳𝖊𝖑𝖑𝖔 🏭\u202e\u200b",
    "ﷺ" * 50,
    "A" * 100_000,
]

text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=8),  # control characters only
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates().map(str),
)
value = st.one_of(text, st.lists(text, min_size=2, max_size=3))  # a list: the field sent several times

upload = st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    st.one_of(
        st.sampled_from(["a.pdf", "a.xlsx", "a.csv", "a.exe", "..\\..\\x.pdf", "noext", ".pdf", "ä ö.PDF"]),
        st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=20),
    ),
    st.one_of(
        st.binary(max_size=200),
        st.sampled_from([b"MZ\x90\x00" + b"\x00" * 60, b"\x7fELF\x02\x01\x01", b"%PDF-1.4\n", b"PK\x03\x04"]),
    ),
)

extra_name = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-[]0123456789", min_size=1, max_size=12)


def form_data(fields: set[str], files: set[str]) -> st.SearchStrategy[dict]:
    """Any subset of the form's fields (missing fields), hostile values, plus unknown extra fields."""
    known = st.fixed_dictionaries(
        {},
        optional={**dict.fromkeys(sorted(fields), value), **dict.fromkeys(sorted(files), upload)},
    )
    extra = st.dictionaries(extra_name, value, max_size=2)
    return st.builds(lambda k, e: {**e, **k}, known, extra)


def query(params: set[str]) -> st.SearchStrategy[dict]:
    known = st.fixed_dictionaries({}, optional=dict.fromkeys(sorted(params), value))
    extra = st.dictionaries(extra_name, text, max_size=1)
    return st.builds(lambda k, e: {**e, **k}, known, extra)
