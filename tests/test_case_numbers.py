"""Decision data without the app: case numbers (ASCII only, leading zeros kept, suggestions),
registry codes and the decision-date rule."""

from __future__ import annotations

import datetime as dt

import pytest

from survey.organisations.services import OrganisationError, format_registry_codes
from survey.responses.case_numbers import check, parse_registry_codes, registry_code_warning
from survey.responses.decisions import decision_date_problem, earliest_decision_date


@pytest.mark.parametrize("number", [
    "ASN-2019-17557", "STK-2023-138", "SN-2018-1996", "GYVF-2022-1941-15", "ÅÄÖ-2024-1",
    "STK-2018-074", "MKB-2024-000015", "TN-2024-0015-07", " ASN-2024-1187 ",
])
def test_valid_case_numbers(number):
    assert check(number).valid


@pytest.mark.parametrize(("number", "suggestion"), [
    ("STK 2018-74", "STK-2018-74"),
    ("stk-2018-074", "STK-2018-074"),  # upper case; the zero is kept as typed
    ("TN-٢٠٢٤-15", "TN-2024-15"),  # Arabic-Indic digits, converted deliberately
    ("TN-۲۰۲۴-15", "TN-2024-15"),  # Extended Arabic-Indic (Persian) digits
    ("STK-²⁰²⁴-74", "STK-2024-74"),  # superscripts
    ("ＡＳＮ-２０２４-１", "ASN-2024-1"),  # fullwidth letters and digits
    ("GYVF–2022–1941–15", "GYVF-2022-1941-15"),
])
def test_near_misses_are_refused_with_an_ascii_suggestion(number, suggestion):
    result = check(number)
    assert not result.valid
    assert result.suggestion == suggestion
    assert result.message.endswith(f"Menade du {suggestion}?")
    assert result.suggestion.isascii() or set(result.suggestion) & set("ÅÄÖ")


@pytest.mark.parametrize(("number", "named"), [
    ("TN-٢٠٢٤-15", "٢ ٠ ٤"), ("STK-²⁰²⁴-74", "² ⁰ ⁴"), ("ＡＳＮ-2024-1", "Ａ Ｓ Ｎ"),
])
def test_look_alike_characters_are_named(number, named):
    assert check(number).message.startswith(
        f"Diarienumret får bara ha bokstäverna A–Ö och siffrorna 0–9, inte {named}.")


@pytest.mark.parametrize("number", [
    "STK-2018-0", "STK-2018-000", "STK-18-74", "STK-2018-1234567", "S-2018-74",
    "STKABC-2018-74", "STK-2018-74-12345", "STK/2018/74x", "АSN-2024-1",  # Cyrillic А
    "STK-2018-74\x00", "TN-2024-15\ud800",
])
def test_malformed_case_numbers_are_refused_without_suggestion(number):
    result = check(number)
    assert not result.valid and result.suggestion is None
    assert "Skriv det som KOD-ÅÅÅÅ-löpnummer" in result.message


def test_empty_case_number_is_asked_for():
    assert check("  ").message == "Ange diarienummer."


@pytest.mark.parametrize(("text", "codes"), [
    ("", []), (None, []), ("STK", ["STK"]), ("stk, ks", ["STK", "KS"]),
    ("STK;KS  STK", ["STK", "KS"]), ("gyvf,", ["GYVF"]),
])
def test_registry_codes_are_parsed(text, codes):
    assert parse_registry_codes(text) == codes


def test_registry_codes_are_stored_in_one_form():
    assert format_registry_codes(" stk  ks,STK ") == "STK, KS"
    assert format_registry_codes("") == ""


@pytest.mark.parametrize("text", ["S", "STKABC", "ST1", "ＳＴＫ", "S-K"])
def test_a_registry_code_is_two_to_five_capitals(text):
    with pytest.raises(OrganisationError, match="är ingen diariekod"):
        format_registry_codes(text)


@pytest.mark.parametrize(("number", "codes", "warned"), [
    ("ASN-2024-1187", ["ASN"], False),
    ("ASN-2024-1187", [], False),  # no known code: nothing to compare with
    ("ASN-2024-1187", ["GSN"], True),
    ("STK-2024-1", ["STK", "KS"], False),
    ("KS-2024-1", ["STK", "KS"], False),
    ("asn 2024 1", ["GSN"], False),  # not a valid number: the format error says it
])
def test_registry_code_warning(number, codes, warned):
    warning = registry_code_warning(number, codes, "nämndens")
    assert (warning is not None) == warned
    if warned:
        assert warning == ("Diarienumrets kod ASN hör inte till nämndens kända diariekoder "
                           "(GSN). Kontrollera att numret är rätt.")


@pytest.mark.parametrize(("decided", "problem"), [
    (dt.date(2023, 1, 1), None),
    (dt.date(2025, 2, 20), None),
    (dt.date(2022, 12, 31),
     "Beslutsdatum kan inte ligga före 2023-01-01 i omgången för 2024."),
    (dt.date(2025, 3, 2), "Beslutsdatum kan inte ligga i framtiden."),
])
def test_decision_date_rule(decided, problem):
    assert decision_date_problem(decided, 2024, today=dt.date(2025, 3, 1)) == problem
    assert earliest_decision_date(2024) == dt.date(2023, 1, 1)
