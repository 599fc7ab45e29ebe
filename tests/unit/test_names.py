import pytest
from hypothesis import given
from hypothesis import strategies as st

from tisc.rules.names import normalise_supplier_name


@pytest.mark.parametrize(
    "spellings",
    [
        ["ACME LTD", "Acme Limited", "ACME LIMITED.", "acme ltd", "The Acme Ltd"],
        ["Smith & Sons plc", "SMITH AND SONS PUBLIC LIMITED COMPANY", "Smith and Sons PLC."],
        ["Café Nero Ltd", "CAFE NERO LIMITED"],
    ],
)
def test_spellings_of_one_supplier_share_a_key(spellings: list[str]) -> None:
    keys = {normalise_supplier_name(name) for name in spellings}
    assert len(keys) == 1, keys


def test_different_suppliers_keep_different_keys() -> None:
    assert normalise_supplier_name("Acme Ltd") != normalise_supplier_name("Acme Cleaning Ltd")
    assert normalise_supplier_name("Theatre Ltd") == "theatre ltd"  # "The" only as a word


@given(st.text(max_size=80))
def test_normalising_twice_changes_nothing(name: str) -> None:
    once = normalise_supplier_name(name)
    assert normalise_supplier_name(once) == once


def test_a_web_address_name_is_made_from_a_name() -> None:
    from tisc.rules.names import web_address_name

    assert web_address_name("West Yorkshire Police") == "west-yorkshire-police"
    assert web_address_name("  Ça — Police & Crime  Commissioner! ") == (
        "ca-police-and-crime-commissioner"
    )
    assert web_address_name("!!!") == ""
    long = web_address_name("word " * 40)
    assert len(long) <= 80 and long.endswith("word") and "--" not in long
