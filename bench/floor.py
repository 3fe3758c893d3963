"""The bare floor: read and parse every file of a portfolio with the fastest C-backed
YAML parser here (PyYAML's CSafeLoader on libyaml), and nothing else."""

import sys
from pathlib import Path

import yaml

folder = Path(sys.argv[1])
for path in [folder / "strategy.yaml", *sorted((folder / "projects").glob("*.yaml"))]:
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
