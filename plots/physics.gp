# physics.gp — time per step of each implementation over bump's vs bodies, per engine, scene,
# compiler (and level): the ratio rows' Hodges-Lehmann estimate and 95 % interval. Above 1, bump
# is faster; a dashed line at 1, the layout control's band as a series of the data.
load "common.gp"
# a linear y axis fitted to the data (the effects are often a few percent), 1 always in view
set offsets graph 0.04, graph 0.04, graph 0.06, graph 0.06
set yrange [*<0.98:1.02<*]
set logscale x 2
set format y "%g"
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lc rgb "#333333" dt 2 lw 1.2
xlab = "bodies"
ylab = "time(other) / time(bump)"
errors = 1
load "panels_lines.gp"
legend_with = "lines"
load "legend.gp"
