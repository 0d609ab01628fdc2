# The one place the version lives; pyproject.toml reads it (hatch version path).
__version__ = "0.1.0"
