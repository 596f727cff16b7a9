using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Ceasefire.Benchmarks -- --filter '*'   (see docs/benchmarks.md)
BenchmarkSwitcher.FromAssembly(typeof(Ceasefire.Benchmarks.ZoneIndexBenchmarks).Assembly).Run(args);
