# written by plots/figures.py: the data and series of this figure
W = 1300
H = 604
fig_title = "Region growth: reserve-all vs fault-driven growth vs realloc"
caption = "AMD EPYC, 2 cores · commit 794ac1b · 2026-11-30T23:11:45+00:00 · mode full"
rows = 1
cols = 2
npanels = 2
legend_h = 0.14901
array pfile[2]
array ptitle[2]
array pser[2]
nseries = 6
array stitle[6]
array scolor[6]
array sdash[6]
array spt[6]
pfile[1] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/growth_1.dat"
ptitle[1] = "time per growth step"
pser[1] = "1 2 3 4"
pfile[2] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/growth_2.dat"
ptitle[2] = "time to fill the region"
pser[2] = "1 2 3 4 5 6"
stitle[1] = "reserve-all, THP off"
scolor[1] = "#1f5fbf"
sdash[1] = "1"
spt[1] = "7"
stitle[2] = "reserve-all, THP on"
scolor[2] = "#1f5fbf"
sdash[2] = "2"
spt[2] = "7"
stitle[3] = "fault-driven growth, THP off"
scolor[3] = "#2ca02c"
sdash[3] = "1"
spt[3] = "9"
stitle[4] = "fault-driven growth, THP on"
scolor[4] = "#2ca02c"
sdash[4] = "2"
spt[4] = "9"
stitle[5] = "realloc doubling, THP off"
scolor[5] = "#d62728"
sdash[5] = "1"
spt[5] = "5"
stitle[6] = "realloc doubling, THP on"
scolor[6] = "#d62728"
sdash[6] = "2"
spt[6] = "5"
array ylabs[2]
ylabs[1] = "time per growth step (ns; k = 10^3, M = 10^6)"
ylabs[2] = "fill time (ms)"
array yfmts[2]
yfmts[1] = "%.0s%c"
yfmts[2] = "%g"
array xv[3]
xv[1] = 67108864
xv[2] = 268435456
xv[3] = 1073741824
array xl[3]
xl[1] = "64M"
xl[2] = "256M"
xl[3] = "1G"
