# legend.gp — the shared legend band and the caption line, drawn as the multiplot's last plot.
# `legend_with` names the sample: "lines" (linespoints) or "boxes" (filled bars).
reset_axes = "unset logscale; unset grid; unset border; unset tics; unset xlabel; unset ylabel; unset title; unset arrow; unset label; unset y2tics; unset x2tics"
eval reset_axes
set lmargin at screen 0.02
set rmargin at screen 0.98
set bmargin at screen cap_h
set tmargin at screen cap_h + legend_h
set xrange [0:1]
set yrange [0:1]
set key center center horizontal samplen 3 spacing 1.2 width 1 font ",11"
set label 90 caption at screen 0.01, 0.5 * cap_h left front font ",9" tc rgb "#555555"
if (legend_with eq "boxes") {
    set style fill solid 0.85 border lc rgb "#333333"
    plot for [s=1:nseries] NaN with boxes lc rgb scolor[s] title stitle[s]
} else {
    plot for [s=1:nseries] NaN with linespoints lc rgb scolor[s] dt int(sdash[s]) pt int(spt[s]) ps 1.1 title stitle[s]
}
unset multiplot
