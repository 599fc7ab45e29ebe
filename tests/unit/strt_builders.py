"""Completed Slavery and Trafficking Risk Templates made in memory for the tests.

No real template was at hand, so these follow its published description: questions in column
B, answers in column C, numbers in column A, on more than one sheet, with a sheet that has
nothing to do with the questions, and the odd spacing and capitals people type.
"""

from __future__ import annotations

from tests.unit.spendfiles.builders import xlsx_bytes

POLICY = "Does your company have a  POLICY prohibiting slavery and human trafficking?"
CONTRACTS = (
    "Does your company require its direct suppliers, by contract or code of conduct, to comply "
    "with your policy on slavery and trafficking?"
)
RISK = "Has your company assessed the risk of slavery in its supply chain?"
FEES = "Do workers pay recruitment fees to your company or its recruiters?"
TRAINING = "Does your company train its employees on slavery and human trafficking?"
GRIEVANCE = "Does your company provide a grievance mechanism for workers?"
CONFLICT = "Has your company been the subject of legal action for conflict minerals?"
BLANK = "Does your company audit its suppliers for compliance with your policy?"


def strt_rows() -> dict[str, list[list[object]]]:
    """An introduction, two sheets of questions and answers, and a list of countries."""
    return {
        "Instructions": [
            ["Slavery and Trafficking Risk Template"],
            [None, "Answer every question in column C. Questions marked * need documents."],
        ],
        "Questions 1": [
            [None, "Question", "Answer"],
            ["1.", POLICY, "Yes"],
            ["2.", "  " + CONTRACTS, "partially "],
            ["3", RISK.upper(), "No"],
            ["4", CONFLICT, "No"],
        ],
        "Questions 2": [
            ["Q5", FEES, "NO - we pay all costs ourselves"],
            ["Q6", TRAINING, "Yes"],
            ["Q7", GRIEVANCE, "We have an HR inbox"],
            ["Q8", BLANK, None],
        ],
        "Countries": [["Country", "Risk"], ["France", "Low"], ["Brazil", "Medium"]],
    }


def strt_workbook(sheets: dict[str, list[list[object]]] | None = None) -> bytes:
    """The template as .xlsx bytes."""
    return xlsx_bytes(sheets if sheets is not None else strt_rows())


def unrelated_workbook() -> bytes:
    """A workbook with questions, but none of the template's."""
    return xlsx_bytes(
        {
            "Menu": [
                ["Starter", "Soup of the day"],
                [None, "Would you like to see the dessert menu tonight?", "Yes"],
            ]
        }
    )
