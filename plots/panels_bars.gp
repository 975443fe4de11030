# panels_bars.gp — clustered bars: in every panel, one cluster per data row (its label in
# column 1), one bar per series listed in pser[p] (column s + 1;
# NaN: no bar). The calling script has set the
# y axis and `xlab`, `ylab`, `xrot` (degrees to turn the cluster labels); figures.py may
# give each panel its y range (pymin[p], pymax[p]).
S(p, j) = int(word(pser[p], j))
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border lc rgb "#333333"
set grid noxtics ytics
set xtics nomirror scale 0
if (xrot != 0) { set xtics rotate by -xrot left } else { set xtics norotate center }
do for [p=1:npanels] {
    eval place(p)
    set title ptitle[p]
    if (exists("pymin")) {
        set yrange [pymin[p]:pymax[p]]
        if (exists("logy")) { eval logtics_y(pymin[p], pymax[p]) }
    }
    if ((p - 1) % cols == 0) { set ylabel ylab } else { unset ylabel }
    if (p + cols > npanels) { set xlabel xlab } else { unset xlabel }
    plot for [j=1:words(pser[p])] pfile[p] using (column(S(p, j) + 1)):xtic(1) lc rgb scolor[S(p, j)] notitle
}
