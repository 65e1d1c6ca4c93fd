"""The sanction, escalation and outcome code lists (DESIGN §6) and check_sanction."""

from __future__ import annotations

import pytest

from pokja.errors import RuleViolation
from pokja.followup.sanctions import (
    ESCALATION_KINDS,
    RECOMMENDATION_OUTCOMES,
    SANCTION_KINDS,
    SANCTION_LEVELS,
    allowed_kinds,
    check_sanction,
)
from pokja.models import SUBJECT_TYPES


def test_every_label_has_indonesian_and_english():
    for table in (SANCTION_LEVELS, ESCALATION_KINDS, RECOMMENDATION_OUTCOMES):
        for code, (label_id, label_en) in table.items():
            assert label_id, code
            assert label_en, code
    for code, kind in SANCTION_KINDS.items():
        assert all((kind.label_id, kind.label_en, kind.legal_basis)), code


def test_every_kind_has_a_known_level_and_subject_types():
    for code, kind in SANCTION_KINDS.items():
        assert kind.level in SANCTION_LEVELS, code
        assert kind.subject_types, code
        assert set(kind.subject_types) <= set(SUBJECT_TYPES), code


def test_every_subject_type_has_a_sanction_at_every_disciplinary_level():
    for subject_type in SUBJECT_TYPES:
        for level in ("light", "moderate", "severe", "none"):
            assert allowed_kinds(subject_type, level), (subject_type, level)


def test_pp_94_2021_kinds_for_civil_servants():
    assert allowed_kinds("pns", "light") == [
        "oral_reprimand",
        "written_reprimand",
        "written_dissatisfaction",
    ]
    assert allowed_kinds("pppk", "moderate") == [
        "allowance_cut_6m",
        "allowance_cut_9m",
        "allowance_cut_12m",
    ]
    assert allowed_kinds("pns", "severe") == [
        "demotion_12m",
        "non_managerial_post_12m",
        "honourable_dismissal",
    ]
    assert allowed_kinds("pns", "moral") == ["moral_closed", "moral_public"]


def test_tni_detention_kinds_under_uu_25_2014():
    assert allowed_kinds("tni") == [
        "tni_reprimand",
        "tni_light_detention",
        "tni_heavy_detention",
        "no_sanction",
    ]


def test_village_head_is_dismissed_by_the_regent_and_official_by_the_village_head():
    assert "village_head_dismissal" in allowed_kinds("village_head", "severe")
    assert "village_head_dismissal" not in allowed_kinds("village_official", "severe")
    assert "village_official_dismissal" in allowed_kinds("village_official", "severe")


def test_check_sanction_accepts_a_fitting_kind():
    check_sanction("pns", "moderate", "allowance_cut_9m")
    check_sanction("polri", "severe", "polri_dishonourable_dismissal")
    check_sanction("non_asn", "none", "no_sanction")


def test_check_sanction_names_the_allowed_kinds():
    with pytest.raises(RuleViolation) as caught:
        check_sanction("tni", "moderate", "allowance_cut_6m")
    error = caught.value
    assert error.status == 422
    assert error.code == "invalid_sanction"
    assert "tni_light_detention" in error.detail
    assert "tni_light_detention" in error.extra["errors"]["kind"][0]


def test_check_sanction_refuses_a_kind_of_another_level():
    with pytest.raises(RuleViolation) as caught:
        check_sanction("pns", "light", "honourable_dismissal")
    assert "oral_reprimand" in caught.value.detail


def test_check_sanction_refuses_an_unknown_level():
    with pytest.raises(RuleViolation) as caught:
        check_sanction("pns", "capital", "oral_reprimand")
    assert "level" in caught.value.extra["errors"]


def test_escalation_kinds_and_outcomes():
    assert list(ESCALATION_KINDS) == [
        "reminder",
        "request_data_block",
        "report_to_ministry",
        "other",
    ]
    assert list(RECOMMENDATION_OUTCOMES) == ["followed_up", "rejected"]
