"""The job families of a run, one module each: alloc, rk4, physics (google-benchmark and whole
processes), growth (bench_growth), instructions (callgrind on the fixed small cases) and
evidence (the compilers' reports and the seed's fold matrix). Each returns run.Job objects."""
