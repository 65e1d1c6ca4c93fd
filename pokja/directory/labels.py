"""Indonesian and English labels of the code lists that carry none beside their codes.

``code -> (Indonesian, English)``, the shape of ``VIOLATION_TYPES`` in
:mod:`pokja.models.case` and of the lists in :mod:`pokja.followup.sanctions`, so
``GET /api/v1/code-lists`` publishes every list the same way. A test checks that each list
here labels exactly the codes its model allows.
"""

from __future__ import annotations

Labels = dict[str, tuple[str, str]]

STAGE_LABELS: Labels = {
    "received": ("Diterima", "Received"),
    "examination": ("Pemeriksaan", "Examination"),
    "recommended": ("Direkomendasikan", "Recommended"),
    "forwarded": ("Diteruskan", "Forwarded"),
    "decided": ("Diputus", "Decided"),
    "dismissed": ("Dihentikan", "Dismissed"),
    "closed": ("Selesai", "Closed"),
}

SUBJECT_TYPE_LABELS: Labels = {
    "pns": ("Pegawai Negeri Sipil (PNS)", "Civil servant (PNS)"),
    "pppk": ("Pegawai Pemerintah dengan Perjanjian Kerja (PPPK)", "Contract civil servant (PPPK)"),
    "non_asn": ("Pegawai non-ASN", "Non-ASN staff"),
    "tni": ("Anggota TNI", "Member of the armed forces (TNI)"),
    "polri": ("Anggota Polri", "Member of the police (Polri)"),
    "village_head": ("Kepala desa", "Village head"),
    "village_official": ("Perangkat desa", "Village official"),
}

CASE_SOURCE_LABELS: Labels = {
    "finding": ("Temuan", "Finding"),
    "report": ("Laporan", "Report"),
    "complaint_post": ("Posko pengaduan", "Complaints post"),
    "referral": ("Pelimpahan dari instansi lain", "Referral from another body"),
}

CASE_CATEGORY_LABELS: Labels = {
    "neutrality": ("Netralitas", "Neutrality"),
    "administrative": ("Pelanggaran administratif", "Administrative breach"),
    "election_crime": ("Tindak pidana pemilihan", "Election crime"),
    "other_law": ("Pelanggaran hukum lainnya", "Breach of other laws"),
}

DISMISSAL_REASON_LABELS: Labels = {
    "not_registered": (
        "Tidak diregistrasi (terlambat atau syarat formil/materiil tidak terpenuhi)",
        "Not registered (late, or formal/material requirements unmet)",
    ),
    "not_a_violation": ("Bukan pelanggaran", "Not a violation"),
    "insufficient_evidence": ("Bukti tidak cukup", "Insufficient evidence"),
    "withdrawn": ("Dicabut", "Withdrawn"),
    "stopped": ("Dihentikan", "Stopped"),
}

EVIDENCE_KIND_LABELS: Labels = {
    "document": ("Dokumen", "Document"),
    "photo": ("Foto", "Photo"),
    "video": ("Video", "Video"),
    "audio": ("Rekaman suara", "Audio recording"),
    "screenshot": ("Tangkapan layar", "Screenshot"),
    "link": ("Tautan", "Link"),
    "other": ("Lainnya", "Other"),
}

EXTERNAL_SYSTEM_LABELS: Labels = {
    "SIGAPLAPOR": ("SIGAPLAPOR (Bawaslu)", "SIGAPLAPOR (Bawaslu)"),
    "LAPOR": ("LAPOR! (SP4N)", "LAPOR! (SP4N)"),
    "BKN": ("Pengaduan BKN", "BKN complaint"),
    "OTHER": ("Sistem lain", "Other system"),
}

AGENCY_KIND_LABELS: Labels = {
    "BAWASLU": ("Bawaslu kabupaten/kota", "Election supervisory body (Bawaslu)"),
    "BKDPSDM": ("Badan Kepegawaian Daerah (BKPSDM)", "Regional personnel agency"),
    "INSPEKTORAT": ("Inspektorat daerah", "Regional inspectorate"),
    "KEJARI": ("Kejaksaan Negeri", "District prosecutor"),
    "TNI": ("Komando kewilayahan TNI (Kodim)", "Local military command (TNI)"),
    "POLRI": ("Kepolisian Resor (Polres)", "District police (Polri)"),
    "KASN": ("Komisi Aparatur Sipil Negara (KASN)", "Civil Service Commission (KASN)"),
    "BKN": ("Badan Kepegawaian Negara (BKN)", "National Civil Service Agency (BKN)"),
    "PPK": ("Pejabat Pembina Kepegawaian (PPK)", "Staffing authority (PPK)"),
    "OTHER": ("Instansi lain", "Other authority"),
}

HANDOFF_PURPOSE_LABELS: Labels = {
    "examination": ("Pemeriksaan", "Examination"),
    "follow_up": ("Tindak lanjut", "Follow-up"),
    "investigation": ("Penyidikan", "Investigation"),
    "prosecution": ("Penuntutan", "Prosecution"),
    "internal_discipline": ("Penegakan disiplin internal", "Internal discipline"),
    "return": ("Pengembalian", "Return"),
}

HANDOFF_STATUS_LABELS: Labels = {
    "pending": ("Menunggu jawaban", "Pending"),
    "accepted": ("Diterima", "Accepted"),
    "declined": ("Ditolak", "Declined"),
    "withdrawn": ("Ditarik", "Withdrawn"),
}

DECLINE_REASON_LABELS: Labels = {
    "not_our_authority": ("Bukan kewenangan kami", "Not our authority"),
    "incomplete_file": ("Berkas tidak lengkap", "Incomplete file"),
    "duplicate": ("Duplikat", "Duplicate"),
    "other": ("Lainnya", "Other"),
}

ELECTION_KIND_LABELS: Labels = {
    "pemilu": ("Pemilihan umum (UU 7/2017)", "General election (UU 7/2017)"),
    "pilkada": ("Pemilihan kepala daerah (UU 10/2016)", "Regional head election (UU 10/2016)"),
}

DAY_UNIT_LABELS: Labels = {
    "calendar": ("hari", "calendar days"),
    "working": ("hari kerja", "working days"),
}

POKJA_DAY_KIND_LABELS: Labels = {
    "off": ("Hari libur tambahan (cuti bersama, hari pemungutan suara)", "Declared day off"),
    "working": ("Ditetapkan sebagai hari kerja", "Declared working day"),
}

# DESIGN §6: the usual sanction track of a violation type (pokja.followup.tracks).
VIOLATION_TRACK_LABELS: Labels = {
    "ethics": ("Pelanggaran kode etik (PP 42/2004)", "Code of ethics (PP 42/2004)"),
    "discipline": ("Pelanggaran disiplin (PP 94/2021)", "Discipline (PP 94/2021)"),
    "dismissal": ("Pemberhentian (anggota partai politik)", "Dismissal (party membership)"),
}
