"""ssbench — the benchmark harness: builds the matrix's variants, runs every measurement and
records it in one run folder (`python3 -m ssbench`), and the regression check on instruction
counts (`python3 -m ssbench.perfcheck`). Run with harness/ on PYTHONPATH (the Makefile and
ctest set it).

    modes       what each mode runs (data), the axes: compilers, variants, malloc libraries
    build       the source tree's builds: configure and build a variant, read ss_build.json
                and compile_commands.json
    meta        facts about the machine, the tree and the tools; the one writer of meta.json
    results     summary.csv: its columns, rows, the one writer; write_csv for the other tables
    parsers     the tools' raw outputs (google-benchmark, hyperfine, callgrind, bench_growth)
                into summary rows, and each raw JSON file's index (<file>.keys.csv)
    stats       medians, IQR, the median's interval, the Hodges-Lehmann ratio and its interval
    ratios      `python3 -m ssbench.ratios RUN`: the ratio rows of a finished run (called at its end)
    claims      the claim rule and the controls (aa_control, aa_layout)
    compare     `python3 -m ssbench.compare A B` (`make compare`): two run folders side by side
    callgrind   how instructions are counted, and the fixed small cases counted
    tools       the tool runners: google-benchmark, hyperfine (with peak RSS), callgrind
    run         a run: its folder, logs, skips and meta.json; Job and Fatal
    progress    the progress line
    plan        the jobs of a mode, in order
    jobs/       one module per job family: alloc, rk4, physics, growth, instructions, evidence
    cli         `python3 -m ssbench`: plan, build, measure
    perfcheck   `python3 -m ssbench.perfcheck`: counts against results/baseline/
"""
