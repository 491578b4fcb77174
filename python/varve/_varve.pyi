# The cffi extension built by build_ffi.py (API mode): untyped C objects.
from typing import Any

ffi: Any
lib: Any
