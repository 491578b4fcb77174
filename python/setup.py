import os
import sys

from setuptools import setup

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build_ffi  # noqa: E402

build_ffi.bundle(build_ffi.LIB_DIR)
setup(
    version=build_ffi.version(build_ffi.INCLUDE_DIR),
    cffi_modules=["build_ffi.py:ffibuilder"],
)
