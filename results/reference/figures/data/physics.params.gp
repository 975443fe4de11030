# written by plots/figures.py: the data and series of this figure
W = 900
H = 2834
fig_title = "Physics: time per step of each implementation over bump's (above 1: bump faster)"
caption = "AMD EPYC, 2 cores · commit 1d7edb0 · 2026-11-30T21:38:19+00:00 · mode quick"
rows = 8
cols = 1
npanels = 8
legend_h = 0.03176
array pfile[8]
array ptitle[8]
array pser[8]
nseries = 3
array stitle[3]
array scolor[3]
array sdash[3]
array spt[3]
pfile[1] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/physics_1.dat"
ptitle[1] = "rain, loop engine (gcc -O2)"
pser[1] = "1 2 3 3"
pfile[2] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/physics_2.dat"
ptitle[2] = "rain, loop engine (gcc -O3)"
pser[2] = "1 2 3 3"
pfile[3] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/physics_3.dat"
ptitle[3] = "rain, loop engine (clang -O2)"
pser[3] = "1 2 3 3"
pfile[4] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/physics_4.dat"
ptitle[4] = "rain, loop engine (clang -O3)"
pser[4] = "1 2 3 3"
pfile[5] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/physics_5.dat"
ptitle[5] = "rain, array engine (gcc -O2)"
pser[5] = "1 2 3 3"
pfile[6] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/physics_6.dat"
ptitle[6] = "rain, array engine (gcc -O3)"
pser[6] = "1 2 3 3"
pfile[7] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/physics_7.dat"
ptitle[7] = "rain, array engine (clang -O2)"
pser[7] = "1 2 3 3"
pfile[8] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/physics_8.dat"
ptitle[8] = "rain, array engine (clang -O3)"
pser[8] = "1 2 3 3"
stitle[1] = "malloc (glibc) / bump"
scolor[1] = "#d62728"
sdash[1] = "1"
spt[1] = "5"
stitle[2] = "stack / bump"
scolor[2] = "#2ca02c"
sdash[2] = "1"
spt[2] = "9"
stitle[3] = "layout control's effect (± τ)"
scolor[3] = "#ff7f0e"
sdash[3] = "3"
spt[3] = "-1"
array xv[2]
xv[1] = 256
xv[2] = 4096
array xl[2]
xl[1] = "256"
xl[2] = "4096"
