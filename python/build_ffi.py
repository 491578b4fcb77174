"""cffi (API mode) build of varve._varve against the installed varve.h.

Where libvarve is, in order: $VARVE_PREFIX (a `zig build install --prefix`
tree), `pkg-config varve`, then the repository's own zig-out/ (what
`tools/dev` builds). libvarve.so.0 is copied into the package and found
beside the extension ($ORIGIN), as auditwheel does for pygit2's libgit2.
"""
import os
import re
import shutil
import subprocess

from cffi import FFI

HERE = os.path.dirname(os.path.abspath(__file__))


def _pkg_config(*args):
    try:
        out = subprocess.run(["pkg-config", *args, "varve"], check=True,
                             capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def locate():
    """(include dir, lib dir) of an installed libvarve."""
    prefix = os.environ.get("VARVE_PREFIX")
    if prefix:
        return os.path.join(prefix, "include"), os.path.join(prefix, "lib")
    inc = _pkg_config("--variable=includedir")
    lib = _pkg_config("--variable=libdir")
    if inc and lib and os.path.exists(os.path.join(inc, "varve.h")):
        return inc, lib
    out = os.path.join(HERE, "..", "zig-out")
    if os.path.exists(os.path.join(out, "include", "varve.h")):
        return os.path.join(out, "include"), os.path.join(out, "lib")
    raise RuntimeError("libvarve not found: run tools/dev in the repository (it builds "
                       "zig-out/), or set VARVE_PREFIX to a `zig build install` prefix")


def version(include_dir):
    """MAJOR.MINOR.PATCH from varve.h's VARVE_VERSION_* macros."""
    with open(os.path.join(include_dir, "varve.h"), encoding="utf-8") as f:
        text = f.read()
    parts = [re.search(r"#define VARVE_VERSION_%s (\d+)" % p, text).group(1)
             for p in ("MAJOR", "MINOR", "PATCH")]
    return ".".join(parts)


def bundle(lib_dir):
    """Copy libvarve.so.0 into the package, beside the extension."""
    src = os.path.realpath(os.path.join(lib_dir, "libvarve.so.0"))
    dst = os.path.join(HERE, "varve", "libvarve.so.0")
    shutil.copyfile(src, dst)


INCLUDE_DIR, LIB_DIR = locate()

ffibuilder = FFI()
with open(os.path.join(HERE, "varve_decl.h"), encoding="utf-8") as f:
    ffibuilder.cdef(f.read())
ffibuilder.set_source(
    "varve._varve",
    "#include <stdlib.h>\n#include <libpq-fe.h>\n#include <varve.h>\n",
    include_dirs=[INCLUDE_DIR, "/usr/include/postgresql"],
    library_dirs=[LIB_DIR],
    libraries=["varve", "pq"],
    extra_link_args=["-Wl,-rpath,$ORIGIN"],
)

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
