"""Lookup tables shared by every demo partnership: credentials, college courses, NAICS codes.

Kept apart from the simulation so a reader can check that the names are plausible
Colorado credentials and courses without reading any numpy.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CredentialDef:
    credential_id: str
    name: str
    credential_type: str
    is_credential_of_value: bool


def _c(cid: str, name: str, ctype: str, of_value: bool) -> CredentialDef:
    return CredentialDef(cid, name, ctype, of_value)


IC, OL, PC, AC = (
    "industry_certification",
    "occupational_license",
    "postsecondary_certificate",
    "apprenticeship_certificate",
)

# Credentials a learner of a pathway in this industry sector can earn in high school.
CREDENTIALS_BY_SECTOR: dict[str, tuple[CredentialDef, ...]] = {
    "healthcare": (
        _c("CNA", "Certified Nursing Assistant", OL, True),
        _c("BLS", "Basic Life Support (CPR)", IC, False),
        _c("CPHT", "Certified Pharmacy Technician", IC, True),
        _c("CCMA", "Certified Clinical Medical Assistant", IC, True),
    ),
    "information_technology": (
        _c("COMPTIA-A", "CompTIA A+", IC, True),
        _c("COMPTIA-SEC", "CompTIA Security+", IC, True),
        _c("COMPTIA-ITF", "CompTIA IT Fundamentals", IC, False),
        _c("PCEP", "Certified Entry-Level Python Programmer", IC, True),
    ),
    "advanced_manufacturing": (
        _c("NIMS-MMS", "NIMS Measurement Materials and Safety", IC, True),
        _c("AWS-SENSE", "AWS SENSE Entry Welder", IC, True),
        _c("OSHA10-GI", "OSHA 10-Hour General Industry", IC, False),
        _c("MSSC-CPT", "MSSC Certified Production Technician", IC, True),
    ),
    "construction": (
        _c("OSHA10-CON", "OSHA 10-Hour Construction", IC, False),
        _c("NCCER-CORE", "NCCER Core Curriculum", IC, True),
        _c("HBI-PACT", "HBI Pre-Apprenticeship Certificate Training", AC, True),
        _c("EPA-608", "EPA Section 608 Technician", OL, True),
    ),
    "aerospace": (
        _c("FAA-107", "FAA Part 107 Remote Pilot", OL, True),
        _c("AERO-FUND", "Aerospace Fundamentals Certificate", PC, False),
    ),
    "engineering": (
        _c("ACU-AUTOCAD", "Autodesk Certified User AutoCAD", IC, True),
        _c("CSWA", "Certified SolidWorks Associate", IC, True),
    ),
    "finance_business": (
        _c("MOS-EXCEL", "Microsoft Office Specialist Excel", IC, False),
        _c("QB-USER", "QuickBooks Certified User", IC, True),
        _c("ESB", "Entrepreneurship and Small Business", IC, False),
    ),
    "bioscience": (
        _c("BACE", "Biotechnician Assistant Credential", IC, True),
        _c("LAB-SAFETY", "Laboratory Safety Certificate", PC, False),
    ),
    "energy": (
        _c("NABCEP-PVA", "NABCEP PV Associate", IC, True),
        _c("OSHA10-GI", "OSHA 10-Hour General Industry", IC, False),
    ),
    "hospitality": (
        _c("SERVSAFE-FH", "ServSafe Food Handler", IC, False),
        _c("SERVSAFE-MGR", "ServSafe Food Protection Manager", IC, True),
    ),
    "education": (
        _c("PARA-PRO", "Paraeducator Certificate", PC, True),
        _c("CDA", "Child Development Associate", IC, True),
    ),
    "public_safety": (
        _c("EMR", "Emergency Medical Responder", OL, True),
        _c("FF1", "Firefighter I", IC, True),
    ),
    "agriculture": (
        _c("PRIV-PEST", "Private Pesticide Applicator", OL, True),
        _c("AG-EQUIP", "Agricultural Equipment Safety", IC, False),
    ),
    "other": (_c("ADOBE-ACP", "Adobe Certified Professional", IC, False),),
}

# Credentials learners earn outside a pathway (a summer job, a general course).
GENERAL_CREDENTIALS: tuple[CredentialDef, ...] = (
    _c("BLS", "Basic Life Support (CPR)", IC, False),
    _c("SERVSAFE-FH", "ServSafe Food Handler", IC, False),
    _c("MOS-EXCEL", "Microsoft Office Specialist Excel", IC, False),
    _c("OSHA10-GI", "OSHA 10-Hour General Industry", IC, False),
)

# A college course that belongs to a pathway of this sector (dual enrollment).
PATHWAY_COLLEGE_COURSE = {
    "healthcare": "HPR-108",
    "information_technology": "CIS-118",
    "advanced_manufacturing": "MAC-101",
    "construction": "CON-110",
    "aerospace": "AVT-101",
    "engineering": "EGT-101",
    "finance_business": "BUS-115",
    "bioscience": "BIO-111",
    "energy": "ENY-101",
    "hospitality": "CUA-100",
    "education": "EDU-221",
    "public_safety": "EMS-121",
    "agriculture": "AGR-104",
    "other": "ART-110",
}

# General-education college courses taken in high school (none coincides with a pathway course).
GENERAL_COLLEGE_COURSES = (
    "ENG-121",
    "MAT-121",
    "PSY-101",
    "HIS-121",
    "COM-115",
    "ENG-122",
    "SPA-111",
    "MAT-135",
    "SOC-101",
    "CHE-111",
)

# Two-digit NAICS sector of an employer of the partnership's industry sectors.
NAICS_BY_SECTOR = {
    "healthcare": "62",
    "information_technology": "51",
    "advanced_manufacturing": "31-33",
    "construction": "23",
    "aerospace": "31-33",
    "engineering": "54",
    "finance_business": "52",
    "bioscience": "54",
    "energy": "22",
    "hospitality": "72",
    "education": "61",
    "public_safety": "92",
    "agriculture": "11",
    "other": "81",
}

# Where young workers are employed outside the partner employers (sector code, weight).
YOUNG_WORKER_NAICS = (
    ("44-45", 0.22),
    ("72", 0.20),
    ("62", 0.12),
    ("56", 0.08),
    ("23", 0.07),
    ("31-33", 0.05),
    ("48-49", 0.06),
    ("54", 0.05),
    ("52", 0.04),
    ("61", 0.04),
    ("71", 0.03),
    ("81", 0.03),
    ("51", 0.02),
    ("92", 0.02),
    ("42", 0.02),
    ("11", 0.01),
)
