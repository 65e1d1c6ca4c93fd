"""The documents' own words, in Indonesian and English (the code lists' labels come from
:mod:`pokja.directory.labels`, :mod:`pokja.time.catalogue` and the follow-up lists)."""

from __future__ import annotations

from pokja.directory.labels import (
    CASE_CATEGORY_LABELS,
    DAY_UNIT_LABELS,
    DECLINE_REASON_LABELS,
    HANDOFF_PURPOSE_LABELS,
    STAGE_LABELS,
    Labels,
)
from pokja.followup.sanctions import ESCALATION_KINDS
from pokja.time.catalogue import CLOCKS as CLOCK_SPECS

WORDS: Labels = {
    "agenda": ("Agenda Rapat Koordinasi", "Coordination Meeting Agenda"),
    "minutes": ("Notulen Rapat Koordinasi", "Coordination Meeting Minutes"),
    "day_date": ("Hari/tanggal", "Day/date"),
    "time": ("Waktu", "Time"),
    "place": ("Tempat", "Place"),
    "online": ("Tautan daring", "Online link"),
    "pokja": ("Pokja", "Pokja"),
    "status": ("Status", "Status"),
    "programme": ("Acara", "Agenda"),
    "invited": ("Instansi yang diundang", "Invited agencies"),
    "cancelled": ("Rapat ini dibatalkan", "This meeting is cancelled"),
    "frozen": ("Agenda ditetapkan", "Agenda frozen"),
    "live": ("Agenda sementara (belum ditetapkan)", "Provisional agenda (not yet frozen)"),
    "none": ("Tidak ada.", "None."),
    "redacted": ("ringkasan", "summary"),
    "stage": ("tahap", "stage"),
    "holder": ("pemegang", "held by"),
    "registered": ("diregistrasi", "registered"),
    "subjects": ("terlapor", "subjects"),
    "handoff": ("pelimpahan", "handoff"),
    "due": ("batas", "due"),
    "overdue": ("TERLAMBAT", "OVERDUE"),
    "waiting": ("menunggu {n} hari kerja", "waiting {n} working days"),
    "declined_by": ("ditolak oleh {agency}", "declined by {agency}"),
    "suggested": ("disarankan ke {agency}", "suggested: {agency}"),
    "reason": ("alasan", "reason"),
    "addressee": ("Kepada {agency}", "To {agency}"),
    "recommendation": ("rekomendasi", "recommendation"),
    "days_overdue": ("lewat {n} {unit}", "{n} {unit} late"),
    "escalations": ("eskalasi", "escalations"),
    "no_escalation": ("belum ada eskalasi", "no escalation yet"),
    "owner": ("penanggung jawab", "owner"),
    "from_meeting": ("keputusan rapat {meeting}", "decided at {meeting}"),
    "presenter": ("penyaji", "presenter"),
    "planned": ("{n} menit", "{n} minutes"),
    "notes": ("catatan", "notes"),
    "item_on_case": ("Pembahasan perkara {register}", "Item on case {register}"),
    "decision_on_case": ("Keputusan tentang perkara {register}", "Decision on case {register}"),
    "figure": ("Uraian", "Figure"),
    "value": ("Jumlah", "Value"),
    "attendance": ("Daftar hadir", "Attendance"),
    "agency": ("Instansi", "Agency"),
    "attendees": ("Yang hadir", "Attendees"),
    "meeting_minutes": ("Jalannya rapat", "Proceedings"),
    "item_minutes": ("Notulen butir acara", "Minutes of the items"),
    "decisions": ("Keputusan", "Decisions"),
    "decision": ("Keputusan", "Decision"),
    "due_on": ("Batas waktu", "Due"),
    "chain_head": ("Kepala rantai audit saat penutupan", "Audit-chain head at closing"),
    "signatures": ("Tanda tangan instansi yang hadir", "Signatures of the agencies present"),
    "generated": ("Disusun", "Generated"),
    "closed_at": ("Waktu penutupan", "Closed at"),
    "signature": ("Tanda tangan", "Signature"),
}

SECTIONS: Labels = {
    "new_cases": ("Perkara baru sejak rapat sebelumnya", "New cases since the previous meeting"),
    "handoffs": (
        "Pelimpahan menunggu jawaban dan pelimpahan yang ditolak",
        "Handoffs awaiting an answer, and declined handoffs",
    ),
    "recommendations": (
        "Rekomendasi yang melewati batas tindak lanjut",
        "Recommendations past their follow-up deadline",
    ),
    "open_decisions": (
        "Keputusan rapat sebelumnya yang belum selesai",
        "Open decisions of earlier meetings",
    ),
    "deadlines": (
        "Tenggat sebelum rapat berikutnya",
        "Deadlines before the next meeting",
    ),
    "statistics": ("Ringkasan statistik", "Statistics summary"),
    "manual_items": ("Acara lainnya", "Other items"),
}

FIGURES: Labels = {
    "cases_total": ("Jumlah perkara", "Cases"),
    "handoffs_pending": ("Pelimpahan menunggu jawaban", "Handoffs pending"),
    "handoffs_overdue": ("Pelimpahan terlambat dijawab", "Handoffs overdue"),
    "recommendations_open": ("Rekomendasi belum ditindaklanjuti", "Recommendations open"),
    "recommendations_overdue": ("Rekomendasi melewati batas", "Recommendations overdue"),
    "recommendations_followed_up": ("Rekomendasi ditindaklanjuti", "Recommendations followed up"),
    "follow_up_rate": ("Tingkat tindak lanjut", "Follow-up rate"),
}

STATUSES: Labels = {
    "draft": ("Draf", "Draft"),
    "scheduled": ("Dijadwalkan", "Scheduled"),
    "in_progress": ("Berlangsung", "In progress"),
    "closed": ("Selesai", "Closed"),
    "cancelled": ("Dibatalkan", "Cancelled"),
}

ATTENDANCE: Labels = {
    "present": ("Hadir", "Present"),
    "absent": ("Tidak hadir", "Absent"),
    "excused": ("Izin", "Excused"),
}

DECISION_STATUSES: Labels = {"open": ("Belum selesai", "Open"), "done": ("Selesai", "Done")}

CLOCKS: Labels = {str(c): (s.label_id, s.label_en) for c, s in CLOCK_SPECS.items()}
DEADLINE_KINDS: Labels = {
    "handoff": ("Jawaban pelimpahan", "Answer to a handoff"),
    "case_decision": ("Putusan Bawaslu", "Bawaslu's decision"),
    "recommendation": ("Tindak lanjut rekomendasi", "Follow-up of a recommendation"),
    "escalation": ("Jawaban surat eskalasi", "Answer to an escalation letter"),
    "decision": ("Keputusan rapat", "Meeting decision"),
}

CODES: dict[str, Labels] = {
    "stage": STAGE_LABELS,
    "category": CASE_CATEGORY_LABELS,
    "purpose": HANDOFF_PURPOSE_LABELS,
    "decline_reason": DECLINE_REASON_LABELS,
    "escalation": ESCALATION_KINDS,
    "status": STATUSES,
    "attendance": ATTENDANCE,
    "decision_status": DECISION_STATUSES,
    "deadline": DEADLINE_KINDS,
    "clock": CLOCKS,
    "unit": DAY_UNIT_LABELS,
}


def _pick(labels: Labels, key: str, lang: str) -> str:
    pair = labels.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]


def word(key: str, lang: str, **values: object) -> str:
    return _pick(WORDS, key, lang).format(**values)


def label(code_list: str, code: str | None, lang: str) -> str:
    """A code's label in ``lang`` (the code itself when the list does not know it)."""
    return "—" if code is None else _pick(CODES[code_list], code, lang)


def section_title(key: str, lang: str) -> str:
    return _pick(SECTIONS, key, lang)


def figure(key: str, lang: str) -> str:
    return _pick(FIGURES, key, lang)
