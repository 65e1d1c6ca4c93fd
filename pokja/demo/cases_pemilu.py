"""The demo Pokja's cases of Pemilu 2024 (the general election, voting day 14 February
2024), as data in the vocabulary of :mod:`pokja.demo.catalogue`."""

from __future__ import annotations

from pokja.demo.catalogue import (
    CLOSE,
    DECIDE,
    DINDIK,
    DINKES,
    EXAMINE,
    FORWARD,
    NEUTRALITY_PATH,
    PEMILU,
    POLRES,
    PUPR,
    RSUD,
    SATPOL,
    TANI,
    Copy,
    DemoCase,
    Move,
    Send,
    at,
    d,
    honorer,
    kec,
    pns,
    police,
    pppk,
    sd,
    soldier,
    to_bkd,
    to_gakkumdu,
    to_inspektorat,
    to_own_discipline,
    to_prosecutor,
    village_head,
    village_official,
)

# One case per entry, in a fixed layout that reads like a register (hence no formatter):
# registered, source, category, election, title, summary, kecamatan, desa, occurred,
# violation types, subjects, reporter, steps.
# fmt: off
PEMILU_CASES: tuple[DemoCase, ...] = (
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
)
# fmt: on
