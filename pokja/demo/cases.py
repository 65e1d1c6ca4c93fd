"""The demo Pokja's case catalogue: about forty cases in Kabupaten Bengkulu Selatan."""

from __future__ import annotations

from pokja.demo.cases_pemilu import PEMILU_CASES
from pokja.demo.cases_pilkada import PILKADA_CASES
from pokja.demo.catalogue import DemoCase

CASES: tuple[DemoCase, ...] = PEMILU_CASES + PILKADA_CASES
