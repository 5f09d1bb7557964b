"""Every shipped reference document validates through its model, and the model keeps the
document as written (what the seed stores and hashes is what the file says)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.data.documents import to_json
from app.data.dossier_rules import DossierRuleSet
from app.data.dossiers import _document, shipped_rule_sets
from app.data.profile_document import ProfileDocument
from app.data.rules import profile_documents


@pytest.mark.parametrize(("name", "document"), profile_documents())
def test_each_shipped_profile_file_validates(name: str, document: dict[str, object]) -> None:
    model = ProfileDocument.model_validate(document)
    assert model.as_json() == to_json(document), name
    # the JSON form (as stored, as an admin sends it) validates to the same document
    assert ProfileDocument.model_validate(model.as_json()) == model


def test_every_jurisdiction_file_holds_its_reporting_calendar() -> None:
    with_reporting = {d["profile"]["code"] for _, d in profile_documents() if "reporting" in d}
    assert with_reporting == {d["profile"]["code"] for _, d in profile_documents()}


def test_each_shipped_dossier_rule_set_validates() -> None:
    sets = shipped_rule_sets()
    assert [s.code for s in sets] == ["nd-61-2018", "nd-118-2025", "nd-118-2025-nd-309-2026"]
    for rule_set, row in zip(sets, _document()["rules"], strict=True):
        assert rule_set.model_dump(exclude_unset=True) == row
        assert DossierRuleSet.model_validate(rule_set.as_json()) == rule_set


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"effective_from": "2025-02-30"}, "effective_from"),
        ({"supplement_request": {"amount": "3"}}, "supplement_request.amount"),
        ({"apology": {"roll": "sideways"}}, "apology.roll"),
        ({"colour": "red"}, "colour"),
        ({"effective_to": "2018-01-01"}, ""),
    ],
)
def test_a_bad_rule_set_names_its_field(change: dict[str, object], field: str) -> None:
    document = shipped_rule_sets()[1].as_json()
    for key, value in change.items():
        if isinstance(value, dict):
            document[key] = document[key] | value
        else:
            document[key] = value
    with pytest.raises(ValidationError) as error:
        DossierRuleSet.model_validate(document)
    assert ".".join(str(p) for p in error.value.errors()[0]["loc"]) == field
