"""The engine: Layer, Variable, symbolic tensors and graph, shape inference.

See README.md in this folder for its rules.
"""
