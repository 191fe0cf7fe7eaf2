"""Prints which torch build and numpy the venv holds: `.venv/bin/python check.py` (Scripts\\python.exe on Windows)."""
import numpy
import torch

print(f"torch {torch.__version__} (CUDA {torch.version.cuda}), numpy {numpy.__version__} from the {numpy.ORIGIN}")
