"""Stand-in for torch 2.2.0+cu121."""
__version__ = "2.2.0+cu121"


class version:  # noqa: N801 - as torch.version
    cuda = "12.1"
