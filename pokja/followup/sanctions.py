"""Code lists for recommendations, escalations and sanctions (DESIGN §3, §6), as data with
Indonesian and English labels, and the one check that a sanction fits its subject.

Every label is ``code -> (Indonesian, English)`` like ``VIOLATION_TYPES`` in
``pokja.models.case``; sanction kinds also carry their level, the subject types they apply to and
their legal basis, so ``GET /api/v1/code-lists`` can publish them unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from pokja.errors import field_error
from pokja.models import recommendation as models

SANCTION_LEVELS: dict[str, tuple[str, str]] = {
    "light": ("Ringan", "Light"),
    "moderate": ("Sedang", "Moderate"),
    "severe": ("Berat", "Severe"),
    "moral": ("Sanksi moral", "Moral sanction"),
    "none": ("Tidak dijatuhi sanksi", "No sanction"),
}

ASN = ("pns", "pppk")
VILLAGE = ("village_head", "village_official")
ALL_SUBJECTS = ("pns", "pppk", "non_asn", "tni", "polri", "village_head", "village_official")


@dataclass(frozen=True)
class SanctionKind:
    """One kind of sanction: its level, who it can be imposed on and under which rule."""

    level: str
    subject_types: tuple[str, ...]
    label_id: str
    label_en: str
    legal_basis: str

    @property
    def labels(self) -> tuple[str, str]:
        return (self.label_id, self.label_en)


def _kind(level, subjects, label_id, label_en, basis) -> SanctionKind:
    return SanctionKind(level, tuple(subjects), label_id, label_en, basis)


PP_94 = "PP 94/2021"
PP_42 = "PP 42/2004"
UU_25 = "UU 25/2014"
PP_2 = "PP 2/2003"
PERPOL_7 = "Perpol 7/2022"
UU_6 = "UU 6/2014"

SANCTION_KINDS: dict[str, SanctionKind] = {
    # PP 94/2021 art. 8: disciplinary penalties for civil servants (PPPK by reference).
    "oral_reprimand": _kind("light", ASN, "Teguran lisan", "Oral reprimand", PP_94),
    "written_reprimand": _kind("light", ASN, "Teguran tertulis", "Written reprimand", PP_94),
    "written_dissatisfaction": _kind(
        "light",
        ASN,
        "Pernyataan tidak puas secara tertulis",
        "Written statement of dissatisfaction",
        PP_94,
    ),
    "allowance_cut_6m": _kind(
        "moderate",
        ASN,
        "Pemotongan tunjangan kinerja 25% selama 6 bulan",
        "25% performance-allowance cut for 6 months",
        PP_94,
    ),
    "allowance_cut_9m": _kind(
        "moderate",
        ASN,
        "Pemotongan tunjangan kinerja 25% selama 9 bulan",
        "25% performance-allowance cut for 9 months",
        PP_94,
    ),
    "allowance_cut_12m": _kind(
        "moderate",
        ASN,
        "Pemotongan tunjangan kinerja 25% selama 12 bulan",
        "25% performance-allowance cut for 12 months",
        PP_94,
    ),
    "demotion_12m": _kind(
        "severe",
        ASN,
        "Penurunan jabatan setingkat lebih rendah selama 12 bulan",
        "Demotion for 12 months",
        PP_94,
    ),
    "non_managerial_post_12m": _kind(
        "severe",
        ASN,
        "Pembebasan dari jabatan menjadi jabatan pelaksana selama 12 bulan",
        "Moved to a non-managerial post for 12 months",
        PP_94,
    ),
    "honourable_dismissal": _kind(
        "severe",
        ASN,
        "Pemberhentian dengan hormat tidak atas permintaan sendiri",
        "Honourable dismissal not at own request",
        PP_94,
    ),
    # PP 42/2004 art. 15: moral sanctions for breaches of the civil-service code of ethics.
    "moral_closed": _kind(
        "moral", ASN, "Pernyataan secara tertutup", "Closed moral statement", PP_42
    ),
    "moral_public": _kind(
        "moral", ASN, "Pernyataan secara terbuka", "Public moral statement", PP_42
    ),
    # Non-ASN staff are bound by their contracts, which end at termination.
    "contract_warning": _kind(
        "light", ("non_asn",), "Teguran tertulis sesuai kontrak", "Contractual warning", "contract"
    ),
    "contract_final_warning": _kind(
        "moderate",
        ("non_asn",),
        "Peringatan terakhir sesuai kontrak",
        "Final contractual warning",
        "contract",
    ),
    "contract_termination": _kind(
        "severe", ("non_asn",), "Pemutusan kontrak kerja", "Contract termination", "contract"
    ),
    # UU 25/2014 art. 9: military disciplinary punishments.
    "tni_reprimand": _kind("light", ("tni",), "Teguran", "Reprimand", UU_25),
    "tni_light_detention": _kind(
        "moderate",
        ("tni",),
        "Penahanan ringan paling lama 14 hari",
        "Light detention up to 14 days",
        UU_25,
    ),
    "tni_heavy_detention": _kind(
        "severe",
        ("tni",),
        "Penahanan berat paling lama 21 hari",
        "Heavy detention up to 21 days",
        UU_25,
    ),
    # PP 2/2003 art. 9: Polri discipline; Perpol 7/2022: Polri professional ethics.
    "polri_written_reprimand": _kind(
        "light", ("polri",), "Teguran tertulis", "Written reprimand", PP_2
    ),
    "polri_training_postponed": _kind(
        "moderate",
        ("polri",),
        "Penundaan mengikuti pendidikan paling lama 1 tahun",
        "Training postponed up to 1 year",
        PP_2,
    ),
    "polri_pay_rise_postponed": _kind(
        "moderate",
        ("polri",),
        "Penundaan kenaikan gaji berkala",
        "Periodic pay rise postponed",
        PP_2,
    ),
    "polri_promotion_postponed": _kind(
        "moderate",
        ("polri",),
        "Penundaan kenaikan pangkat paling lama 1 tahun",
        "Promotion postponed up to 1 year",
        PP_2,
    ),
    "polri_demotion_transfer": _kind(
        "severe", ("polri",), "Mutasi yang bersifat demosi", "Transfer by demotion", PP_2
    ),
    "polri_release_from_post": _kind(
        "severe", ("polri",), "Pembebasan dari jabatan", "Release from post", PP_2
    ),
    "polri_special_placement": _kind(
        "severe",
        ("polri",),
        "Penempatan dalam tempat khusus paling lama 21 hari",
        "Special placement up to 21 days",
        PP_2,
    ),
    "polri_ethics_reproach": _kind(
        "moral",
        ("polri",),
        "Perilaku dinyatakan sebagai perbuatan tercela",
        "Conduct declared reprehensible",
        PERPOL_7,
    ),
    "polri_dishonourable_dismissal": _kind(
        "severe",
        ("polri",),
        "Pemberhentian tidak dengan hormat (PTDH)",
        "Dishonourable dismissal",
        PERPOL_7,
    ),
    # UU 6/2014 art. 30 and 52: village heads and officials.
    "village_reprimand": _kind(
        "light", VILLAGE, "Teguran lisan dan/atau tertulis", "Oral or written reprimand", UU_6
    ),
    "village_temporary_suspension": _kind(
        "moderate", VILLAGE, "Pemberhentian sementara", "Temporary suspension", UU_6
    ),
    "village_head_dismissal": _kind(
        "severe",
        ("village_head",),
        "Pemberhentian oleh bupati/wali kota",
        "Dismissal by the regent",
        UU_6,
    ),
    "village_official_dismissal": _kind(
        "severe",
        ("village_official",),
        "Pemberhentian oleh kepala desa",
        "Dismissal by the village head",
        UU_6,
    ),
    # A decision that the proven breach carries no sanction is still recorded.
    "no_sanction": _kind("none", ALL_SUBJECTS, "Tidak dijatuhi sanksi", "No sanction imposed", "-"),
}

ESCALATION_KINDS: dict[str, tuple[str, str]] = {
    "reminder": ("Surat pengingat", "Reminder letter"),
    "request_data_block": (
        "Permintaan pemblokiran data kepegawaian ke BKN",
        "Request to BKN to block personnel data",
    ),
    "report_to_ministry": ("Laporan ke Kementerian", "Report to the Ministry"),
    "other": ("Lainnya", "Other"),
}

RECOMMENDATION_OUTCOMES: dict[str, tuple[str, str]] = {
    "followed_up": ("Ditindaklanjuti", "Followed up"),
    "rejected": ("Ditolak", "Rejected"),
}


def allowed_kinds(subject_type: str, level: str | None = None) -> list[str]:
    """The sanction kinds that can be imposed on a subject of this type, at one level or any."""
    return [
        code
        for code, kind in SANCTION_KINDS.items()
        if subject_type in kind.subject_types and (level is None or kind.level == level)
    ]


def check_sanction(subject_type: str, level: str, kind: str) -> None:
    """Refuse (422) a level or kind that does not exist or does not fit the subject's type;
    the message names the kinds that would."""
    if level not in SANCTION_LEVELS:
        raise field_error(
            "level",
            f"Unknown sanction level {level!r}; one of: {', '.join(SANCTION_LEVELS)}.",
            code="invalid_sanction",
        )
    allowed = allowed_kinds(subject_type, level)
    spec = SANCTION_KINDS.get(kind)
    if spec is None or spec.level != level or subject_type not in spec.subject_types:
        names = ", ".join(allowed) or "none"
        raise field_error(
            "kind",
            f"Sanction kind {kind!r} does not apply to a {subject_type} subject at level "
            f"{level!r}; allowed: {names}.",
            code="invalid_sanction",
        )


# The tables store the codes the model declares; the labels and rules here must name the same.
assert tuple(SANCTION_LEVELS) == models.SANCTION_LEVELS  # noqa: S101
assert tuple(SANCTION_KINDS) == models.SANCTION_KINDS  # noqa: S101
assert tuple(ESCALATION_KINDS) == models.ESCALATION_KINDS  # noqa: S101
