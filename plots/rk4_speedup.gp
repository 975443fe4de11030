# rk4_speedup.gp — time(other) / time(bump) vs n: above 1, bump is faster. Dotted lines at 1
# (parity) and 5 (the design's target against glibc malloc at n <= 16).
load "common.gp"
set offsets graph 0.04, graph 0.04, 0, 0
set logscale x 2
set logscale y
set ytics (0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200)
set format y "%g"
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lc rgb "#333333" dt 2 lw 1.2
set arrow 2 from graph 0, first 5 to graph 1, first 5 nohead lc rgb "#999999" dt 3 lw 1
xlab = "state length n (floats)"
ylab = "speed-up of bump: time(other) / time(bump)"
errors = 0
load "panels_lines.gp"
legend_with = "lines"
load "legend.gp"
