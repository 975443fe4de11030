# rk4_speedup.gp — time(other) / time(bump) vs n (the ratio rows: Hodges-Lehmann estimate and
# its 95 % interval as error bars): above 1, bump is faster. A dashed line at 1 (parity); the
# targets and the layout control's band are series of the data, drawn only where they apply.
load "common.gp"
set offsets graph 0.04, graph 0.04, 0, 0
set logscale x 2
set logscale y
set ytics (0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200)
set format y "%g"
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lc rgb "#333333" dt 2 lw 1.2
xlab = "state length n (floats)"
ylab = "time(other) / time(bump)"
errors = 1
load "panels_lines.gp"
legend_with = "lines"
load "legend.gp"
