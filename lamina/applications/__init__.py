"""
from lamina.applications import densenet as densenet
from lamina.applications import inception_resnet_v2 as inception_resnet_v2
from lamina.applications import inception_v3 as inception_v3
from lamina.applications import mobilenet as mobilenet
from lamina.applications import mobilenet_v2 as mobilenet_v2
from lamina.applications.densenet import DenseNet121 as DenseNet121
from lamina.applications.densenet import DenseNet169 as DenseNet169
from lamina.applications.densenet import DenseNet201 as DenseNet201
from lamina.applications.inception_resnet_v2 import (
    InceptionResNetV2 as InceptionResNetV2,
)
from lamina.applications.inception_v3 import InceptionV3 as InceptionV3
from lamina.applications.mobilenet import MobileNet as MobileNet
from lamina.applications.mobilenet_v2 import MobileNetV2 as MobileNetV2
from lamina.applications import imagenet_utils as imagenet_utils
from lamina.applications import resnet as resnet
from lamina.applications import resnet50 as resnet50
from lamina.applications import resnet_v2 as resnet_v2
from lamina.applications.resnet import ResNet50 as ResNet50
from lamina.applications.resnet import ResNet101 as ResNet101
from lamina.applications.resnet import ResNet152 as ResNet152
from lamina.applications.resnet_v2 import ResNet50V2 as ResNet50V2
from lamina.applications.resnet_v2 import ResNet101V2 as ResNet101V2
from lamina.applications.resnet_v2 import ResNet152V2 as ResNet152V2
from lamina.applications import vgg16 as vgg16
from lamina.applications import vgg19 as vgg19
from lamina.applications import xception as xception
from lamina.applications.vgg16 import VGG16 as VGG16
from lamina.applications.vgg19 import VGG19 as VGG19
from lamina.applications.xception import Xception as Xception

__all__ = [
    "DenseNet121",
    "DenseNet169",
    "DenseNet201",
    "InceptionResNetV2",
    "InceptionV3",
    "MobileNet",
    "MobileNetV2",
    "densenet",
    "inception_resnet_v2",
    "inception_v3",
    "mobilenet",
    "mobilenet_v2",
    "ResNet50",
    "ResNet101",
    "ResNet152",
    "ResNet50V2",
    "ResNet101V2",
    "ResNet152V2",
    "VGG16",
    "VGG19",
    "Xception",
    "imagenet_utils",
    "resnet",
    "resnet50",
    "resnet_v2",
    "vgg16",
    "vgg19",
    "xception",
]

# --- Families added by a second change (mobilenet_v3, efficientnet,
# efficientnet_v2, convnext, nasnet) go below this line. ---
"""

from lamina.applications import densenet as densenet
from lamina.applications import imagenet_utils as imagenet_utils
from lamina.applications import inception_resnet_v2 as inception_resnet_v2
from lamina.applications import inception_v3 as inception_v3
from lamina.applications import mobilenet as mobilenet
from lamina.applications import mobilenet_v2 as mobilenet_v2
from lamina.applications import resnet as resnet
from lamina.applications import resnet50 as resnet50
from lamina.applications import resnet_v2 as resnet_v2
from lamina.applications import vgg16 as vgg16
from lamina.applications import vgg19 as vgg19
from lamina.applications import xception as xception
from lamina.applications.densenet import DenseNet121 as DenseNet121
from lamina.applications.densenet import DenseNet169 as DenseNet169
from lamina.applications.densenet import DenseNet201 as DenseNet201
from lamina.applications.inception_resnet_v2 import (
    InceptionResNetV2 as InceptionResNetV2,
)
from lamina.applications.inception_v3 import InceptionV3 as InceptionV3
from lamina.applications.mobilenet import MobileNet as MobileNet
from lamina.applications.mobilenet_v2 import MobileNetV2 as MobileNetV2
from lamina.applications.resnet import ResNet50 as ResNet50
from lamina.applications.resnet import ResNet101 as ResNet101
from lamina.applications.resnet import ResNet152 as ResNet152
from lamina.applications.resnet_v2 import ResNet50V2 as ResNet50V2
from lamina.applications.resnet_v2 import ResNet101V2 as ResNet101V2
from lamina.applications.resnet_v2 import ResNet152V2 as ResNet152V2
from lamina.applications.vgg16 import VGG16 as VGG16
from lamina.applications.vgg19 import VGG19 as VGG19
from lamina.applications.xception import Xception as Xception

__all__ = [
    "DenseNet121",
    "DenseNet169",
    "DenseNet201",
    "InceptionResNetV2",
    "InceptionV3",
    "MobileNet",
    "MobileNetV2",
    "ResNet101",
    "ResNet101V2",
    "ResNet152",
    "ResNet152V2",
    "ResNet50",
    "ResNet50V2",
    "VGG16",
    "VGG19",
    "Xception",
    "densenet",
    "imagenet_utils",
    "inception_resnet_v2",
    "inception_v3",
    "mobilenet",
    "mobilenet_v2",
    "resnet",
    "resnet50",
    "resnet_v2",
    "vgg16",
    "vgg19",
    "xception",
]

# --- Families added by a second change (mobilenet_v3, efficientnet,
# efficientnet_v2, convnext, nasnet) go below this line, with their names
# appended to __all__ (`__all__ += [...]`). ---

from lamina.applications import convnext as convnext  # noqa: E402
from lamina.applications import efficientnet as efficientnet  # noqa: E402
from lamina.applications import efficientnet_v2 as efficientnet_v2  # noqa: E402
from lamina.applications import mobilenet_v3 as mobilenet_v3  # noqa: E402
from lamina.applications import nasnet as nasnet  # noqa: E402
from lamina.applications.convnext import (  # noqa: E402
    ConvNeXtTiny as ConvNeXtTiny,
    ConvNeXtSmall as ConvNeXtSmall,
    ConvNeXtBase as ConvNeXtBase,
    ConvNeXtLarge as ConvNeXtLarge,
    ConvNeXtXLarge as ConvNeXtXLarge,
)
from lamina.applications.efficientnet import (  # noqa: E402
    EfficientNetB0 as EfficientNetB0,
    EfficientNetB1 as EfficientNetB1,
    EfficientNetB2 as EfficientNetB2,
    EfficientNetB3 as EfficientNetB3,
    EfficientNetB4 as EfficientNetB4,
    EfficientNetB5 as EfficientNetB5,
    EfficientNetB6 as EfficientNetB6,
    EfficientNetB7 as EfficientNetB7,
)
from lamina.applications.efficientnet_v2 import (  # noqa: E402
    EfficientNetV2B0 as EfficientNetV2B0,
    EfficientNetV2B1 as EfficientNetV2B1,
    EfficientNetV2B2 as EfficientNetV2B2,
    EfficientNetV2B3 as EfficientNetV2B3,
    EfficientNetV2S as EfficientNetV2S,
    EfficientNetV2M as EfficientNetV2M,
    EfficientNetV2L as EfficientNetV2L,
)
from lamina.applications.mobilenet_v3 import (  # noqa: E402
    MobileNetV3Large as MobileNetV3Large,
)
from lamina.applications.mobilenet_v3 import (  # noqa: E402
    MobileNetV3Small as MobileNetV3Small,
)
from lamina.applications.nasnet import NASNetLarge as NASNetLarge  # noqa: E402
from lamina.applications.nasnet import NASNetMobile as NASNetMobile  # noqa: E402

__all__ += [
    "ConvNeXtTiny",
    "ConvNeXtSmall",
    "ConvNeXtBase",
    "ConvNeXtLarge",
    "ConvNeXtXLarge",
    "convnext",
    "EfficientNetB0",
    "EfficientNetB1",
    "EfficientNetB2",
    "EfficientNetB3",
    "EfficientNetB4",
    "EfficientNetB5",
    "EfficientNetB6",
    "EfficientNetB7",
    "efficientnet",
    "EfficientNetV2B0",
    "EfficientNetV2B1",
    "EfficientNetV2B2",
    "EfficientNetV2B3",
    "EfficientNetV2S",
    "EfficientNetV2M",
    "EfficientNetV2L",
    "efficientnet_v2",
    "MobileNetV3Large",
    "MobileNetV3Small",
    "mobilenet_v3",
    "NASNetLarge",
    "NASNetMobile",
    "nasnet",
]
