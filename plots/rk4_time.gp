# rk4_time.gp — time per RK4 step vs n, log-log, one line per implementation: medians, error
# bars the 95 % interval of the median.
load "common.gp"
set offsets graph 0.04, graph 0.04, 0, 0
set logscale x 2
set logscale y
set format y "%g"
xlab = "state length n (floats)"
ylab = "time per step (ns), median"
errors = 1
load "panels_lines.gp"
legend_with = "lines"
load "legend.gp"
