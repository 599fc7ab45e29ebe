"""A body's procurements under the Procurement Act 2023 and PCR 2015, their PPN 009 risk
assessments, and the management of the contracts they award (KPIs, yearly ratings, the
modern slavery clause), with the contracts export and the counts the board reads.
"""
