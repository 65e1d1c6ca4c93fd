"""The demo Pokja's case catalogue: about forty cases in Kabupaten Bengkulu Selatan, as data.

The cases are invented but shaped like those Bawaslu handles: Pemilu 2024 (voting day 14
February 2024) and Pilkada 2024 (27 November 2024), reports (LP) and findings (TM), every
stage, every kind of subject. :mod:`pokja.demo` plays each case's steps through the domain
functions, so its register number, events, handoffs and shares are real. A handoff's
``answer`` says how it ends: ``accepted``, ``declined``, ``pending`` (due a few working days
after seeding) or ``overdue`` (pending, due three working days after its 2024 letter).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class Person:
    """A subject (terlapor): NIP for civil servants, NRP for soldiers and police, else NIK."""

    name: str
    identifier: str
    subject_type: str
    position: str
    employer_unit: str


@dataclass(frozen=True)
class Move:
    """A stage change by the holding agency's liaison."""

    to: str
    reason: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Send:
    """A handoff (pelimpahan) by the holding agency's liaison, answered by the receiver's."""

    to: str
    purpose: str
    letter: str
    on: date
    reason: str
    answer: str = "accepted"
    decline: tuple[str, str] | None = None  # (reason code, text)
    suggest: str | None = None


@dataclass(frozen=True)
class Copy:
    """A share (tembusan) to another agency."""

    to: str
    reason: str


Step = Move | Send | Copy


@dataclass(frozen=True)
class DemoCase:
    registered: datetime
    source: str
    category: str
    election: str
    title: str
    summary: str
    kecamatan: str
    desa: str
    occurred: date
    violation_types: tuple[str, ...]
    subjects: tuple[Person, ...]
    reporter: tuple[str, str] | None = None  # (name, contact); None: a finding, or anonymous
    steps: tuple[Step, ...] = ()


def at(month: int, day: int, hour: int = 10, year: int = 2024) -> datetime:
    """A registration time in the Pokja's zone (WIB)."""
    return datetime(year, month, day, hour, tzinfo=WIB)


def d(month: int, day: int, year: int = 2024) -> date:
    return date(year, month, day)


def pns(name: str, nip: str, position: str, unit: str) -> Person:
    return Person(name, nip, "pns", position, unit)


def pppk(name: str, nip: str, position: str, unit: str) -> Person:
    return Person(name, nip, "pppk", position, unit)


def honorer(name: str, nik: str, position: str, unit: str) -> Person:
    return Person(name, nik, "non_asn", position, unit)


def village_head(name: str, nik: str, desa: str) -> Person:
    return Person(name, nik, "village_head", f"Kepala Desa {desa}", f"Pemerintah Desa {desa}")


def village_official(name: str, nik: str, position: str, desa: str) -> Person:
    return Person(name, nik, "village_official", position, f"Pemerintah Desa {desa}")


def soldier(name: str, nrp: str, position: str) -> Person:
    return Person(name, nrp, "tni", position, "Kodim 0408/Bengkulu Selatan")


def police(name: str, nrp: str, position: str, unit: str) -> Person:
    return Person(name, nrp, "polri", position, unit)


def letter(seq: int, month: int, sender: str = "K.BE-01") -> str:
    """A Bawaslu-style letter number, e.g. ``045/PP.01.02/K.BE-01/02/2024``."""
    return f"{seq:03d}/PP.01.02/{sender}/{month:02d}/2024"


def to_bkd(seq: int, on: date, answer: str = "accepted", **kw: Any) -> Send:
    reason = "Rekomendasi Bawaslu atas pelanggaran netralitas ASN untuk ditindaklanjuti PPK."
    return Send("BKDPSDM", "follow_up", letter(seq, on.month), on, reason, answer, **kw)


def to_inspektorat(seq: int, on: date, answer: str = "accepted", **kw: Any) -> Send:
    reason = "Mohon pemeriksaan dan tindak lanjut atas dugaan pelanggaran netralitas."
    return Send("INSPEKTORAT", "examination", letter(seq, on.month), on, reason, answer, **kw)


def to_own_discipline(kind: str, seq: int, on: date, answer: str = "accepted") -> Send:
    reason = "Terlapor anggota {}; penegakan disiplin oleh satuannya.".format(
        "TNI" if kind == "TNI" else "Polri"
    )
    return Send(kind, "internal_discipline", letter(seq, on.month), on, reason, answer)


def to_gakkumdu(seq: int, on: date, answer: str = "accepted") -> Send:
    reason = "Dugaan tindak pidana pemilihan; dibahas Sentra Gakkumdu, diteruskan ke penyidik."
    return Send("POLRI", "investigation", letter(seq, on.month), on, reason, answer)


def to_prosecutor(seq: int, on: date, answer: str = "accepted") -> Send:
    number = f"B/{seq}/{on.month}/2024/Reskrim"
    reason = "Pelimpahan berkas perkara tahap I ke penuntut umum."
    return Send("KEJARI", "prosecution", number, on, reason, answer)


DINDIK = "Dinas Pendidikan dan Kebudayaan Kabupaten Bengkulu Selatan"
DINKES = "Dinas Kesehatan Kabupaten Bengkulu Selatan"
RSUD = "RSUD Hasanuddin Damrah Manna"
SETDA = "Sekretariat Daerah Kabupaten Bengkulu Selatan"
PUPR = "Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Bengkulu Selatan"
TANI = "Dinas Pertanian Kabupaten Bengkulu Selatan"
SATPOL = "Satuan Polisi Pamong Praja Kabupaten Bengkulu Selatan"
POLRES = "Polres Bengkulu Selatan"


def sd(number: int) -> str:
    return f"SD Negeri {number} Bengkulu Selatan"


def kec(name: str) -> str:
    return f"Kecamatan {name}"


EXAMINE = Move("examination")
RECOMMEND = Move("recommended", note="Rekomendasi diterbitkan kepada PPK melalui BKPSDM.")
FORWARD = Move("forwarded")
DECIDE = Move("decided")
CLOSE = Move("closed")
NEUTRALITY_PATH = (EXAMINE, RECOMMEND)

PEMILU = "pemilu-2024"
PILKADA = "pilkada-2024"

# One case per entry, in a fixed layout that reads like a register (hence no formatter):
# registered, source, category, election, title, summary, kecamatan, desa, occurred,
# violation types, subjects, reporter, steps.
# fmt: off
CASES: tuple[DemoCase, ...] = (
    # --- Pemilu 2024: campaign 28 November 2023 - 10 February 2024, voting 14 February ---------
    DemoCase(
        at(1, 8), "report", "neutrality", PEMILU,
        "Guru SD memberi 'like' dan komentar pada unggahan caleg DPRD",
        "Pelapor menyerahkan tangkapan layar akun Facebook terlapor yang menyukai dan "
        "mengomentari unggahan kampanye seorang calon anggota DPRD Kabupaten.",
        "Kota Manna", "Pasar Baru", d(1, 3), ("social_media",),
        (pns("Rahmat Hidayat, S.Pd.", "198204152008011003", "Guru Kelas", sd(12)),),
        ("Sri Wahyuni", "0813-7711-2040"),
        (*NEUTRALITY_PATH, to_bkd(41, d(1, 22)), DECIDE, CLOSE),
    ),
    DemoCase(
        at(1, 10), "finding", "neutrality", PEMILU,
        "Kepala Desa Tanjung Alam hadir dalam kampanye caleg DPR RI",
        "Pengawas Kelurahan/Desa mendapati terlapor memberi sambutan pada pertemuan terbatas "
        "seorang calon anggota DPR RI di balai desa.",
        "Kedurang", "Tanjung Alam", d(1, 9), ("campaigning", "declaration_attendance"),
        (village_head("Syamsul Bahri", "1701031207750001", "Tanjung Alam"),),
        None,
        (*NEUTRALITY_PATH, to_inspektorat(44, d(1, 24)), DECIDE),
    ),
    DemoCase(
        at(1, 15), "report", "neutrality", PEMILU,
        "Babinsa berfoto dengan gestur jari mendukung pasangan capres",
        "Foto terlapor berseragam dinas dengan gestur jari nomor urut pasangan calon beredar "
        "di grup WhatsApp warga Desa Ibul.",
        "Pasar Manna", "Ibul", d(1, 12), ("partisan_gesture_photo",),
        (soldier("Serka Dedi Kurniawan", "21100287560887", "Babinsa Koramil 408-01/Manna"),),
        ("Joni Iskandar", "0812-7345-9981"),
        (EXAMINE, FORWARD, to_own_discipline("TNI", 52, d(1, 26)), DECIDE, CLOSE),
    ),
    DemoCase(
        at(1, 17), "report", "neutrality", PEMILU,
        "Bhabinkamtibmas membagikan stiker caleg saat patroli",
        "Warga melaporkan terlapor membagikan stiker seorang calon anggota DPRD Provinsi "
        "kepada pedagang di Pasar Pino.",
        "Pino", "Tanjung Raman", d(1, 16), ("partisan_activity",),
        (police("Bripka Hendra Gunawan", "85071123", "Bhabinkamtibmas", "Polsek Pino"),),
        ("Mulyadi", "0852-6677-1203"),
        (EXAMINE, FORWARD, to_own_discipline("POLRI", 58, d(2, 1), "overdue")),
    ),
    DemoCase(
        at(1, 22), "report", "neutrality", PEMILU,
        "Delapan ASN Dinas Pendidikan dalam grup WhatsApp pemenangan caleg",
        "Satu laporan menyebut delapan pegawai yang menjadi admin dan anggota aktif grup "
        "WhatsApp 'Guru Bersatu Menangkan' yang mengajak memilih seorang calon anggota DPRD.",
        "Kota Manna", "Ketapang Besar", d(1, 18), ("mobilising_staff", "social_media"),
        (
            pns("Drs. Zulkifli", "196905121994031007", "Kepala Bidang Pembinaan SD", DINDIK),
            pns("Nurhayati, S.Pd.", "197808202005012011", "Kepala SD Negeri 3", DINDIK),
            pns("Herman Sahputra, S.Pd.", "198001102006041009", "Pengawas Sekolah", DINDIK),
            pns("Lili Suryani, S.Pd.", "198506172009022004", "Guru Kelas", sd(7)),
            pns("Eko Prasetyo, S.Pd.", "198712032010011012", "Guru Penjaskes", sd(7)),
            pns("Yeni Marlina, S.Pd.", "198903252011012006", "Guru Kelas", sd(15)),
            pppk("Rudi Hartono, S.Pd.", "199104112022211005", "Guru Ahli Pertama", sd(15)),
            pppk("Fitri Handayani, S.Pd.", "199307192022212008", "Guru Ahli Pertama", sd(21)),
        ),
        ("Forum Pemantau Pemilu Bengkulu Selatan", "0811-7300-4455"),
        (*NEUTRALITY_PATH, to_bkd(63, d(2, 6))),
    ),
    DemoCase(
        at(1, 25), "finding", "neutrality", PEMILU,
        "Camat Pino Raya menggunakan mobil dinas untuk kampanye",
        "Patroli pengawasan mendapati kendaraan dinas BD 1012 D membawa alat peraga kampanye "
        "ke lokasi kampanye tatap muka di Desa Air Umban.",
        "Pino Raya", "Air Umban", d(1, 24), ("state_facilities", "campaigning"),
        (pns("Hasan Basri, S.Sos., M.Si.", "197502141998031004", "Camat", kec("Pino Raya")),),
        None,
        (
            *NEUTRALITY_PATH,
            to_inspektorat(
                66, d(2, 7), "declined",
                decline=("not_our_authority", "Rekomendasi sanksi disiplin ditujukan kepada PPK; "
                         "mohon disampaikan melalui BKPSDM."),
                suggest="BKDPSDM",
            ),
            to_bkd(71, d(2, 12), "pending"),
        ),
    ),
    DemoCase(
        at(1, 29), "report", "neutrality", PEMILU,
        "Perangkat desa mengumpulkan fotokopi KTP untuk calon DPD",
        "Terlapor diduga meminta fotokopi KTP warga sebagai dukungan seorang calon anggota DPD.",
        "Seginim", "Gunung Mesir", d(1, 26), ("id_card_support",),
        (village_official("Aprizal", "1701052003820002", "Kepala Urusan Umum", "Gunung Mesir"),),
        ("Yusman", "0853-8090-1122"),
        (EXAMINE, Move("dismissed", "insufficient_evidence", "Saksi menolak memberi keterangan."),
         CLOSE),
    ),
    DemoCase(
        at(2, 1), "report", "election_crime", PEMILU,
        "Pembagian uang oleh tim caleg di Desa Gunung Ayu",
        "Terlapor membagikan amplop berisi Rp50.000 disertai kartu nama caleg kepada warga; "
        "diduga politik uang (UU 7/2017 Pasal 523).",
        "Pasar Manna", "Gunung Ayu", d(1, 30), ("partisan_activity",),
        (honorer("Ferdi Saputra", "1701061505900003", "Koordinator tim pemenangan",
                 "Tim kampanye caleg DPRD"),),
        ("Anton Wijaya", "0812-7300-8891"),
        (
            EXAMINE, FORWARD, to_gakkumdu(74, d(2, 5)),
            Copy("KEJARI", "Tembusan kepada Jaksa Sentra Gakkumdu sejak penyidikan."),
            to_prosecutor(12, d(2, 19)), DECIDE,
        ),
    ),
    DemoCase(
        at(2, 3), "finding", "neutrality", PEMILU,
        "Kepala Puskesmas memasang baliho caleg di halaman puskesmas",
        "Baliho seorang calon anggota DPRD terpasang di halaman Puskesmas Masat atas izin "
        "terlapor.",
        "Pino", "Nanjungan", d(2, 2), ("banners_posters", "state_facilities"),
        (pns("dr. Yulia Anggraini", "198207072010012015", "Kepala Puskesmas Masat", DINKES),),
        None,
        (*NEUTRALITY_PATH, to_bkd(79, d(2, 8)), DECIDE),
    ),
    DemoCase(
        at(2, 5), "report", "neutrality", PEMILU,
        "Honorer Satpol PP mengunggah video kampanye di TikTok",
        "Video terlapor berseragam Satpol PP mengajak memilih seorang caleg diunggah di akun "
        "TikTok pribadinya. Pelapor meminta identitasnya dirahasiakan.",
        "Kota Manna", "Padang Kapuk", d(2, 2), ("social_media", "campaign_attributes"),
        (honorer("Riki Ardiansyah", "1701011010950004", "Tenaga Harian Lepas", SATPOL),),
        None,
        (*NEUTRALITY_PATH, to_bkd(82, d(2, 12), "overdue")),
    ),
    DemoCase(
        at(2, 6), "report", "neutrality", PEMILU,
        "Kepala Desa Lubuk Ladung menyatakan dukungan dalam sambutan acara desa",
        "Dalam sambutan peringatan Isra Mikraj di masjid desa, terlapor mengajak warga memilih "
        "seorang calon anggota DPRD.",
        "Kedurang Ilir", "Lubuk Ladung", d(2, 4), ("campaigning", "partisan_activity"),
        (village_head("Darmawan", "1701110303700005", "Lubuk Ladung"),),
        ("Kasmirudin", "0821-7766-5500"),
        (*NEUTRALITY_PATH, to_inspektorat(84, d(2, 13), "overdue")),
    ),
    DemoCase(
        at(2, 8), "finding", "neutrality", PEMILU,
        "Guru PPPK menjadi admin akun relawan capres",
        "Penelusuran media sosial menemukan terlapor sebagai pengelola halaman relawan salah "
        "satu pasangan calon presiden.",
        "Bunga Mas", "Kayu Kunyit", d(2, 6), ("social_media", "campaign_consultant"),
        (pppk("Dwi Lestari, S.Pd.", "199505022023212010", "Guru Ahli Pertama",
              "SMP Negeri 5 Bengkulu Selatan"),),
        None,
        (
            *NEUTRALITY_PATH, to_bkd(88, d(2, 13)), DECIDE,
            Send("BAWASLU", "return", "800/114/BKPSDM/2024", d(3, 4),
                 "Keputusan PPK telah ditetapkan; berkas dikembalikan untuk ditutup."),
            CLOSE,
        ),
    ),
    DemoCase(
        at(2, 12), "report", "election_crime", PEMILU,
        "Lurah membagikan sembako bergambar caleg pada masa tenang",
        "Pada masa tenang terlapor membagikan paket sembako bergambar seorang caleg kepada "
        "warga Kelurahan Pasar Bawah.",
        "Kota Manna", "Pasar Bawah", d(2, 11), ("partisan_activity", "state_facilities"),
        (pns("Irwan Syahputra, S.IP.", "197911232003121006", "Lurah Pasar Bawah",
             kec("Kota Manna")),),
        ("Rosmawati", "0813-6700-2211"),
        (EXAMINE, FORWARD, to_gakkumdu(91, d(2, 14), "pending")),
    ),
    DemoCase(
        at(2, 14, 15), "report", "neutrality", PEMILU,
        "Anggota Polres mengarahkan pemilih di TPS 05 Tanjung Mulia",
        "Saksi melihat terlapor, yang bertugas mengamankan TPS, meminta pemilih lanjut usia "
        "mencoblos calon tertentu.",
        "Pasar Manna", "Tanjung Mulia", d(2, 14), ("partisan_decision",),
        (police("Brigpol Agung Pratama", "94030456", "Anggota Sat Samapta", POLRES),),
        ("Neli Susanti", "0852-7300-4411"),
        (EXAMINE, FORWARD, to_own_discipline("POLRI", 95, d(2, 16)), DECIDE, CLOSE),
    ),
    DemoCase(
        at(2, 15), "report", "neutrality", PEMILU,
        "ASN hadir di kampanye akbar, dilaporkan lewat batas waktu",
        "Peristiwa terjadi 20 Januari 2024 dan baru dilaporkan 15 Februari 2024, melewati "
        "tujuh hari kerja sejak diketahui (UU 7/2017 Pasal 454).",
        "Manna", "Padang Berangin", d(1, 20), ("declaration_attendance",),
        (pns("Sukardi, S.E.", "197404041999031005", "Kepala Seksi", TANI),),
        ("Bambang Irawan", "0812-7000-3322"),
        (Move("dismissed", "not_registered", "Laporan melewati batas waktu pelaporan."), CLOSE),
    ),
    DemoCase(
        at(2, 19), "report", "neutrality", PEMILU,
        "Sekretaris desa menjadi saksi partai di TPS",
        "Terlapor tercatat dalam surat mandat saksi salah satu partai politik di TPS 02.",
        "Pino Raya", "Tanjung Besar", d(2, 14), ("party_membership",),
        (village_official("Nopri Yanto", "1701090909880006", "Sekretaris Desa", "Tanjung Besar"),),
        ("Masrul", "0823-7711-6600"),
        (*NEUTRALITY_PATH, to_inspektorat(103, d(2, 27)), DECIDE),
    ),
    DemoCase(
        at(2, 21), "finding", "neutrality", PEMILU,
        "Dokter RSUD mengunggah foto bersama caleg",
        "Unggahan Instagram terlapor memperlihatkan foto bersama seorang caleg di acara "
        "keluarga, tanpa ajakan memilih.",
        "Kota Manna", "Kota Medan", d(2, 9), ("social_media", "partisan_gesture_photo"),
        (pns("dr. Andika Putra, Sp.PD.", "198610102014031002", "Dokter Spesialis", RSUD),),
        None,
        (EXAMINE, Move("dismissed", "not_a_violation", "Foto acara keluarga, tanpa ajakan.")),
    ),
    DemoCase(
        at(2, 26), "report", "neutrality", PEMILU,
        "Kepala sekolah diduga mengarahkan guru, laporan dicabut",
        "Pelapor mencabut laporannya sebelum klarifikasi.",
        "Seginim", "Tanjung Aur", d(2, 20), ("mobilising_staff",),
        (pns("Suharto, S.Pd., M.Pd.", "197001011995121003", "Kepala SMA Negeri 2", DINDIK),),
        ("Edi Suprianto", "0812-7899-0123"),
        (EXAMINE, Move("dismissed", "withdrawn", "Pelapor mencabut laporan."), CLOSE),
    ),
    DemoCase(
        at(3, 4), "finding", "neutrality", PEMILU,
        "Kepala dinas memutasi pegawai yang tidak mendukung caleg",
        "Tiga pegawai dipindahkan ke kecamatan terjauh sepekan setelah pemungutan suara; "
        "diduga karena berbeda pilihan.",
        "Kota Manna", "Pasar Baru", d(2, 22), ("partisan_decision",),
        (pns("Ir. Marzuki, M.T.", "196802021993031008", "Kepala Dinas", PUPR),),
        None,
        (*NEUTRALITY_PATH, to_bkd(117, d(3, 13))),
    ),
    DemoCase(
        at(3, 7), "complaint_post", "neutrality", PEMILU,
        "Kades menahan bantuan warga yang berbeda pilihan",
        "Diterima di posko pengaduan Kecamatan Kedurang: bantuan pangan tidak diberikan kepada "
        "warga yang diketahui memilih calon lain.",
        "Kedurang", "Pagar Gunung", d(2, 28), ("partisan_decision",),
        (village_head("Hamdan Syah", "1701030505680007", "Pagar Gunung"),),
        ("Warga Desa Pagar Gunung", "0821-7000-1199"),
        (EXAMINE, Copy("INSPEKTORAT", "Permintaan pendapat soal penyaluran bantuan desa.")),
    ),
    DemoCase(
        at(3, 12), "referral", "neutrality", PEMILU,
        "Limpahan Bawaslu Provinsi: ASN tercatat sebagai anggota partai",
        "Bawaslu Provinsi Bengkulu melimpahkan hasil pencocokan Sipol: terlapor tercatat "
        "sebagai anggota partai politik.",
        "Ulu Manna", "Tanjung Tiga", d(3, 1), ("party_membership",),
        (pns("Sarwono", "198303032009011011", "Pengadministrasi Umum", kec("Ulu Manna")),),
    ),
    # --- Pilkada 2024: campaign 25 September - 23 November, voting 27 November --------------
    DemoCase(
        at(9, 2), "finding", "neutrality", PILKADA,
        "Camat Kedurang hadir saat deklarasi bakal pasangan calon bupati",
        "Terlapor duduk di barisan depan deklarasi bakal pasangan calon dan mengangkat tangan "
        "bersama pendukung.",
        "Kedurang", "Tebat Kubu", d(8, 29), ("declaration_attendance",),
        (pns("Mukhlis, S.Sos.", "197606062002121005", "Camat Kedurang", kec("Kedurang")),),
        None,
        (*NEUTRALITY_PATH, to_bkd(141, d(9, 11)), DECIDE, CLOSE),
    ),
    DemoCase(
        at(9, 10), "report", "neutrality", PILKADA,
        "Kepala Desa Tanjung Negara memakai atribut paslon saat rapat desa",
        "Terlapor memimpin musyawarah desa mengenakan kaus bergambar bakal calon bupati.",
        "Air Nipis", "Tanjung Negara", d(9, 6), ("campaign_attributes",),
        (village_head("Zainal Abidin", "1701081111720008", "Tanjung Negara"),),
        ("Herlina", "0852-6600-7788"),
        (*NEUTRALITY_PATH, to_inspektorat(147, d(9, 19)), DECIDE),
    ),
    DemoCase(
        at(9, 18), "report", "neutrality", PILKADA,
        "ASN Dinas PUPR membagikan kalender bergambar calon bupati",
        "Terlapor membagikan kalender bergambar calon bupati di kantor dan kepada warga.",
        "Manna", "Kota Bumi", d(9, 16), ("partisan_activity",),
        (pns("Rudi Kurniawan, S.T.", "198408082010011014", "Pengawas Jalan dan Jembatan", PUPR),),
        ("Ahmad Yani", "0813-7300-5566"),
        (
            *NEUTRALITY_PATH,
            to_inspektorat(
                152, d(9, 27), "declined",
                decline=("incomplete_file", "Berita acara klarifikasi terlapor belum dilampirkan."),
            ),
            to_bkd(160, d(10, 8), "pending"),
        ),
    ),
    DemoCase(
        at(9, 26), "finding", "neutrality", PILKADA,
        "Anggota Kodim hadir berseragam dalam kampanye paslon",
        "Pengawas kecamatan memotret terlapor berseragam loreng di tengah kampanye tatap muka.",
        "Bunga Mas", "Gunung Kembang", d(9, 25), ("campaign_attributes", "campaigning"),
        (soldier("Sertu Ahmad Fauzi", "21140023451093", "Bintara Koramil 408-04/Pino"),),
        None,
        (EXAMINE, FORWARD, to_own_discipline("TNI", 163, d(10, 3), "pending")),
    ),
    DemoCase(
        at(10, 2), "report", "neutrality", PILKADA,
        "Polisi membagikan kartu nama calon wakil bupati",
        "Terlapor membagikan kartu nama calon wakil bupati di warung kopi Desa Suka Negeri.",
        "Air Nipis", "Suka Negeri", d(9, 30), ("partisan_activity",),
        (police("Briptu Reza Maulana", "97110234", "Anggota Sat Lantas", POLRES),),
        ("Syafrudin", "0822-7711-3344"),
        (EXAMINE, FORWARD, to_own_discipline("POLRI", 168, d(10, 9)), DECIDE, CLOSE),
    ),
    DemoCase(
        at(10, 7), "report", "neutrality", PILKADA,
        "Perangkat desa memasang spanduk paslon di balai desa",
        "Spanduk pasangan calon terpasang di pagar balai desa; terlapor mengaku memasangnya.",
        "Pino", "Talang Kemang", d(10, 4), ("banners_posters", "state_facilities"),
        (village_official("Junaidi", "1701071207860009", "Kepala Dusun II", "Talang Kemang"),),
        ("Supardi", "0853-7711-2299"),
        (*NEUTRALITY_PATH, to_inspektorat(171, d(10, 15), "overdue")),
    ),
    DemoCase(
        at(10, 11), "finding", "neutrality", PILKADA,
        "Kepala SMP mengumpulkan guru untuk mendukung petahana",
        "Rapat dinas sekolah dipakai untuk mengajak guru memilih calon petahana.",
        "Kota Manna", "Ketapang Besar", d(10, 9), ("mobilising_staff", "partisan_decision"),
        (pns("Dra. Elva Roza", "196903031994032006", "Kepala SMP Negeri 1", DINDIK),),
        None,
        (*NEUTRALITY_PATH, to_bkd(176, d(10, 21)), DECIDE),
    ),
    DemoCase(
        at(10, 15), "report", "neutrality", PILKADA,
        "PPPK Dinas Kesehatan mengunggah ajakan memilih calon bupati",
        "Status WhatsApp dan unggahan Facebook terlapor berisi ajakan memilih pasangan calon.",
        "Seginim", "Darat Sawah", d(10, 12), ("social_media",),
        (pppk("Ns. Putri Ayu, S.Kep.", "199208182023212012", "Perawat Ahli Pertama", DINKES),),
        ("Marlina", "0813-6677-9900"),
        (*NEUTRALITY_PATH, to_bkd(181, d(10, 24), "pending")),
    ),
    DemoCase(
        at(10, 21), "report", "election_crime", PILKADA,
        "Pembagian uang Rp100.000 oleh tim paslon di Desa Pagar Dewa",
        "Dugaan politik uang (UU 10/2016 Pasal 187A): warga menerima Rp100.000 dan diminta "
        "memilih pasangan calon tertentu.",
        "Manna", "Pagar Dewa", d(10, 19), ("partisan_activity",),
        (honorer("Suryadi", "1701040404800010", "Anggota tim pemenangan", "Tim kampanye paslon"),),
        ("Ujang Saripudin", "0812-7355-4400"),
        (
            EXAMINE, FORWARD, to_gakkumdu(186, d(10, 22)),
            Copy("KEJARI", "Tembusan kepada Jaksa Sentra Gakkumdu."),
            to_prosecutor(31, d(11, 5), "pending"),
        ),
    ),
    DemoCase(
        at(10, 28), "report", "neutrality", PILKADA,
        "Honorer Dinas Pertanian menjadi tim kampanye paslon",
        "Nama terlapor tercantum dalam SK tim kampanye kecamatan pasangan calon.",
        "Ulu Manna", "Air Sulau", d(10, 25), ("campaigning",),
        (honorer("Andri Saputra", "1701100808920011", "Penyuluh Pertanian Swadaya", TANI),),
        ("Ramli", "0821-7388-1100"),
        (*NEUTRALITY_PATH, to_bkd(192, d(11, 4)), DECIDE, CLOSE),
    ),
    DemoCase(
        at(11, 4), "finding", "neutrality", PILKADA,
        "Sekretaris camat menyebarkan survei internal paslon di grup dinas",
        "Tangkapan layar grup WhatsApp kecamatan menunjukkan terlapor membagikan hasil survei "
        "pasangan calon disertai ajakan.",
        "Pino Raya", "Padang Leban", d(11, 1), ("social_media",),
        (pns("Yusuf Efendi, S.IP.", "198105052005011013", "Sekretaris Camat", kec("Pino Raya")),),
    ),
    DemoCase(
        at(11, 8), "report", "other_law", PILKADA,
        "Kepala desa menggunakan dana desa untuk kegiatan kampanye",
        "Pembelian tenda dan konsumsi kampanye diduga dibayar dari anggaran kegiatan desa.",
        "Ulu Manna", "Simpang Pino", d(11, 2), ("state_facilities",),
        (village_head("Bustami", "1701100101690012", "Simpang Pino"),),
        ("Lembaga Swadaya Masyarakat Manna Bersih", "0811-7377-0808"),
        (EXAMINE, FORWARD, to_inspektorat(198, d(11, 13))),
    ),
    DemoCase(
        at(11, 12), "report", "neutrality", PILKADA,
        "Guru PNS dan guru honorer berfoto dengan gestur dua jari",
        "Foto bersama usai upacara dengan gestur nomor urut pasangan calon beredar di media "
        "sosial.",
        "Bunga Mas", "Suka Bandung", d(11, 11), ("partisan_gesture_photo",),
        (
            pns("Indra Gunawan, S.Pd.", "198607072011011008", "Guru Kelas", sd(30)),
            honorer("Siska Oktaviani", "1701024410970013", "Guru Honorer", sd(30)),
        ),
        ("Dedi Hermanto", "0852-7300-6677"),
        (EXAMINE, Move("dismissed", "insufficient_evidence", "Asal foto tidak dapat dipastikan.")),
    ),
    DemoCase(
        at(11, 20), "finding", "election_crime", PILKADA,
        "ASN Setda membagikan amplop bersama tim paslon",
        "Pengawas mendapati terlapor ikut membagikan amplop kepada warga pada malam hari.",
        "Kota Manna", "Kayu Kunyit", d(11, 19), ("partisan_activity", "campaigning"),
        (pns("Hendra Saputra, S.H.", "198809092014031004", "Analis Hukum", SETDA),),
        None,
        (EXAMINE, FORWARD, to_gakkumdu(207, d(11, 22), "overdue")),
    ),
    DemoCase(
        at(11, 27, 16), "report", "election_crime", PILKADA,
        "Kepala desa mengintimidasi pemilih di TPS 03",
        "Terlapor berdiri di pintu TPS dan mengancam mencabut bantuan warga yang tidak memilih "
        "pasangan calon tertentu.",
        "Kedurang Ilir", "Batu Ampar", d(11, 27), ("partisan_decision",),
        (village_head("Rusli Effendi", "1701111212660014", "Batu Ampar"),),
        ("Saksi paslon 02", "0813-7722-4455"),
        (EXAMINE, FORWARD, to_gakkumdu(211, d(11, 28)), DECIDE),
    ),
    DemoCase(
        at(11, 28), "report", "neutrality", PILKADA,
        "Bhabinkamtibmas memantau TPS mengenakan atribut paslon",
        "Terlapor mengenakan gelang bergambar pasangan calon saat berjaga di TPS 07.",
        "Pasar Manna", "Pasar Mulia", d(11, 27), ("campaign_attributes",),
        (police("Bripda Yoga Saputra", "01020345", "Bhabinkamtibmas", "Polsek Kota Manna"),),
        ("Siti Rohani", "0822-7300-1188"),
    ),
    DemoCase(
        at(12, 2), "finding", "neutrality", PILKADA,
        "Akun resmi kelurahan mengucapkan selamat kemenangan paslon",
        "Akun Instagram resmi kelurahan mengunggah ucapan selamat kepada pasangan calon "
        "sebelum penetapan hasil oleh KPU.",
        "Kota Manna", "Pasar Baru", d(11, 29), ("social_media", "state_facilities"),
        (pns("Fauzan Azima, S.STP.", "199002022012061001", "Lurah", kec("Kota Manna")),),
        None,
        (EXAMINE,),
    ),
    DemoCase(
        at(12, 5), "report", "neutrality", PILKADA,
        "Prajurit TNI ikut konvoi kemenangan paslon",
        "Video memperlihatkan terlapor berpakaian sipil ikut konvoi kendaraan pendukung "
        "pasangan calon.",
        "Kota Manna", "Padang Kapuk", d(11, 30), ("partisan_activity",),
        (soldier("Praka Rahmat Saleh", "31150987650792", "Tamtama Kodim 0408/Bengkulu Selatan"),),
        ("Yanto", "0853-7300-9911"),
        (EXAMINE, FORWARD, to_own_discipline("TNI", 223, d(12, 10), "overdue")),
    ),
    DemoCase(
        at(12, 9), "report", "neutrality", PILKADA,
        "Kades memakai atribut paslon, laporan ganda",
        "Laporan atas peristiwa yang sama dengan laporan Kepala Desa Tanjung Negara.",
        "Air Nipis", "Tanjung Negara", d(9, 6), ("campaign_attributes",),
        (village_head("Zainal Abidin", "1701081111720008", "Tanjung Negara"),),
        ("Herlina", "0852-6600-7788"),
        (EXAMINE, Move("dismissed", "stopped", "Sama dengan laporan yang telah diproses."), CLOSE),
    ),
    DemoCase(
        at(12, 16), "finding", "administrative", PILKADA,
        "Pejabat menerbitkan izin tempat kampanye tanpa prosedur",
        "Izin penggunaan gedung daerah untuk kampanye diterbitkan hanya untuk satu pasangan "
        "calon, tanpa melalui KPU.",
        "Kota Manna", "Kota Medan", d(11, 5), ("partisan_decision", "state_facilities"),
        (pns("Drs. Sahril Anwar", "196710101992031009", "Kepala Bagian Umum", SETDA),),
        None,
        (*NEUTRALITY_PATH, to_inspektorat(231, d(12, 23))),
    ),
)
# fmt: on
