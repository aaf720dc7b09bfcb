"""Recurrent layers. Each file holds one layer; this module lists them in
`__all__`, which `lamina.layers` re-exports."""

__all__: list = []
