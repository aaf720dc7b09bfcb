"""The cases of `goldens/text_layers.json`: each builds a Keras layer with
`kwargs`, optionally adapts it, and calls it on `input`. Shared by the
generator (run with Keras + TensorFlow) and the tests (lamina)."""

VOCAB = ["a", "b", "c", "d"]
DATA = [["a", "c", "d"], ["d", "z", "b"]]
WORDS = [
    "the",
    "cat",
    "sat",
    "on",
    "mat",
    "dog",
    "ran",
    "the",
    "cat",
    "the",
    "zebra",
    "a",
    "b",
    "a",
]
ADAPT_DOCS = [
    ["the", "cat", "sat"],
    ["the", "dog", "ran"],
    ["a", "cat", "on"],
    ["the", "mat", "mat"],
]
UNSEEN = [["the", "cat", "xx"], ["yy", "mat", "zz"], ["", "a", "qq"]]
INTS = [[12, 1138, 42], [42, 1000, 36], [7, 12, 99999]]

CASES = []


def _add(id_, cls, kwargs, inp, **extra):
    CASES.append(
        {"id": id_, "cls": cls, "kwargs": kwargs, "input": inp, **extra}
    )


# -- StringLookup ---------------------------------------------------------
_add("sl_basic", "StringLookup", {"vocabulary": VOCAB}, DATA)
_add(
    "sl_mask",
    "StringLookup",
    {"vocabulary": VOCAB, "mask_token": ""},
    [["a", "", "z"], ["", "d", "b"]],
)
_add(
    "sl_oov0",
    "StringLookup",
    {"vocabulary": VOCAB, "num_oov_indices": 0},
    [["a", "b"], ["d", "c"]],
)
_add(
    "sl_oov3",
    "StringLookup",
    {"vocabulary": VOCAB, "num_oov_indices": 3},
    [["a", "zz", "y"], ["x", "w", "hello"], ["[UNK]", "c", "ü"]],
)
_add(
    "sl_oov5_mask",
    "StringLookup",
    {"vocabulary": VOCAB, "num_oov_indices": 5, "mask_token": "[M]"},
    [["a", "zz", "y"], ["[M]", "w", "hello"]],
)
_add(
    "sl_oov4_salt",
    "StringLookup",
    {"vocabulary": VOCAB, "num_oov_indices": 4, "salt": [133, 137]},
    [["a", "zz", "y", "q"], ["x", "w", "hello", "d"]],
)
_add(
    "sl_oov4_salt_int",
    "StringLookup",
    {"vocabulary": VOCAB, "num_oov_indices": 4, "salt": 7},
    [["a", "zz", "y", "q"], ["x", "w", "hello", "d"]],
)
for mode in ("one_hot", "multi_hot", "count"):
    _add(
        f"sl_{mode}",
        "StringLookup",
        {"vocabulary": VOCAB, "output_mode": mode},
        DATA,
    )
    _add(
        f"sl_{mode}_1d",
        "StringLookup",
        {"vocabulary": VOCAB, "output_mode": mode},
        ["a", "z", "a", "c"],
    )
    _add(
        f"sl_{mode}_col",
        "StringLookup",
        {"vocabulary": VOCAB, "output_mode": mode},
        [["a"], ["z"], ["c"]],
    )
    _add(
        f"sl_{mode}_mask",
        "StringLookup",
        {"vocabulary": VOCAB, "output_mode": mode, "mask_token": ""},
        [["a", "", "a"], ["", "d", "zz"]],
    )
    _add(
        f"sl_{mode}_pad",
        "StringLookup",
        {
            "vocabulary": VOCAB,
            "output_mode": mode,
            "max_tokens": 9,
            "pad_to_max_tokens": True,
        },
        DATA,
    )
_add(
    "sl_tfidf",
    "StringLookup",
    {
        "vocabulary": VOCAB,
        "output_mode": "tf_idf",
        "idf_weights": [0.25, 0.75, 0.6, 0.4],
    },
    DATA,
)
_add(
    "sl_tfidf_special",
    "StringLookup",
    {
        "vocabulary": ["[UNK]"] + VOCAB,
        "output_mode": "tf_idf",
        "idf_weights": [0.9, 0.25, 0.75, 0.6, 0.4],
    },
    DATA,
)
_add(
    "sl_tfidf_pad",
    "StringLookup",
    {
        "vocabulary": VOCAB,
        "output_mode": "tf_idf",
        "max_tokens": 8,
        "pad_to_max_tokens": True,
        "idf_weights": [0.25, 0.75, 0.6, 0.4],
    },
    DATA,
)
_add(
    "sl_special_given",
    "StringLookup",
    {"vocabulary": ["", "[UNK]", "a", "b"], "mask_token": ""},
    [["a", "", "q"]],
)
_add(
    "sl_invert",
    "StringLookup",
    {"vocabulary": VOCAB, "invert": True},
    [[1, 3, 4], [4, 0, 2], [7, 1, 0]],
)
_add(
    "sl_invert_mask",
    "StringLookup",
    {"vocabulary": VOCAB, "invert": True, "mask_token": "[M]"},
    [[1, 3, 4], [5, 0, 2]],
)
_add("sl_adapt", "StringLookup", {}, UNSEEN, adapt=WORDS)
_add("sl_adapt_docs", "StringLookup", {}, UNSEEN, adapt=ADAPT_DOCS)
_add("sl_adapt_max", "StringLookup", {"max_tokens": 4}, UNSEEN, adapt=WORDS)
_add(
    "sl_adapt_mask",
    "StringLookup",
    {"mask_token": "", "max_tokens": 5},
    UNSEEN,
    adapt=WORDS + ["", "", "", ""],
)
_add(
    "sl_adapt_tfidf",
    "StringLookup",
    {"output_mode": "tf_idf"},
    UNSEEN,
    adapt=ADAPT_DOCS,
)
_add(
    "sl_adapt_tfidf_pad",
    "StringLookup",
    {"output_mode": "tf_idf", "max_tokens": 10, "pad_to_max_tokens": True},
    UNSEEN,
    adapt=ADAPT_DOCS,
)
_add(
    "sl_adapt_count_oov2",
    "StringLookup",
    {"output_mode": "count", "num_oov_indices": 2},
    UNSEEN,
    adapt=ADAPT_DOCS,
)
_add(
    "sl_adapt_unicode",
    "StringLookup",
    {},
    [["é", "ß", "z"], ["日本", "é", "a"]],
    adapt=["é", "ß", "日本", "é", "Z", "a", "A", "ß", "é"],
)

# -- IntegerLookup --------------------------------------------------------
IVOCAB = [12, 36, 1138, 42]
_add("il_basic", "IntegerLookup", {"vocabulary": IVOCAB}, INTS)
_add(
    "il_mask",
    "IntegerLookup",
    {"vocabulary": IVOCAB, "mask_token": 0},
    [[12, 0, 5], [0, 42, 36]],
)
_add(
    "il_oov3",
    "IntegerLookup",
    {"vocabulary": IVOCAB, "num_oov_indices": 3},
    [[12, 7, -5], [100, 101, 102]],
)
_add(
    "il_oov3_farm",
    "IntegerLookup",
    {"vocabulary": IVOCAB, "num_oov_indices": 3, "oov_method": "farmhash"},
    [[12, 7, -5], [100, 101, 102]],
)
_add(
    "il_oov3_salt",
    "IntegerLookup",
    {
        "vocabulary": IVOCAB,
        "num_oov_indices": 3,
        "oov_method": "farmhash",
        "salt": [5, 9],
    },
    [[12, 7, -5], [100, 101, 102]],
)
for mode in ("one_hot", "multi_hot", "count"):
    _add(
        f"il_{mode}",
        "IntegerLookup",
        {"vocabulary": IVOCAB, "output_mode": mode},
        INTS,
    )
    _add(
        f"il_{mode}_mask",
        "IntegerLookup",
        {"vocabulary": IVOCAB, "output_mode": mode, "mask_token": 0},
        [[12, 0, 12], [0, 42, 5]],
    )
_add(
    "il_tfidf",
    "IntegerLookup",
    {
        "vocabulary": IVOCAB,
        "output_mode": "tf_idf",
        "idf_weights": [0.5, 0.25, 1.0, 0.75],
    },
    INTS,
)
_add(
    "il_invert",
    "IntegerLookup",
    {"vocabulary": IVOCAB, "invert": True},
    [[1, 3, 4], [4, 0, 2], [9, 1, 1]],
)
_add(
    "il_invert_mask",
    "IntegerLookup",
    {"vocabulary": IVOCAB, "invert": True, "mask_token": 0},
    [[1, 3, 4], [5, 0, 2]],
)
_add(
    "il_adapt",
    "IntegerLookup",
    {},
    INTS,
    adapt=[12, 36, 12, 42, 7, 7, 7, 1138, 99999, 36, 12],
    adapt_array=True,
)
_add(
    "il_adapt_max",
    "IntegerLookup",
    {"max_tokens": 3},
    INTS,
    adapt=[12, 36, 12, 42, 7, 7, 7, 1138, 99999, 36, 12],
    adapt_array=True,
)
_add(
    "il_adapt_tfidf",
    "IntegerLookup",
    {"output_mode": "tf_idf"},
    INTS,
    adapt=[[12, 36, 12], [42, 7, 7], [7, 1138, 12]],
    adapt_array=True,
)

# -- TextVectorization ----------------------------------------------------
SENTENCES = [
    "The cat sat on the mat.",
    "The dog ate my HOMEWORK!",
    "  Ünïcode  É tabs\tand\nnewlines, don't-stop ",
    "a b c a",
    "Hello, hello... HELLO?",
    "",
]
QUERIES = [
    ["the cat ate the bird"],
    ["DOG! dog, Dog?"],
    [""],
    ["ünïcode é É newlines"],
]
_add(
    "tv_docstring",
    "TextVectorization",
    {"max_tokens": 5000, "output_mode": "int", "output_sequence_length": 4},
    [["foo qux bar"], ["qux baz"]],
    adapt=["foo bar", "bar baz", "baz bada boom"],
)
_add(
    "tv_vocab",
    "TextVectorization",
    {
        "output_sequence_length": 4,
        "vocabulary": ["earth", "wind", "and", "fire"],
    },
    [["earth and fire and wind"], ["water"]],
)
_add("tv_adapt", "TextVectorization", {}, QUERIES, adapt=SENTENCES)
_add(
    "tv_adapt_1d",
    "TextVectorization",
    {},
    ["the cat ate", "dog dog", "zzz"],
    adapt=SENTENCES,
)
_add("tv_max", "TextVectorization", {"max_tokens": 6}, QUERIES, adapt=SENTENCES)
_add(
    "tv_seq_len",
    "TextVectorization",
    {"output_sequence_length": 3},
    QUERIES,
    adapt=SENTENCES,
)
_add(
    "tv_lower",
    "TextVectorization",
    {"standardize": "lower"},
    QUERIES,
    adapt=SENTENCES,
)
_add(
    "tv_strip",
    "TextVectorization",
    {"standardize": "strip_punctuation"},
    QUERIES,
    adapt=SENTENCES,
)
_add(
    "tv_none",
    "TextVectorization",
    {"standardize": None},
    QUERIES,
    adapt=SENTENCES,
)
_add(
    "tv_char",
    "TextVectorization",
    {"split": "character"},
    QUERIES,
    adapt=SENTENCES,
)
_add(
    "tv_nosplit",
    "TextVectorization",
    {"split": None},
    [["the cat"], ["hello hello hello"], ["a b c a"]],
    adapt=["the cat", "a b c a", "the cat", "hello hello hello"],
)
_add("tv_ngrams2", "TextVectorization", {"ngrams": 2}, QUERIES, adapt=SENTENCES)
_add(
    "tv_ngrams_tuple",
    "TextVectorization",
    {"ngrams": (1, 3), "output_sequence_length": 12},
    QUERIES,
    adapt=SENTENCES,
)
for mode in ("multi_hot", "count", "tf_idf"):
    _add(
        f"tv_{mode}",
        "TextVectorization",
        {"output_mode": mode},
        QUERIES,
        adapt=SENTENCES,
    )
    _add(
        f"tv_{mode}_pad",
        "TextVectorization",
        {"output_mode": mode, "max_tokens": 30, "pad_to_max_tokens": True},
        QUERIES,
        adapt=SENTENCES,
    )
_add(
    "tv_tfidf_vocab",
    "TextVectorization",
    {
        "output_mode": "tf_idf",
        "vocabulary": ["cat", "dog", "the"],
        "idf_weights": [0.5, 1.5, 0.1],
    },
    QUERIES,
)
_add(
    "tv_count_ngrams",
    "TextVectorization",
    {"output_mode": "count", "ngrams": 2},
    QUERIES,
    adapt=SENTENCES,
)

# -- Hashing and HashedCrossing -------------------------------------------
LETTERS = [["A"], ["B"], ["C"], ["D"], ["E"]]
MIXED = [
    "",
    "a",
    "hello world",
    "x" * 17,
    "y" * 40,
    "z" * 70,
    "ü日本",
    "The quick brown fox jumps over the lazy dog" * 3,
]
NUMBERS = [[0, 1, -1], [42, 123456789012, -98765], [7, 7, 2**62]]
_add("h_doc", "Hashing", {"num_bins": 3}, LETTERS)
_add(
    "h_doc_mask",
    "Hashing",
    {"num_bins": 3, "mask_value": ""},
    [["A"], ["B"], [""], ["C"], ["D"]],
)
_add("h_doc_salt", "Hashing", {"num_bins": 3, "salt": [133, 137]}, LETTERS)
_add("h_doc_salt1", "Hashing", {"num_bins": 3, "salt": 133}, LETTERS)
_add("h_mixed", "Hashing", {"num_bins": 1000003}, MIXED)
_add(
    "h_mixed_salt", "Hashing", {"num_bins": 1000003, "salt": [1, 2**40]}, MIXED
)
_add("h_ints", "Hashing", {"num_bins": 97}, NUMBERS)
_add("h_ints_mask", "Hashing", {"num_bins": 97, "mask_value": 7}, NUMBERS)
_add("h_ints_salt", "Hashing", {"num_bins": 97, "salt": 5}, NUMBERS)
_add(
    "h_floats",
    "Hashing",
    {"num_bins": 50},
    [1.5, -2.7, 3.0, 1e10],
    input_dtype="float64",
)
_add(
    "h_int32",
    "Hashing",
    {"num_bins": 11, "dtype": "int32"},
    [["a", "b"], ["c", "d"]],
)
for mode in ("one_hot", "multi_hot", "count"):
    _add(
        f"h_{mode}",
        "Hashing",
        {"num_bins": 6, "output_mode": mode},
        [["a", "b", "a"], ["c", "d", "e"]],
    )
    _add(
        f"h_{mode}_col",
        "Hashing",
        {"num_bins": 6, "output_mode": mode},
        LETTERS,
    )
    _add(
        f"h_{mode}_1d",
        "Hashing",
        {"num_bins": 6, "output_mode": mode},
        ["a", "b", "a", "q"],
    )
_add(
    "hc_doc",
    "HashedCrossing",
    {"num_bins": 5},
    [["A", "B", "A", "B", "A"], [101, 101, 101, 102, 102]],
    input_tuple=True,
)
_add(
    "hc_doc_one_hot",
    "HashedCrossing",
    {"num_bins": 5, "output_mode": "one_hot"},
    [["A", "B", "A", "B", "A"], [101, 101, 101, 102, 102]],
    input_tuple=True,
)
_add(
    "hc_three",
    "HashedCrossing",
    {"num_bins": 1000},
    [["x", "y", "hello world"], [-1, 0, 2**40], ["a", "b", "c"]],
    input_tuple=True,
)
_add(
    "hc_col",
    "HashedCrossing",
    {"num_bins": 17},
    [[[3], [4], [5]], [["p"], ["q"], ["r"]]],
    input_tuple=True,
)
_add(
    "hc_col_one_hot",
    "HashedCrossing",
    {"num_bins": 4, "output_mode": "one_hot"},
    [[[3], [4], [5]], [["p"], ["q"], ["r"]]],
    input_tuple=True,
)
_add(
    "hc_scalar",
    "HashedCrossing",
    {"num_bins": 9},
    ["abc", 12],
    input_tuple=True,
)
_add(
    "hc_big",
    "HashedCrossing",
    {"num_bins": 2**62},
    [["m", "n"], [5, 6]],
    input_tuple=True,
)
