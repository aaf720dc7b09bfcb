"""Exporting for serving: `ExportArchive` (torch.export or ONNX)."""

from lamina.export.export_archive import ExportArchive as ExportArchive

__all__ = ["ExportArchive"]
