"""Image upload checks every app uses (product images, shop logos): size (413 above the limit),
format (JPEG, PNG, WebP, GIF; SVG is not an image Pillow reads, so it is refused: it can carry
scripts), pixel count, and decompression bombs refused before decoding."""

from __future__ import annotations

import warnings

from PIL import Image, UnidentifiedImageError

from apps.core.errors import ApplicationError, ErrorCode, Invalid

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def check_image_upload(upload, *, max_bytes: int, max_pixels: int, field: str = "image") -> tuple[str, int, int]:
    """Check an uploaded file is an image we accept: at most ``max_bytes`` (413 above), a
    JPEG/PNG/WebP/GIF, at most ``max_pixels`` pixels. Errors name ``field``. Returns (extension,
    width, height); the file is left at position 0."""
    if upload is None:
        raise Invalid({field: ["Required."]}, message="Choose an image file.")
    if upload.size > max_bytes:
        message = f"The image is larger than {max_bytes // (1024 * 1024) or 1} MB."
        raise ApplicationError(message, code=ErrorCode.PAYLOAD_TOO_LARGE, status=413, details={field: [message]})
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                fmt = image.format
                width, height = image.size
                if width * height > max_pixels:
                    message = f"The image has too many pixels ({width}x{height}); the limit is {max_pixels:,}."
                    raise Invalid({field: [message]}, message=message)
                image.verify()
    except ApplicationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        message = "The image has too many pixels to decode safely."
        raise Invalid({field: [message]}, message=message) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        message = "The file is not an image we can read (JPEG, PNG, WebP or GIF; not SVG)."
        raise Invalid({field: [message]}, message=message) from exc
    finally:
        upload.seek(0)
    if fmt not in ALLOWED_FORMATS:
        message = f"{fmt} images are not accepted: upload a JPEG, PNG, WebP or GIF image."
        raise Invalid({field: [message]}, message=message)
    return ALLOWED_FORMATS[fmt], width, height
