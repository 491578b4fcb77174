// The build: Zig drives the C toolchain. All product code is C11.
//
//   zig build            installs into zig-out (or --prefix P, under $DESTDIR):
//                          bin/varve
//                          lib/libvarve.so.0.1.0, libvarve.so.0 (the soname),
//                            libvarve.so (for -lvarve), lib/libvarve.a
//                          include/varve.h, lib/pkgconfig/varve.pc
//                        and nothing else: test programs go to zig-out/test
//                        (`zig build unit`), varve-testpg to zig-out/bin
//                        only with `zig build testpg` or `test`
//   zig build test       unit tests (cmocka) and the CLI tests
//   zig build fuzz       fuzz entry points linked with a replay driver
//
// Every artifact is built for the architecture's baseline CPU (x86-64 with
// no AVX), not the build machine's: a binary built on a machine with
// AVX-512 must run elsewhere, and valgrind cannot run AVX-512 at all.
// `-Dcpu=native` opts in to the build machine's CPU for local benchmarks.
const std = @import("std");

const lib_sources = [_][]const u8{
    "lib/arena.c",
    "lib/buf.c",
    "lib/error.c",
    "lib/diag.c",
    "lib/strmap.c",
    "lib/path.c",
    "lib/manifest.c",
    "lib/manifest_load.c",
    "lib/sqlfile.c",
    "lib/graph.c",
    "lib/target.c",
    "lib/check.c",
    "lib/check_against.c",
    "lib/lint.c",
    "lib/gitlog.c",
    "lib/pg.c",
    "lib/scratch.c",
    "lib/db.c",
    "lib/run.c",
    "lib/check_db.c",
    "lib/reconcile.c",
    "lib/import.c",
    "lib/status.c",
    "lib/rewrite.c",
    "lib/author.c",
    "lib/fix.c",
    "lib/version.c",
    "lib/migrate.c",
    "lib/schema.c",
    "lib/schema_queries.c",
    "lib/schema_check.c",
    "lib/udiff.c",
    "lib/redo.c",
    "lib/test.c",
    "lib/fiber.c",
    "lib/fleet.c",
};

const cli_sources = [_][]const u8{
    "cmd/varve/main.c",
    "cmd/varve/output.c",
    "cmd/varve/cmd_check.c",
    "cmd/varve/cmd_graph.c",
    "cmd/varve/cmd_run.c",
    "cmd/varve/cmd_status.c",
    "cmd/varve/cmd_fleet.c",
    "cmd/varve/cmd_new.c",
    "cmd/varve/cmd_fix.c",
    "cmd/varve/cmd_import.c",
    "cmd/varve/cmd_schema.c",
    "cmd/varve/session.c",
    "cmd/varve/cmd_wait.c",
    "cmd/varve/cmd_test.c",
};

// One cmocka program per library module (tests mirror modules).
const unit_tests = [_][]const u8{
    "db",
    "import",
    "diag",
    "manifest",
    "sqlfile",
    "graph",
    "target",
    "gitlog",
    "pg",
    "scratch",
    "rewrite",
    "author",
    "schema",
    "redo",
    "fleet",
};

const fuzz_targets = [_][]const u8{
    "manifest",
    "sqlfile",
    "target",
    "rewrite",
};

const c_flags = [_][]const u8{
    "-std=c11",
    "-D_POSIX_C_SOURCE=200809L",
    "-D_DEFAULT_SOURCE",
    "-Wall",
    "-Wextra",
    "-Werror",
    "-Wshadow",
    "-Wstrict-prototypes",
    "-Wmissing-prototypes",
    "-Wno-unused-parameter",
};

// The library's own sources hide every symbol that varve.h does not
// declare (varve.h marks its declarations visible).
const lib_flags = c_flags ++ [_][]const u8{"-fvisibility=hidden"};

// What libvarve needs, for varve.pc (pg_query has no .pc of its own).
const pc_requires = "libpq, yaml-0.1, libgit2, libprotobuf-c, libcrypto, jansson";

fn linkDeps(mod: *std.Build.Module) void {
    // pkg-config flags reach only the module that asks, so every module that
    // includes a dependency's headers calls this.
    mod.linkSystemLibrary("pq", .{});
    mod.linkSystemLibrary("yaml-0.1", .{});
    mod.linkSystemLibrary("libgit2", .{});
    mod.linkSystemLibrary("pg_query", .{ .use_pkg_config = .no });
    mod.linkSystemLibrary("libprotobuf-c", .{});
    mod.linkSystemLibrary("libcrypto", .{});
    mod.linkSystemLibrary("jansson", .{});
    mod.addIncludePath(.{ .cwd_relative = "/usr/include/postgresql" });
}

pub fn build(b: *std.Build) void {
    const target = b.standardTargetOptions(.{ .default_target = .{ .cpu_model = .baseline } });
    const optimize = b.standardOptimizeOption(.{});

    // The version: build.zig.zon says it; lib/version.c refuses to compile
    // when varve.h's VARVE_VERSION_* macros say otherwise.
    const version = std.SemanticVersion.parse(@import("build.zig.zon").version) catch
        @panic("build.zig.zon: version is not MAJOR.MINOR.PATCH");
    const version_flags = [_][]const u8{
        b.fmt("-DVARVE_ZON_MAJOR={d}", .{version.major}),
        b.fmt("-DVARVE_ZON_MINOR={d}", .{version.minor}),
        b.fmt("-DVARVE_ZON_PATCH={d}", .{version.patch}),
    };

    // One set of objects (position-independent) for both libraries.
    const lib_mod = b.createModule(.{ .target = target, .optimize = optimize, .link_libc = true, .pic = true });
    lib_mod.addCSourceFiles(.{ .files = &lib_sources, .flags = &(lib_flags ++ version_flags) });
    lib_mod.addIncludePath(b.path("lib/include"));
    lib_mod.addIncludePath(b.path("lib"));
    linkDeps(lib_mod);
    const lib = b.addLibrary(.{ .name = "varve", .linkage = .static, .root_module = lib_mod });
    // A Debug build checks for undefined behaviour (UBSan): the archive
    // carries the small runtime that reports it, so a C program links
    // with `pkg-config --static --libs varve` alone.
    lib.bundle_ubsan_rt = true;
    b.installArtifact(lib);

    // libvarve.so.0: exports varve.h's functions only (visibility, and a
    // version script that also keeps the UBSan runtime's symbols local).
    const shlib = b.addLibrary(.{
        .name = "varve",
        .linkage = .dynamic,
        .root_module = lib_mod,
        .version = version,
    });
    shlib.setVersionScript(b.path("lib/libvarve.map"));
    b.installArtifact(shlib);
    b.installFile("lib/include/varve.h", "include/varve.h");

    // The install prefix is known only when installing (--prefix, DESTDIR):
    // the .pc file finds it from where it lies, so the tree can move.
    const pc = b.addWriteFiles().add("varve.pc", b.fmt(
        \\prefix=${{pcfiledir}}/../..
        \\libdir=${{prefix}}/lib
        \\includedir=${{prefix}}/include
        \\
        \\Name: varve
        \\Description: declarative, manifest-driven PostgreSQL migrations
        \\Version: {d}.{d}.{d}
        \\Requires.private: {s}
        \\Libs: -L${{libdir}} -lvarve
        \\Libs.private: -lpg_query -lpthread
        \\Cflags: -I${{includedir}}
        \\
    , .{ version.major, version.minor, version.patch, pc_requires }));
    b.getInstallStep().dependOn(&b.addInstallFileWithDir(pc, .lib, "pkgconfig/varve.pc").step);
    // Man pages and shell completions (h-docs) are installed here.

    const exe_mod = b.createModule(.{ .target = target, .optimize = optimize, .link_libc = true });
    exe_mod.addCSourceFiles(.{ .files = &cli_sources, .flags = &c_flags });
    exe_mod.addIncludePath(b.path("lib/include"));
    exe_mod.linkLibrary(lib);
    linkDeps(exe_mod);
    const exe = b.addExecutable(.{ .name = "varve", .root_module = exe_mod });
    b.installArtifact(exe);

    // The man pages and the shell completions (docs/completions.md).
    b.installFile("share/man/man1/varve.1", "share/man/man1/varve.1");
    b.installFile("share/man/man5/varve.yaml.5", "share/man/man5/varve.yaml.5");
    b.installFile("share/bash-completion/completions/varve", "share/bash-completion/completions/varve");
    b.installFile("share/zsh/site-functions/_varve", "share/zsh/site-functions/_varve");
    b.installFile("share/fish/vendor_completions.d/varve.fish", "share/fish/vendor_completions.d/varve.fish");

    const run_exe = b.addRunArtifact(exe);
    run_exe.addPassthruArgs();
    b.step("run", "run varve").dependOn(&run_exe.step);

    const test_step = b.step("test", "run the unit and CLI tests");

    // No instruction beyond the baseline in what we build: a regression test
    // for the default CPU, skipped when -Dcpu or -Dtarget chose another.
    const portable = b.addSystemCommand(&.{ "bash", "tests/build/portable-cpu.sh" });
    portable.setCwd(b.path("."));
    portable.addArtifactArg(exe);
    portable.addArtifactArg(lib);
    portable.addArtifactArg(shlib);
    portable.has_side_effects = true;
    if (target.query.cpu_model == .baseline and target.result.cpu.arch == .x86_64) {
        b.step("portable", "check that the artifacts need no CPU beyond x86-64").dependOn(&portable.step);
        test_step.dependOn(&portable.step);
    }
    // `zig build install` into a temporary prefix and with DESTDIR, then a C
    // program linked with pkg-config alone (shared and static), and the
    // shared library's exports. It runs a nested `zig build`.
    const install_test = b.addSystemCommand(&.{ "bash", "tests/build/install.sh", b.fmt("-Doptimize={s}", .{@tagName(optimize)}) });
    install_test.setCwd(b.path("."));
    install_test.has_side_effects = true;
    b.step("install-test", "check the installed tree, pkg-config and the exports").dependOn(&install_test.step);
    test_step.dependOn(&install_test.step);

    const unit_step = b.step("unit", "run the unit tests only");
    const unit_programs = b.step("unit-programs", "build the unit tests into zig-out/test");
    for (unit_tests) |name| {
        const mod = b.createModule(.{ .target = target, .optimize = optimize, .link_libc = true });
        mod.addCSourceFiles(.{
            .files = &.{b.fmt("tests/unit/test_{s}.c", .{name})},
            .flags = &c_flags,
        });
        mod.addIncludePath(b.path("lib/include"));
        mod.addIncludePath(b.path("lib"));
        mod.addIncludePath(b.path("tests/unit"));
        mod.linkLibrary(lib);
        linkDeps(mod);
        mod.linkSystemLibrary("cmocka", .{});
        const t = b.addExecutable(.{ .name = b.fmt("test_{s}", .{name}), .root_module = mod });
        // zig-out/test, for valgrind (tools/dev); never part of `install`.
        const install_t = b.addInstallArtifact(t, .{ .dest_dir = .{ .override = .{ .custom = "test" } } });
        unit_programs.dependOn(&install_t.step);
        unit_step.dependOn(&install_t.step);
        test_step.dependOn(&install_t.step);
        portable.addArtifactArg(t);
        // No expect* calls: the run inherits stdio and is never cached.
        const run = b.addRunArtifact(t);
        run.setCwd(b.path("."));
        unit_step.dependOn(&run.step);
        test_step.dependOn(&run.step);
    }

    // A scratch server for shell tests: prints PG* exports, lives until stdin closes.
    const testpg_mod = b.createModule(.{ .target = target, .optimize = optimize, .link_libc = true });
    testpg_mod.addCSourceFiles(.{ .files = &.{"tests/e2e/pgserver.c"}, .flags = &c_flags });
    testpg_mod.addIncludePath(b.path("lib/include"));
    testpg_mod.linkLibrary(lib);
    linkDeps(testpg_mod);
    const testpg = b.addExecutable(.{ .name = "varve-testpg", .root_module = testpg_mod });
    const install_testpg = b.addInstallArtifact(testpg, .{});
    portable.addArtifactArg(testpg);
    test_step.dependOn(&install_testpg.step);
    b.step("testpg", "build zig-out/bin/varve-testpg").dependOn(&install_testpg.step);

    // The CLI tests drive the installed binary on fixtures.
    const cli = b.addSystemCommand(&.{ "bash", "tests/cli/run.sh" });
    cli.setCwd(b.path("."));
    cli.addArtifactArg(exe);
    cli.addArtifactArg(testpg);
    cli.has_side_effects = true;
    const cli_step = b.step("cli", "run the CLI tests only");
    cli_step.dependOn(&cli.step);
    test_step.dependOn(&cli.step);


    // Benchmark helpers (bench/*.py run them); not part of the tests.
    const bench_mod = b.createModule(.{ .target = target, .optimize = optimize, .link_libc = true });
    bench_mod.addCSourceFiles(.{ .files = &.{"bench/gitlog_walk.c"}, .flags = &c_flags });
    bench_mod.addIncludePath(b.path("lib/include"));
    bench_mod.addIncludePath(b.path("lib"));
    bench_mod.linkLibrary(lib);
    linkDeps(bench_mod);
    const bench_gitlog = b.addExecutable(.{ .name = "varve-bench-gitlog", .root_module = bench_mod });
    const bench_step = b.step("bench", "build the benchmark helpers");
    bench_step.dependOn(&b.addInstallArtifact(bench_gitlog, .{}).step);
    const bench_schema_mod = b.createModule(.{ .target = target, .optimize = optimize, .link_libc = true });
    bench_schema_mod.addCSourceFiles(.{ .files = &.{"bench/schema_capture.c"}, .flags = &c_flags });
    bench_schema_mod.addIncludePath(b.path("lib/include"));
    bench_schema_mod.linkLibrary(lib);
    linkDeps(bench_schema_mod);
    const bench_schema = b.addExecutable(.{ .name = "varve-bench-schema", .root_module = bench_schema_mod });
    bench_step.dependOn(&b.addInstallArtifact(bench_schema, .{}).step);
    // Compiled (not installed) by the tests too, so that it cannot rot.
    test_step.dependOn(&bench_gitlog.step);
    test_step.dependOn(&bench_schema.step);

    const fuzz_step = b.step("fuzz", "build the fuzz entry points with a corpus replay driver");
    for (fuzz_targets) |name| {
        const mod = b.createModule(.{ .target = target, .optimize = optimize, .link_libc = true });
        mod.addCSourceFiles(.{
            .files = &.{ b.fmt("tests/fuzz/fuzz_{s}.c", .{name}), "tests/fuzz/replay.c" },
            .flags = &c_flags,
        });
        mod.addIncludePath(b.path("lib/include"));
        mod.addIncludePath(b.path("lib"));
        mod.linkLibrary(lib);
        linkDeps(mod);
        const f = b.addExecutable(.{ .name = b.fmt("fuzz_{s}", .{name}), .root_module = mod });
        fuzz_step.dependOn(&b.addInstallArtifact(f, .{}).step);
    }
}
