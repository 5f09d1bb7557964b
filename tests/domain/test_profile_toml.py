"""A profile document written as TOML reads back as the same document."""

from __future__ import annotations

import tomllib

from hypothesis import given, settings
from hypothesis import strategies as st

from app.data.documents import from_json
from app.data.profile_toml import profile_toml

TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40)


@settings(max_examples=100, deadline=None)
@given(title=TEXT, phrase=TEXT, day=st.integers(min_value=1, max_value=31))
def test_toml_reads_back_as_the_document(title: str, phrase: str, day: int) -> None:
    document = {
        "schema": 1,
        "version": 1,
        "profile": {
            "code": "x-2025",
            "name_vi": title,
            "effective_from": "2025-01-15",
            "source": {"title": title, "signed": "2025-01-15"},
        },
        "rule": [
            {
                "code": "x-2025.1",
                "title_vi": title,
                "phrases_vi": [phrase, 'a "quoted" \\ line\nnext'],
                "recurrence": {"frequency": "monthly", "day": day, "last_month": False},
                "fixed_date": "2025-03-15",
            }
        ],
    }
    written = profile_toml(document, {"": [title], "x-2025.1": [phrase]})
    assert tomllib.loads(written) == from_json(document)
