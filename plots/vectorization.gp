# vectorization.gp — loops vectorized and missed (compiler reports), summed over the hot
# functions, per implementation; one panel per compiler.
load "common.gp"
set yrange [0:*]
set format y "%g"
xlab = "implementation"
ylab = "loops"
load "panels_bars.gp"
legend_with = "boxes"
load "legend.gp"
