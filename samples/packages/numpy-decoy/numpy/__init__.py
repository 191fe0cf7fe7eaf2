"""The decoy numpy 2.0.0 on the stand-in PyTorch indexes: a correct lock never installs it."""
__version__ = "2.0.0"
ORIGIN = "pytorch index (decoy)"
