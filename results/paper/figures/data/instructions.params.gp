# written by plots/figures.py: the data and series of this figure
W = 1548
H = 2592
fig_title = "Instructions per step (callgrind)"
caption = "AMD EPYC, 2 cores · commit 794ac1b · 2026-11-30T23:11:45+00:00 · mode full"
rows = 8
cols = 1
npanels = 8
legend_h = 0.02623
array pfile[8]
array ptitle[8]
array pser[8]
nseries = 6
array stitle[6]
array scolor[6]
array sdash[6]
array spt[6]
pfile[1] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/instructions_1.dat"
ptitle[1] = "rk4 (gcc -O2)"
pser[1] = "1 2 3 4 5 6"
pfile[2] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/instructions_2.dat"
ptitle[2] = "rk4 (gcc -O3)"
pser[2] = "1 2 3 4 5 6"
pfile[3] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/instructions_3.dat"
ptitle[3] = "rk4 (clang -O2)"
pser[3] = "1 2 3 4 5 6"
pfile[4] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/instructions_4.dat"
ptitle[4] = "rk4 (clang -O3)"
pser[4] = "1 2 3 4 5 6"
pfile[5] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/instructions_5.dat"
ptitle[5] = "physics (gcc -O2)"
pser[5] = "1 2 3"
pfile[6] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/instructions_6.dat"
ptitle[6] = "physics (gcc -O3)"
pser[6] = "1 2 3"
pfile[7] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/instructions_7.dat"
ptitle[7] = "physics (clang -O2)"
pser[7] = "1 2 3"
pfile[8] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/instructions_8.dat"
ptitle[8] = "physics (clang -O3)"
pser[8] = "1 2 3"
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
stitle[4] = "bump_tuned"
scolor[4] = "#0b2e6b"
sdash[4] = "1"
spt[4] = "11"
stitle[5] = "malloc_tuned"
scolor[5] = "#8c1010"
sdash[5] = "2"
spt[5] = "13"
stitle[6] = "bump_checked"
scolor[6] = "#7f7f7f"
sdash[6] = "4"
spt[6] = "8"
xrot = 0
array pymin[8]
pymin[1] = 10
pymin[2] = 10
pymin[3] = 10
pymin[4] = 10
pymin[5] = 10000
pymin[6] = 10000
pymin[7] = 10000
pymin[8] = 10000
array pymax[8]
pymax[1] = 235864.2
pymax[2] = 68717.66
pymax[3] = 68981.66
pymax[4] = 68981.66
pymax[5] = 1346294.4
pymax[6] = 792897.6
pymax[7] = 904395.8
pymax[8] = 897791.4
