"""Stand-in for numpy 1.26.4 (the TorchCuda sample's default-index package)."""
__version__ = "1.26.4"
ORIGIN = "default index"
