# panels_lines.gp — one line per series in every panel; the calling script has set the axes
# and `xlab`, `ylab`, `errors` (1: the data's third and fourth columns are the low and high end
# of an interval, drawn as error bars; a point without one has both equal to its value).
# Axis labels go on the outer panels only, so the grid stays readable.
S(p, j) = int(word(pser[p], j))
do for [p=1:npanels] {
    eval place(p)
    set title ptitle[p]
    if ((p - 1) % cols == 0) { set ylabel ylab } else { unset ylabel }
    if (p + cols > npanels) { set xlabel xlab } else { unset xlabel }
    if (errors) {
        plot for [j=1:words(pser[p])] pfile[p] index (j - 1) using 1:2:3:4 with yerrorlines \
            lc rgb scolor[S(p, j)] dt int(sdash[S(p, j)]) pt int(spt[S(p, j)]) ps 0.9 notitle
    } else {
        plot for [j=1:words(pser[p])] pfile[p] index (j - 1) using 1:2 with linespoints \
            lc rgb scolor[S(p, j)] dt int(sdash[S(p, j)]) pt int(spt[S(p, j)]) ps 0.9 notitle
    }
}
