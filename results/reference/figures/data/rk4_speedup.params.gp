# written by plots/figures.py: the data and series of this figure
W = 900
H = 1712
fig_title = "RK4: time of each implementation over bump's (above 1: bump faster)"
caption = "AMD EPYC, 2 cores · commit 1d7edb0 · 2026-11-30T21:38:19+00:00 · mode quick"
rows = 4
cols = 2
npanels = 8
legend_h = 0.16822
array pfile[8]
array ptitle[8]
array pser[8]
nseries = 12
array stitle[12]
array scolor[12]
array sdash[12]
array spt[12]
pfile[1] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/rk4_speedup_1.dat"
ptitle[1] = "decay (gcc -O2)"
pser[1] = "1 2 3 4 5 6 7 8 9 11 12 10 10"
pfile[2] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/rk4_speedup_2.dat"
ptitle[2] = "lorenz96 (gcc -O2)"
pser[2] = "1 2 3 4 5 6 7 8 9 11 12 10 10"
pfile[3] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/rk4_speedup_3.dat"
ptitle[3] = "decay (gcc -O3)"
pser[3] = "1 2 3 4 5 6 7 8 9 11 12 10 10"
pfile[4] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/rk4_speedup_4.dat"
ptitle[4] = "lorenz96 (gcc -O3)"
pser[4] = "1 2 3 4 5 6 7 8 9 11 12 10 10"
pfile[5] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/rk4_speedup_5.dat"
ptitle[5] = "decay (clang -O2)"
pser[5] = "1 2 3 4 5 6 7 8 9 11 12 10 10"
pfile[6] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/rk4_speedup_6.dat"
ptitle[6] = "lorenz96 (clang -O2)"
pser[6] = "1 2 3 4 5 6 7 8 9 11 12 10 10"
pfile[7] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/rk4_speedup_7.dat"
ptitle[7] = "decay (clang -O3)"
pser[7] = "1 2 3 4 5 6 7 8 9 11 12 10 10"
pfile[8] = "/work/main/results/20261130T211515Z-1d7edb0/figures/data/rk4_speedup_8.dat"
ptitle[8] = "lorenz96 (clang -O3)"
pser[8] = "1 2 3 4 5 6 7 8 9 11 12 10 10"
stitle[1] = "malloc (glibc) / bump"
scolor[1] = "#d62728"
sdash[1] = "1"
spt[1] = "5"
stitle[2] = "stack / bump"
scolor[2] = "#2ca02c"
sdash[2] = "1"
spt[2] = "9"
stitle[3] = "malloc-once / bump"
scolor[3] = "#e377c2"
sdash[3] = "2"
spt[3] = "4"
stitle[4] = "bump-fixedn / bump"
scolor[4] = "#17a0b8"
sdash[4] = "2"
spt[4] = "6"
stitle[5] = "bump_tuned / bump"
scolor[5] = "#0b2e6b"
sdash[5] = "1"
spt[5] = "11"
stitle[6] = "malloc_tuned / bump"
scolor[6] = "#8c1010"
sdash[6] = "2"
spt[6] = "13"
stitle[7] = "bump_checked / bump"
scolor[7] = "#7f7f7f"
sdash[7] = "4"
spt[7] = "8"
stitle[8] = "malloc_tuned / bump_tuned"
scolor[8] = "#8c1010"
sdash[8] = "4"
spt[8] = "13"
stitle[9] = "stack / bump_tuned"
scolor[9] = "#2ca02c"
sdash[9] = "4"
spt[9] = "9"
stitle[10] = "layout control's effect (± τ)"
scolor[10] = "#ff7f0e"
sdash[10] = "3"
spt[10] = "-1"
stitle[11] = "target: bump 5× faster than malloc (glibc), n ≤ 16"
scolor[11] = "#999999"
sdash[11] = "3"
spt[11] = "-1"
stitle[12] = "target: bump_tuned within 1.15× of stack, n ≥ 16"
scolor[12] = "#999999"
sdash[12] = "3"
spt[12] = "-1"
array xv[3]
xv[1] = 4
xv[2] = 64
xv[3] = 1024
array xl[3]
xl[1] = "4"
xl[2] = "64"
xl[3] = "1024"
