# physics.gp — steps per second vs bodies, per scene and compiler; error bars = stddev.
load "common.gp"
set offsets graph 0.04, graph 0.04, 0, 0
set logscale x 2
set logscale y
set format y "%.0s%c"
xlab = "bodies"
ylab = "steps per second (1/s), median ± stddev"
errors = 1
load "panels_lines.gp"
legend_with = "lines"
load "legend.gp"
