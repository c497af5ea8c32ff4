# Shim for tools that still look for setup.py; packaging is defined in pyproject.toml (flit_core).
import re
from pathlib import Path

from setuptools import find_packages, setup

version = re.search(
	r'^__version__\s*=\s*"([^"]+)"',
	(Path(__file__).parent / "support_plus" / "__init__.py").read_text(),
	re.M,
).group(1)

setup(
	name="support_plus",
	version=version,
	packages=find_packages(),
	include_package_data=True,
	zip_safe=False,
)
