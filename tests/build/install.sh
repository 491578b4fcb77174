#!/usr/bin/env bash
# What `zig build install` gives a packager (issue 9 §2), tested end to end:
#  - --prefix P installs exactly bin/varve, the shared library with its
#    soname and links, the static library, varve.h and varve.pc (the man
#    pages and completions under share/ are checked by their own test);
#    DESTDIR stages the same tree under it;
#  - a C program compiles and links with `pkg-config --cflags --libs varve`
#    alone, against the shared library and (--static) the static one, and
#    runs;
#  - the shared library exports the functions varve.h declares, and no
#    other symbol.
# Usage: tests/build/install.sh [ZIG BUILD OPTIONS...]   (from the repository)
set -u
zig() { python3 -m ziglang "$@"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "install: $*" >&2; status=1; }

zig build install --prefix "$tmp/p" "$@" || { echo "install: zig build install failed" >&2; exit 1; }
expected='bin/varve
include/varve.h
lib/libvarve.a
lib/libvarve.so
lib/libvarve.so.0
lib/libvarve.so.0.1.0
lib/pkgconfig/varve.pc'
got=$(cd "$tmp/p" && find . ! -type d -printf '%P\n' | grep -v '^share/' | LC_ALL=C sort)
[ "$got" = "$expected" ] || fail "installed tree differs:$(diff <(echo "$expected") <(echo "$got") | sed 's/^/  /')"
[ "$(readlink "$tmp/p/lib/libvarve.so")" = libvarve.so.0 ] || fail "libvarve.so does not point to libvarve.so.0"
soname=$(readelf -d "$tmp/p/lib/libvarve.so.0.1.0" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$soname" = libvarve.so.0 ] || fail "soname is '$soname', not libvarve.so.0"

DESTDIR="$tmp/stage" zig build install --prefix /usr/local "$@" >/dev/null ||
	fail "DESTDIR=... zig build install failed"
[ -x "$tmp/stage/usr/local/bin/varve" ] && [ -f "$tmp/stage/usr/local/lib/pkgconfig/varve.pc" ] ||
	fail "DESTDIR did not stage the tree under it"

export PKG_CONFIG_PATH="$tmp/p/lib/pkgconfig"
pkg-config --exists varve || fail "pkg-config does not find varve.pc"
[ "$(pkg-config --modversion varve)" = "$("$tmp/p/bin/varve" --version | head -1 | awk '{print $2}')" ] ||
	fail "varve.pc's version differs from varve --version"

# Shared: the program needs libvarve.so.0.
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror tests/build/hello.c $(pkg-config --cflags --libs varve) -o "$tmp/hello-shared" ||
	fail "cannot link against the shared library with pkg-config alone"
if [ -x "$tmp/hello-shared" ]; then
	ldd "$tmp/hello-shared" | grep -q 'libvarve.so.0 =>' || fail "hello-shared does not use libvarve.so.0"
	LD_LIBRARY_PATH="$tmp/p/lib" "$tmp/hello-shared" examples/blog/varve.yaml || fail "hello-shared failed"
fi

# Static: a prefix with only libvarve.a, as a -dev package without the .so.
cp -a "$tmp/p" "$tmp/s" && rm -f "$tmp/s"/lib/libvarve.so*
export PKG_CONFIG_PATH="$tmp/s/lib/pkgconfig"
# Debian's libpq.pc lists static-only libraries that no package puts on
# the linker's path (-lpgcommon -lpgport, and -lgssapi_krb5 without
# libkrb5-dev): with libpq.so present they are not needed, so flags naming
# a library the linker cannot find are dropped, and said.
flags=() dirs=()
found() {
	local d
	for d in "${dirs[@]}"; do [ -e "$d/lib$1.so" ] || [ -e "$d/lib$1.a" ] && return 0; done
	[ "$(cc -print-file-name="lib$1.so")" != "lib$1.so" ] || [ "$(cc -print-file-name="lib$1.a")" != "lib$1.a" ]
}
for f in $(pkg-config --cflags --libs --static varve); do
	case $f in
	-L*) dirs+=("${f#-L}") ;;
	-l*) found "${f#-l}" || { echo "install: note: dropped $f (pkg-config --static names it; this system has no lib${f#-l})"; continue; } ;;
	esac
	flags+=("$f")
done
cc -std=c11 -Wall -Werror tests/build/hello.c "${flags[@]}" -o "$tmp/hello-static" ||
	fail "cannot link against the static library with pkg-config --static alone"
if [ -x "$tmp/hello-static" ]; then
	! ldd "$tmp/hello-static" | grep -q libvarve || fail "hello-static uses a shared libvarve"
	"$tmp/hello-static" examples/blog/varve.yaml || fail "hello-static failed"
fi

# Exports: exactly the functions varve.h declares (comments stripped).
cc -E -P -I/usr/include/postgresql "$tmp/p/include/varve.h" |
	grep -oE '\bvarve_[a-z0-9_]+ *\(' | tr -d ' (' | LC_ALL=C sort -u >"$tmp/declared"
nm -D --defined-only "$tmp/p/lib/libvarve.so.0" | awk '{print $3}' | sed 's/@.*//' |
	grep -v '^VARVE_0$' | LC_ALL=C sort -u >"$tmp/exported"
if ! cmp -s "$tmp/declared" "$tmp/exported"; then
	fail "exports differ from varve.h (< declared only, > exported only):"
	diff "$tmp/declared" "$tmp/exported" | grep '^[<>]' | head -20 >&2
fi

[ $status -eq 0 ] && echo "install: tree, DESTDIR, pkg-config (shared and static), $(wc -l <"$tmp/exported") exports: ok"
exit $status
