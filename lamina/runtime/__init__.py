"""The process runtime under the training loop: which device, which
process of how many (`environment`), the collectives between processes,
and the chief-only work (`chief`).

It sits below `callbacks`, `models`, `saving` and `trainers` and imports
none of them, so each can ask "am I rank 0?" or "which device?" without an
import cycle. `lamina.distribute` builds data parallelism on top of it.
"""
