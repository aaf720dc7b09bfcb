"""Random ops and `SeedGenerator`, as `keras.random`."""

from lamina.random.random_ops import beta as beta
from lamina.random.random_ops import binomial as binomial
from lamina.random.random_ops import categorical as categorical
from lamina.random.random_ops import dropout as dropout
from lamina.random.random_ops import gamma as gamma
from lamina.random.random_ops import normal as normal
from lamina.random.random_ops import randint as randint
from lamina.random.random_ops import shuffle as shuffle
from lamina.random.random_ops import truncated_normal as truncated_normal
from lamina.random.random_ops import uniform as uniform
from lamina.random.seed_generator import SeedGenerator as SeedGenerator

__all__ = [
    "SeedGenerator",
    "beta",
    "binomial",
    "categorical",
    "dropout",
    "gamma",
    "normal",
    "randint",
    "shuffle",
    "truncated_normal",
    "uniform",
]
