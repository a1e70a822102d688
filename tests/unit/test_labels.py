import pytest

from annotator.common.errors import InvalidInput
from annotator.projects import labels


def test_label_names_are_stripped_short_and_storable():
    assert labels.label_name_normal("  CLAIM \n") == "CLAIM"
    assert labels.label_name_clean("  CLAIM ") == "CLAIM"
    assert labels.label_name_clean("x" * 100) == "x" * 100
    assert labels.label_name_fits("x" * 100)
    assert not labels.label_name_fits("x" * 101)
    assert not labels.label_name_fits("")
    with pytest.raises(InvalidInput) as blank:
        labels.label_name_clean("   ")
    assert (blank.value.message, blank.value.fields) == (
        "name may not be blank",
        {"name": ["may not be blank"]},
    )
    with pytest.raises(InvalidInput) as long:
        labels.label_name_clean("x" * 101, "label")
    assert long.value.fields == {"label": ["at most 100 characters"]}
    with pytest.raises(InvalidInput) as nul:
        labels.label_name_clean("a\x00b")
    assert nul.value.message == "name contains a NUL character"
