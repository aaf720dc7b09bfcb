"""Preprocessing layers. Each file holds one layer; this module lists them
in `__all__`, which `lamina.layers` re-exports."""

from lamina.layers.preprocessing.category_encoding import (
    CategoryEncoding as CategoryEncoding,
)
from lamina.layers.preprocessing.center_crop import CenterCrop as CenterCrop
from lamina.layers.preprocessing.discretization import (
    Discretization as Discretization,
)
from lamina.layers.preprocessing.normalization import (
    Normalization as Normalization,
)
from lamina.layers.preprocessing.rescaling import Rescaling as Rescaling
from lamina.layers.preprocessing.resizing import Resizing as Resizing

# Text, lookups, hashing and audio (issue 15).
from lamina.layers.preprocessing.hashed_crossing import (  # noqa: E402
    HashedCrossing as HashedCrossing,
)
from lamina.layers.preprocessing.hashing import (  # noqa: E402
    Hashing as Hashing,
)
from lamina.layers.preprocessing.integer_lookup import (  # noqa: E402
    IntegerLookup as IntegerLookup,
)
from lamina.layers.preprocessing.mel_spectrogram import (  # noqa: E402
    MelSpectrogram as MelSpectrogram,
)
from lamina.layers.preprocessing.stft_spectrogram import (  # noqa: E402
    STFTSpectrogram as STFTSpectrogram,
)
from lamina.layers.preprocessing.string_lookup import (  # noqa: E402
    StringLookup as StringLookup,
)
from lamina.layers.preprocessing.text_vectorization import (  # noqa: E402
    TextVectorization as TextVectorization,
)

__all__: list = [
    "CategoryEncoding",
    "CenterCrop",
    "Discretization",
    "Normalization",
    "Rescaling",
    "Resizing",
    # Text, lookups, hashing and audio (issue 15).
    "HashedCrossing",
    "Hashing",
    "IntegerLookup",
    "MelSpectrogram",
    "STFTSpectrogram",
    "StringLookup",
    "TextVectorization",
]
