"""The methods page explains what the engine does, in the registry's threshold (pathways.book.generated_pages)."""

from __future__ import annotations

from pathways.book.generated_pages import methods_page
from pathways.io.registry import Registry


def test_methods_page_explains_bounds_complements_gaps_and_sectors(registry):
    strict = Registry.model_validate({**registry.model_dump(mode="json"), "min_cell_size": 12})
    page = methods_page(strict)
    assert "minimum cell size to **12**" in page
    # bounds: the whole-percent rule with a worked example in the registry's threshold
    assert '"≥ 97%" says at most 12 were not counted' in page  # (100 (400 - 12)) // 400 = 97
    assert '"≥ 95%" says at most 20 were not counted' in methods_page(
        Registry.model_validate({**registry.model_dump(mode="json"), "min_cell_size": 20})
    )
    assert "at least 12" in page and "1 to 11" in page and "at most" in page
    # complementary suppression in rule 4's order, for every count a reader can subtract
    for words in (
        "group of unknown status",
        "not English learners",
        "the smallest other group",
        "denominators",
        "numerators, including those of rates shown as bounds",
        "shown again",
    ):
        assert words in page, words
    # gaps, gap trends, and what a sector figure is
    for words in (
        "**narrowing** when its distance from zero shrank by more than that margin",
        "**widening**",
        "A sector figure is not a group of learners",
        "carries no equity gap",
    ):
        assert words in page, words
    # a column an indicator needs filled in the year, from the catalogue's input_columns
    cte = page[page.index("#### CTE participation") :].split("####")[1]
    assert "- Not submitted unless filled in the school year: is_completed of cte_courses.csv" in cte
    # odds ratios: pooling and terms that cannot be estimated
    assert "pooled with the variable's reference level" in page and "left out of the model" in page
    # the table's new columns
    for col in (
        "shown_as",
        "bound",
        "gap_trend",
        "change_from_baseline_pp",
        "numerator_change_from_baseline_pct",
    ):
        assert col in page, col
