# instructions.gp — instructions per step (callgrind) per implementation, log scale: the
# malloc builds pay ~100 instructions per allocation, the bump builds two.
load "common.gp"
set logscale y
set format y "%.0s%c"
logy = 1
xlab = "case and size (n or bodies)"
ylab = "instructions per step"
load "panels_bars.gp"
legend_with = "boxes"
load "legend.gp"
