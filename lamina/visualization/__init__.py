"""Drawing boxes and masks on images, and image galleries (Keras's
`keras.visualization`). Drawing boxes needs OpenCV and the galleries need
matplotlib: `pip install lamina[visualization]` installs both."""

from lamina.visualization.draw_bounding_boxes import (
    draw_bounding_boxes as draw_bounding_boxes,
)
from lamina.visualization.draw_segmentation_masks import (
    draw_segmentation_masks as draw_segmentation_masks,
)
from lamina.visualization.plot_bounding_box_gallery import (
    plot_bounding_box_gallery as plot_bounding_box_gallery,
)
from lamina.visualization.plot_image_gallery import (
    plot_image_gallery as plot_image_gallery,
)
from lamina.visualization.plot_segmentation_mask_gallery import (
    plot_segmentation_mask_gallery as plot_segmentation_mask_gallery,
)

__all__ = [
    "draw_bounding_boxes",
    "draw_segmentation_masks",
    "plot_bounding_box_gallery",
    "plot_image_gallery",
    "plot_segmentation_mask_gallery",
]
