"""The endpoint helper's query reading (app/api/kit/endpoint.py) gives what the standard parser
gives, for any query string."""

from __future__ import annotations

from urllib.parse import parse_qsl

from hypothesis import given
from hypothesis import strategies as st

from app.api.kit.endpoint import query_values

_PARTS = st.text(alphabet="abz09-_.=&%+;~ T:", max_size=40)


@given(_PARTS)
def test_query_values_are_the_standard_parser_s(text: str) -> None:
    assert query_values(text.encode("latin-1")) == dict(parse_qsl(text, keep_blank_values=True))
