"""roadmap: a city's digital strategy as YAML files in git, turned into a ranked,
bundled, scheduled roadmap for its council."""

__version__ = "0.1.0"
