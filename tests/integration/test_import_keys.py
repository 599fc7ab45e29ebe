"""Line keys and per-supplier texts of an import: pure functions of the lines (no database)."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tisc.services.register.matching import latest_texts, payment_texts_of
from tisc.services.register.spend_lines import KEY_FIELDS, line_keys

texts = st.sampled_from(["", "Paper", "paper", "Café £5", "A, B", " x", "T0001", "T0002"])
lines = st.lists(
    st.tuples(texts, texts, texts, st.integers(-(10**12), 10**12), texts, texts), max_size=40
)


def stored_keys(frame: pd.DataFrame) -> np.ndarray:
    """The formula every stored key was made with: a new import's keys must equal it."""
    content = pd.util.hash_pandas_object(frame[list(KEY_FIELDS)], index=False)
    repeat = content.groupby(content).cumcount()
    combined = pd.util.hash_pandas_object(
        pd.DataFrame({"content": content.to_numpy(), "repeat": repeat.to_numpy()}), index=False
    )
    return combined.to_numpy().view(np.int64)


def frame_of(rows: list[tuple]) -> pd.DataFrame:
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in KEY_FIELDS]
    return pd.DataFrame(
        {
            name: pd.Series(list(values), dtype="int64" if name == "amount_pence" else object)
            for name, values in zip(KEY_FIELDS, columns, strict=True)
        }
    )


@settings(max_examples=200)
@given(lines)
def test_line_keys_are_the_keys_earlier_imports_stored(rows: list[tuple]) -> None:
    frame = frame_of(rows)
    assert line_keys(frame).tolist() == stored_keys(frame).tolist()


def test_repeated_lines_get_keys_of_their_own() -> None:
    row = ("T1", "acme", "2024-04-01", 1234, "", "CC1")
    keys = line_keys(frame_of([row, row, row]))
    assert len(set(keys.tolist())) == 3
    # The second repeat in another file is the second repeat here.
    assert line_keys(frame_of([row, row])).tolist() == keys[:2].tolist()


def test_latest_texts_are_each_suppliers_last_non_empty_text() -> None:
    frame = pd.DataFrame(
        {
            "identity": ["new:a", "new:b", "new:a", "new:a", "id:7", "new:b"],
            "category_text": ["Paper", "Ink", "Pens", "", None, np.nan],
        },
        dtype=object,
    )
    assert latest_texts(frame, "category_text") == {"new:a": "Pens", "new:b": "Ink"}
    assert latest_texts(frame, "description") == {}


def test_payment_texts_join_each_suppliers_newest_texts() -> None:
    frame = pd.DataFrame(
        {
            "identity": ["new:a", "new:a", "new:b", "new:c"],
            "cost_centre": ["CC1", "CC2", "", ""],
            "description": ["Pens", "", "Ink  cartridges", ""],
        },
        dtype=object,
    )
    assert payment_texts_of(frame) == {
        "new:a": "cost centre\tCC2\ndescription\tPens",
        "new:b": "description\tInk cartridges",
    }
