"""The one version string."""

from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("rarewatch")
except PackageNotFoundError:  # running from a source tree without install
    VERSION = "0.0.0+local"
