# vectorization.gp — loops vectorized and missed (compiler reports) in the timed step compiled
# in context (what it calls inlined), per implementation; one panel per step, compiler and level.
load "common.gp"
set format y "%g"
xlab = ""  # the implementations label the bars
ylab = "loops"
load "panels_bars.gp"
legend_with = "boxes"
load "legend.gp"
