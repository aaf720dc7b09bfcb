"""Runnable examples (`python -m lamina.examples.train_digits`)."""
