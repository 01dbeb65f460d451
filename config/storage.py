"""Where uploaded photos, issued documents and exports are kept: a private folder by default,
or S3-compatible object storage (FILE_STORAGE=s3) when several app servers share them."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env


def object_storage() -> dict:
    """The STORAGES["default"] entry for a private S3 bucket, from the S3_* variables."""
    if not env("S3_BUCKET"):
        raise ImproperlyConfigured("S3_BUCKET must be set when FILE_STORAGE is s3.")
    encryption = env("S3_SERVER_SIDE_ENCRYPTION")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "location": env("S3_PREFIX", ""),
            "endpoint_url": env("S3_ENDPOINT_URL") or None,
            "region_name": env("S3_REGION") or None,
            "access_key": env("S3_ACCESS_KEY_ID") or None,
            "secret_key": env("S3_SECRET_ACCESS_KEY") or None,
            # Files are read through the views that check the user's unit, never by URL.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": encryption} if encryption else {},
        },
    }
