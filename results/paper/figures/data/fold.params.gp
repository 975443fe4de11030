# written by plots/figures.py: the data and series of this figure
W = 900
H = 690
fig_title = "Does main() of the seed's experiment fold to a constant?"
caption = "AMD EPYC, 2 cores · commit 794ac1b · 2026-11-30T23:11:45+00:00 · mode full"
rows = 1
cols = 1
npanels = 1
legend_h = 0.09855
array pfile[1]
array ptitle[1]
array pser[1]
nseries = 2
array stitle[2]
array scolor[2]
array sdash[2]
array spt[2]
pfile[1] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/fold_1.dat"
ptitle[1] = ""
pser[1] = ""
stitle[1] = "folds to a constant (cell: yes · instructions left in main)"
scolor[1] = "#7fc97f"
sdash[1] = "1"
spt[1] = "5"
stitle[2] = "does not fold (cell: no · instructions in main)"
scolor[2] = "#e6e6e6"
sdash[2] = "1"
spt[2] = "5"
nrows = 12
ncols = 5
array collab[5]
collab[1] = "-O0"
collab[2] = "-O1"
collab[3] = "-O2"
collab[4] = "-O3"
collab[5] = "-Os"
array rowlab[12]
rowlab[1] = "gcc bump extern"
rowlab[2] = "gcc bump static"
rowlab[3] = "gcc malloc extern"
rowlab[4] = "gcc malloc static"
rowlab[5] = "gcc stack extern"
rowlab[6] = "gcc stack static"
rowlab[7] = "clang bump extern"
rowlab[8] = "clang bump static"
rowlab[9] = "clang malloc extern"
rowlab[10] = "clang malloc static"
rowlab[11] = "clang stack extern"
rowlab[12] = "clang stack static"
