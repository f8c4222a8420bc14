# Sourced by build.sh and benchmarks/coldstart.sh: how the full CLI (out/streamvault-db-full) is published, so the benchmark's .NET floor
# (a hello world) is built exactly alike. ReadyToRun and a single file: almost no JIT of EF Core and Npgsql at start
# (without ReadyToRun a no-op took 4x the CPU), one file to copy. Measured without gain, so not used (issue #13,
# benchmarks/RESULTS.md): TieredPGO off, TieredCompilation off, composite ReadyToRun (no effect with a single file).
cli_publish_properties=(
  -p:PublishSingleFile=true -p:PublishReadyToRun=true -p:InvariantGlobalization=true
  -p:IncludeNativeLibrariesForSelfExtract=true -p:DebugType=none
)
