# fold.gp — the seed's experiment as a table: does `main` fold to a constant? One row per
# compiler, form and helper linkage, one column per optimisation level; each cell says
# yes/no and the instructions left in main. Data: x y folds label.
grid_l_px = 190
load "common.gp"
eval place(1)
unset title
unset grid
set xrange [0.5:ncols + 0.5]
set yrange [nrows + 0.5:0.5]
set x2tics () scale 0 font ",12"
do for [i=1:ncols] { set x2tics add (collab[i] i) }
unset xtics
set ytics () scale 0 font ",11"
do for [i=1:nrows] { set ytics add (rowlab[i] i) }
set border 0
set style fill solid 1.0 border lc rgb "white"
plot pfile[1] using 1:2:(0.5):(0.5):(int($3) ? 0x7fc97f : 0xe6e6e6) with boxxyerror fc rgb variable notitle, \
     pfile[1] using 1:2:4 with labels font ",11" notitle
legend_with = "boxes"
load "legend.gp"
