"""Backprop worksheet: one training step of a tiny neural network as a live-formula workbook."""

__version__ = "0.1.0"
