"""Constants of the test suite's configuration."""

# The bucket of the `s3_bucket` fixture (conftest.py), a stand-in for FILE_STORAGE=s3.
S3_TEST_BUCKET = "khaibaof0-test"
