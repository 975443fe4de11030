# growth.gp — region growth: time per growth step and fill time vs bytes filled, for
# reserve-all, fault-driven growth and realloc doubling, THP off (solid) and on (dashed). Medians;
# error bars: the 95 % interval of the median where the runs allow one.
gap_x_px = 130
load "common.gp"
set offsets graph 0.04, graph 0.04, 0, 0
set logscale x 2
set logscale y
xlab = "bytes filled (M = 2^20, G = 2^30)"
# each panel is a different metric: the driver names its unit in the panel's title, and
# `ylabs[p]` and `yfmts[p]` give its y label and tic format
errors = 1
S(p, j) = int(word(pser[p], j))
do for [p=1:npanels] {
    eval place(p)
    set title ptitle[p]
    set ylabel ylabs[p]
    set format y yfmts[p]
    set xlabel xlab
    plot for [j=1:words(pser[p])] pfile[p] index (j - 1) using 1:2:3:4 with yerrorlines \
        lc rgb scolor[S(p, j)] dt int(sdash[S(p, j)]) pt int(spt[S(p, j)]) ps 0.9 notitle
}
legend_with = "lines"
load "legend.gp"
