"""API parity as a tested fact: the Keras 3 names lamina claims exist in
Keras and are exported by lamina."""

import importlib

import pytest

import lamina
from tests.keras_oracle import keras

CLAIMED = {
    "layers": [
        "CategoryEncoding", "CenterCrop", "Discretization", "Normalization", "Rescaling",
        "Resizing",
        "HashedCrossing", "Hashing", "IntegerLookup", "MelSpectrogram",
        "STFTSpectrogram", "StringLookup", "TextVectorization",
        # Image augmentation.
        "AugMix", "AutoContrast", "ContrastLimitedAdaptiveHistogramEqualization",
        "CutMix", "Equalization", "MaxNumBoundingBoxes", "MixUp", "Pipeline",
        "RandAugment", "RandomBrightness", "RandomColorDegeneration",
        "RandomColorJitter", "RandomContrast", "RandomCrop",
        "RandomElasticTransform", "RandomErasing", "RandomFlip",
        "RandomGaussianBlur", "RandomGrayscale", "RandomHue", "RandomInvert",
        "RandomPerspective", "RandomPosterization", "RandomRotation",
        "RandomSaturation", "RandomSharpness", "RandomShear",
        "RandomTranslation", "RandomZoom", "Solarization",
        "Input", "InputLayer", "InputSpec", "Layer", "Dense", "Activation",
        "Dropout", "Flatten", "Embedding", "EinsumDense", "Lambda",
        "Masking", "Identity", "Reshape", "Permute", "RepeatVector",
        "UpSampling1D", "UpSampling2D", "UpSampling3D", "ZeroPadding1D",
        "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D",
        "Cropping3D", "SpatialDropout1D", "SpatialDropout2D",
        "SpatialDropout3D", "GaussianNoise", "GaussianDropout",
        "AlphaDropout", "ActivityRegularization", "Add", "Subtract",
        "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot",
        "add", "subtract", "multiply", "average", "maximum", "minimum",
        "concatenate", "dot", "ReLU", "LeakyReLU", "PReLU", "ELU",
        "Softmax",
        "AdditiveAttention", "Attention", "MultiHeadAttention", "Conv1D",
        "Conv1DTranspose", "Conv2D", "Conv2DTranspose", "Conv3D",
        "Conv3DTranspose", "DepthwiseConv1D", "DepthwiseConv2D",
        "SeparableConv1D", "SeparableConv2D", "BatchNormalization",
        "GroupNormalization", "LayerNormalization", "UnitNormalization",
        "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
        "AvgPool1D", "AvgPool2D", "AvgPool3D", "GlobalAveragePooling1D",
        "GlobalAveragePooling2D", "GlobalAveragePooling3D", "GlobalAvgPool1D",
        "GlobalAvgPool2D", "GlobalAvgPool3D", "GlobalMaxPool1D",
        "GlobalMaxPool2D", "GlobalMaxPool3D", "GlobalMaxPooling1D",
        "GlobalMaxPooling2D", "GlobalMaxPooling3D", "MaxPool1D", "MaxPool2D",
        "MaxPool3D", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D",
        "AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D", "AdaptiveAveragePooling3D",
        "AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D",
        "Bidirectional", "GRU", "GRUCell", "LSTM", "LSTMCell", "RNN",
        "SimpleRNN", "SimpleRNNCell", "StackedRNNCells", "TimeDistributed",
        "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
        "Convolution1D", "Convolution2D", "Convolution3D",
        "Convolution1DTranspose", "Convolution2DTranspose",
        "Convolution3DTranspose", "SeparableConvolution1D",
        "SeparableConvolution2D", "serialize", "deserialize",
        "TorchModuleWrapper", "RMSNormalization",
        "SpectralNormalization", "ReversibleEmbedding",
    ],
    "models": ["Model", "Sequential", "clone_model", "load_model",
               "model_from_json", "save_model"],
    "": ["Sequential", "Model", "Input", "Layer", "Variable",
         "DTypePolicy"],
    "activations": ["get", "serialize", "deserialize", "relu", "sigmoid",
                    "tanh", "softmax", "gelu", "silu", "elu", "selu",
                    "softplus", "softsign", "linear", "log_softmax"],
    "initializers": ["get", "serialize", "deserialize", "GlorotUniform",
                     "HeNormal", "Zeros", "Ones", "Constant", "Orthogonal",
                     "Identity", "VarianceScaling", "TruncatedNormal"],
    "regularizers": ["get", "L1", "L2", "L1L2", "OrthogonalRegularizer"],
    "constraints": ["get", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm"],
    "saving": [
        "CustomObjectScope", "custom_object_scope", "deserialize_keras_object",
        "get_custom_objects", "get_registered_name", "get_registered_object",
        "load_model", "load_weights", "register_keras_serializable",
        "save_model", "save_weights", "serialize_keras_object",
    ],
    "optimizers": [
        "Adadelta", "Adagrad", "Adam", "AdamW", "Adamax", "Ftrl", "Lion",
        "LossScaleOptimizer", "Nadam", "Optimizer", "RMSprop", "SGD",
        "ScheduleFreeAdamW", "Muon",
        "deserialize", "get", "schedules", "serialize",
    ],
    "optimizers.schedules": [
        "CosineDecay", "CosineDecayRestarts", "ExponentialDecay",
        "InverseTimeDecay", "LearningRateSchedule", "PiecewiseConstantDecay",
        "PolynomialDecay", "deserialize", "serialize",
    ],
    "losses": [
        "BinaryCrossentropy", "BinaryFocalCrossentropy", "CTC",
        "CategoricalCrossentropy", "CategoricalFocalCrossentropy",
        "CategoricalGeneralizedCrossEntropy", "CategoricalHinge", "Circle",
        "CosineSimilarity", "Dice", "Hinge", "Huber", "KLDivergence",
        "LogCosh", "Loss", "MeanAbsoluteError", "MeanAbsolutePercentageError",
        "MeanSquaredError", "MeanSquaredLogarithmicError", "Poisson",
        "SparseCategoricalCrossentropy", "SquaredHinge", "Tversky",
        "binary_crossentropy", "binary_focal_crossentropy",
        "categorical_crossentropy", "categorical_focal_crossentropy",
        "categorical_generalized_cross_entropy", "categorical_hinge", "circle",
        "cosine_similarity", "ctc", "deserialize", "dice", "get", "hinge",
        "huber", "kl_divergence", "log_cosh", "mean_absolute_error",
        "mean_absolute_percentage_error", "mean_squared_error",
        "mean_squared_logarithmic_error", "poisson", "serialize",
        "sparse_categorical_crossentropy", "squared_hinge", "tversky",
    ],
    "metrics": [
        "AUC", "Accuracy", "BinaryAccuracy", "BinaryCrossentropy", "BinaryIoU",
        "CategoricalAccuracy", "CategoricalCrossentropy", "CategoricalHinge",
        "ConcordanceCorrelation", "CosineSimilarity", "F1Score", "FBetaScore",
        "FalseNegatives", "FalsePositives", "Hinge", "IoU", "KLDivergence",
        "LogCoshError", "Mean", "MeanAbsoluteError",
        "MeanAbsolutePercentageError", "MeanIoU", "MeanMetricWrapper",
        "MeanSquaredError", "MeanSquaredLogarithmicError", "Metric",
        "OneHotIoU", "OneHotMeanIoU", "PearsonCorrelation", "Poisson",
        "Precision", "PrecisionAtRecall", "R2Score", "Recall",
        "RecallAtPrecision", "RootMeanSquaredError",
        "SensitivityAtSpecificity", "SparseCategoricalAccuracy",
        "SparseCategoricalCrossentropy", "SparseTopKCategoricalAccuracy",
        "SpecificityAtSensitivity", "SquaredHinge", "Sum",
        "TopKCategoricalAccuracy", "TrueNegatives", "TruePositives",
        "binary_accuracy", "binary_crossentropy", "binary_focal_crossentropy",
        "categorical_accuracy", "categorical_crossentropy",
        "categorical_focal_crossentropy", "categorical_hinge",
        "concordance_correlation", "deserialize", "get", "hinge", "huber",
        "kl_divergence", "log_cosh", "mean_absolute_error",
        "mean_absolute_percentage_error", "mean_squared_error",
        "mean_squared_logarithmic_error", "pearson_correlation", "poisson",
        "serialize", "sparse_categorical_accuracy",
        "sparse_categorical_crossentropy", "sparse_top_k_categorical_accuracy",
        "squared_hinge", "top_k_categorical_accuracy",
    ],
    "callbacks": [
        "BackupAndRestore", "CSVLogger", "Callback", "CallbackList",
        "EarlyStopping", "History", "LambdaCallback", "LearningRateScheduler",
        "ModelCheckpoint", "ProgbarLogger", "ReduceLROnPlateau", "TensorBoard",
        "TerminateOnNaN",
    ],
    "mixed_precision": [
        "DTypePolicy", "LossScaleOptimizer", "Policy", "dtype_policy",
        "global_policy", "set_dtype_policy", "set_global_policy",
    ],
    "datasets": [
        "mnist", "fashion_mnist", "cifar10", "cifar100", "imdb", "reuters",
        "boston_housing", "california_housing",
    ],
    "random": ["SeedGenerator", "normal", "uniform", "randint",
               "truncated_normal", "dropout", "shuffle", "categorical",
               "gamma", "binomial", "beta"],
    "utils": ["to_categorical", "set_random_seed", "Progbar", "PyDataset",
              "clear_session", "get_file", "normalize"],
}


@pytest.mark.parametrize("module", sorted(CLAIMED))
def test_claimed_names_exist_in_both(module):
    k_mod = importlib.import_module("keras." + module) if module else keras
    l_mod = importlib.import_module("lamina." + module) if module else lamina
    missing_in_keras = [n for n in CLAIMED[module] if not hasattr(k_mod, n)]
    missing_in_lamina = [n for n in CLAIMED[module]
                         if not hasattr(l_mod, n)]
    assert missing_in_keras == [], "claimed names Keras does not have"
    assert missing_in_lamina == []


# lamina's own additions, which Keras does not have.
EXTRAS = {
    "models": {"Functional"},
    "optimizers": {"TorchOptimizer"},
    "losses": {"LossFunctionWrapper"},
    "metrics": {"MetricVariable"},
    "callbacks": {"MonitorCallback"},
    "datasets": {"digits"},
}


@pytest.mark.parametrize("module", sorted(set(CLAIMED) - {""}))
def test_every_export_is_a_keras_name_or_a_declared_extra(module):
    k_mod = importlib.import_module("keras." + module)
    l_mod = importlib.import_module("lamina." + module)
    exported = getattr(l_mod, "__all__", None)
    if exported is None:
        pytest.fail(f"lamina.{module} has no __all__")
    unexpected = [n for n in exported if not hasattr(k_mod, n)
                  and n not in EXTRAS.get(module, set())]
    assert unexpected == []


def test_layers_all_is_exactly_what_is_exported():
    for name in lamina.layers.__all__:
        assert hasattr(lamina.layers, name), name
