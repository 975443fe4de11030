# common.gp — what every figure shares: the terminal, the panel grid, the legend band and the
# caption line. A figure script sets its axes, then calls these through `load`.
#
# figures.py writes the parameters first (a params file run before the figure's script):
#   term ("png"|"svg"), out, W, H, fig_title, caption, rows, cols, npanels,
#   pfile[p], ptitle[p], pser[p] (the series drawn in panel p: indices into the series arrays,
#   one data block each, in that order), nseries, stitle[s], scolor[s], sdash[s], spt[s],
#   legend_h (screen fraction of the legend band).

set encoding utf8
if (term eq "png") {
    set terminal pngcairo size W,H noenhanced font "DejaVu Sans,11" linewidth 1.3
} else {
    set terminal svg size W,H noenhanced font "DejaVu Sans,11" linewidth 1.3 background "white"
}
set output out

# Screen budget: title on top, then the panels, then the legend band and the caption line.
cap_h = 28.0 / H
title_h = 48.0 / H
grid_b = cap_h + legend_h + 46.0 / H      # room for the bottom row's x label
grid_t = 1 - title_h - 22.0 / H           # room for the top row's panel titles
# a script may widen the left margin or the gap between columns before loading this file
if (!exists("grid_l_px")) grid_l_px = 80
if (!exists("gap_x_px")) gap_x_px = 80
grid_l = grid_l_px * 1.0 / W
grid_r = 1 - 18.0 / W
gap_x = (cols > 1) ? gap_x_px * 1.0 / W : 0
gap_y = (rows > 1) ? 88.0 / H : 0

set multiplot title fig_title font ",15"
panel_w = (grid_r - grid_l - (cols - 1) * gap_x) / cols
panel_h = (grid_t - grid_b - (rows - 1) * gap_y) / rows

# `eval place(p)` puts the next plot in cell p (1-based, row by row).
place(p) = sprintf("set lmargin at screen %g; set rmargin at screen %g; set tmargin at screen %g; set bmargin at screen %g", \
    grid_l + ((p - 1) % cols) * (panel_w + gap_x), \
    grid_l + ((p - 1) % cols) * (panel_w + gap_x) + panel_w, \
    grid_t - int((p - 1) / cols) * (panel_h + gap_y), \
    grid_t - int((p - 1) / cols) * (panel_h + gap_y) - panel_h)

set grid lc rgb "#dddddd" lw 0.8
set border lc rgb "#444444"
set title font ",12"
unset key

# The x tics are the x values the data has (xv[i], labelled xl[i]), so a size list that is not
# a power series still gets a tic at every measured size.
if (exists("xv")) {
    set xtics () nomirror
    do for [i=1:|xv|] { set xtics add (xl[i] xv[i]) }
    set mxtics 1
}
# On a log axis spanning less than ~2 decades, tics at 1, 2 and 5 of each decade; `eval
# logtics_y(lo, hi)` before the plot.
logtics_y(lo, hi) = (hi / lo < 300) ? \
    sprintf("set ytics (); do for [k=%d:%d] { set ytics add (10.0**k, 2*10.0**k, 5*10.0**k) }", floor(log10(lo)), ceil(log10(hi))) : \
    "set ytics autofreq"
