from pathlib import Path

import pytest
import yaml

from pathways.io.registry import RegistryError, load_registry


def test_demo_registry_has_three_demo_partnerships(registry):
    assert registry.ids == ["denver", "aurora", "san-luis-valley"]
    assert all(p.is_demo for p in registry.partnerships)
    assert registry.min_cell_size == 10
    denver = registry.get("denver")
    names = {p.name for p in denver.partners}
    assert {
        "Denver Public Schools",
        "Emily Griffith Technical College",
        "Community College of Denver",
        "Metropolitan State University of Denver",
        "University of Colorado Denver",
        "Colorado Community College System",
        "Colorado Department of Education",
        "Colorado Department of Higher Education",
        "Colorado Workforce Development Council",
    } <= names
    assert any(p.sector == "intermediary" for p in denver.partners)
    for p in registry.partnerships:
        assert p.baseline_year == 2019 and p.goals and p.living_wage_usd > 0 and p.tuition_per_credit_usd > 0


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "partnerships.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _minimal() -> dict:
    return {
        "partnerships": [
            {
                "id": "x",
                "name": "X",
                "region": "R",
                "convener": "C",
                "partners": [{"name": "A", "sector": "k12"}],
                "baseline_year": 2019,
                "living_wage_usd": 50000,
                "tuition_per_credit_usd": 200,
            }
        ]
    }


def test_min_cell_size_defaults_to_ten(tmp_path):
    assert load_registry(_write(tmp_path, _minimal())).min_cell_size == 10


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda d: d["partnerships"][0].update(id="Bad Id"), "partnerships[Bad Id].id"),
        (lambda d: d["partnerships"][0]["partners"][0].update(sector="church"), "sector"),
        (
            lambda d: d["partnerships"][0].update(
                goals=[
                    {"indicator": "cte_participation", "measure": "rate", "target": 35, "target_year": 2025}
                ]
            ),
            "between 0 and 1",
        ),
        (
            lambda d: d["partnerships"][0].update(
                goals=[{"indicator": "no_such", "measure": "count", "target": 3, "target_year": 2025}]
            ),
            "unknown indicator",
        ),
        (lambda d: d["partnerships"].append(dict(d["partnerships"][0])), "repeated: x"),
        (lambda d: d.update(min_cell_size=0), "min_cell_size"),
        (lambda d: d["partnerships"][0].pop("living_wage_usd"), "living_wage_usd"),
    ],
)
def test_registry_errors_name_the_place(tmp_path, change, words):
    data = _minimal()
    change(data)
    with pytest.raises(RegistryError) as err:
        load_registry(_write(tmp_path, data))
    assert words in str(err.value)


def test_registry_missing_or_not_yaml(tmp_path):
    with pytest.raises(RegistryError, match="not found"):
        load_registry(tmp_path / "nope.yml")
    bad = tmp_path / "bad.yml"
    bad.write_text("partnerships: [\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="not a readable YAML"):
        load_registry(bad)
