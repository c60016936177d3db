"""Ship the project files the package reads at run time inside the wheel (pathways/project_files/).

The repository keeps the notebooks, the book's pages and configuration, the clerks' templates
and the changelog at its root, where analysts edit them; an installed package finds this copy
when the project it runs in has none of its own (pathways.io.project.project_path).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# Keep equal to pathways.io.project.PROJECT_FILES (tests/test_install.py checks it).
PROJECT_FILES = ("notebooks", "book", "data_templates", "_config.yml", "_toc.yml", "CHANGELOG.md")
SKIP = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")


class BuildWithProjectFiles(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads the checkout itself
            return
        target = Path(self.build_lib) / "pathways" / "project_files"
        for name in PROJECT_FILES:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, target / name, ignore=SKIP, dirs_exist_ok=True)
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)


setup(cmdclass={"build_py": BuildWithProjectFiles})
