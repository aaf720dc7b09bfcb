"""Bounding boxes of the geometric augmentation layers (placeholder)."""
