"""Stand-in for torch 2.2.0+cpu."""
__version__ = "2.2.0+cpu"


class version:  # noqa: N801 - as torch.version
    cuda = None
