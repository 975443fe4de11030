# written by plots/figures.py: the data and series of this figure
W = 900
H = 1514
fig_title = "RK4: time per step vs state length"
caption = "AMD EPYC, 2 cores · commit 1d7edb0 · 2026-11-30T21:38:19+00:00 · mode quick"
rows = 4
cols = 2
npanels = 8
legend_h = 0.05945
array pfile[8]
array ptitle[8]
array pser[8]
nseries = 8
array stitle[8]
array scolor[8]
array sdash[8]
array spt[8]
pfile[1] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/rk4_time_1.dat"
ptitle[1] = "decay (gcc -O2)"
pser[1] = "1 2 3 4 5 6 7 8"
pfile[2] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/rk4_time_2.dat"
ptitle[2] = "lorenz96 (gcc -O2)"
pser[2] = "1 2 3 4 5 6 7 8"
pfile[3] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/rk4_time_3.dat"
ptitle[3] = "decay (gcc -O3)"
pser[3] = "1 2 3 4 5 6 7 8"
pfile[4] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/rk4_time_4.dat"
ptitle[4] = "lorenz96 (gcc -O3)"
pser[4] = "1 2 3 4 5 6 7 8"
pfile[5] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/rk4_time_5.dat"
ptitle[5] = "decay (clang -O2)"
pser[5] = "1 2 3 4 5 6 7 8"
pfile[6] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/rk4_time_6.dat"
ptitle[6] = "lorenz96 (clang -O2)"
pser[6] = "1 2 3 4 5 6 7 8"
pfile[7] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/rk4_time_7.dat"
ptitle[7] = "decay (clang -O3)"
pser[7] = "1 2 3 4 5 6 7 8"
pfile[8] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/rk4_time_8.dat"
ptitle[8] = "lorenz96 (clang -O3)"
pser[8] = "1 2 3 4 5 6 7 8"
stitle[1] = "bump"
scolor[1] = "#1f5fbf"
sdash[1] = "1"
spt[1] = "7"
stitle[2] = "malloc (glibc)"
scolor[2] = "#d62728"
sdash[2] = "1"
spt[2] = "5"
stitle[3] = "stack"
scolor[3] = "#2ca02c"
sdash[3] = "1"
spt[3] = "9"
stitle[4] = "malloc-once"
scolor[4] = "#e377c2"
sdash[4] = "2"
spt[4] = "4"
stitle[5] = "bump-fixedn"
scolor[5] = "#17a0b8"
sdash[5] = "2"
spt[5] = "6"
stitle[6] = "bump_tuned"
scolor[6] = "#0b2e6b"
sdash[6] = "1"
spt[6] = "11"
stitle[7] = "malloc_tuned"
scolor[7] = "#8c1010"
sdash[7] = "2"
spt[7] = "13"
stitle[8] = "bump_checked"
scolor[8] = "#7f7f7f"
sdash[8] = "4"
spt[8] = "8"
array xv[3]
xv[1] = 4
xv[2] = 64
xv[3] = 1024
array xl[3]
xl[1] = "4"
xl[2] = "64"
xl[3] = "1024"
