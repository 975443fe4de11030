# written by plots/figures.py: the data and series of this figure
W = 1580
H = 1220
fig_title = "Vectorization of the timed step, compiled in context (compiler reports)"
caption = "AMD EPYC, 2 cores · commit 794ac1b · 2026-11-30T23:11:45+00:00 · mode full"
rows = 3
cols = 4
npanels = 12
legend_h = 0.03770
array pfile[12]
array ptitle[12]
array pser[12]
nseries = 2
array stitle[2]
array scolor[2]
array sdash[2]
array spt[2]
pfile[1] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/vectorization_1.dat"
ptitle[1] = "rk4_run (gcc -O2)"
pser[1] = "1 2"
pfile[2] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/vectorization_2.dat"
ptitle[2] = "rk4_run (gcc -O3)"
pser[2] = "1 2"
pfile[3] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/vectorization_3.dat"
ptitle[3] = "rk4_run (clang -O2)"
pser[3] = "1 2"
pfile[4] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/vectorization_4.dat"
ptitle[4] = "rk4_run (clang -O3)"
pser[4] = "1 2"
pfile[5] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/vectorization_5.dat"
ptitle[5] = "phys_step, loop (gcc -O2)"
pser[5] = "1 2"
pfile[6] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/vectorization_6.dat"
ptitle[6] = "phys_step, loop (gcc -O3)"
pser[6] = "1 2"
pfile[7] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/vectorization_7.dat"
ptitle[7] = "phys_step, loop (clang -O2)"
pser[7] = "1 2"
pfile[8] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/vectorization_8.dat"
ptitle[8] = "phys_step, loop (clang -O3)"
pser[8] = "1 2"
pfile[9] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/vectorization_9.dat"
ptitle[9] = "phys_step, array (gcc -O2)"
pser[9] = "1 2"
pfile[10] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/vectorization_10.dat"
ptitle[10] = "phys_step, array (gcc -O3)"
pser[10] = "1 2"
pfile[11] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/vectorization_11.dat"
ptitle[11] = "phys_step, array (clang -O2)"
pser[11] = "1 2"
pfile[12] = "/work/main/results/20261130T215953Z-794ac1b/figures/data/vectorization_12.dat"
ptitle[12] = "phys_step, array (clang -O3)"
pser[12] = "1 2"
stitle[1] = "loops vectorized"
scolor[1] = "#4a90d9"
sdash[1] = "1"
spt[1] = "5"
stitle[2] = "loops missed"
scolor[2] = "#e8743b"
sdash[2] = "1"
spt[2] = "5"
xrot = 30
array pymin[12]
pymin[1] = 0
pymin[2] = 0
pymin[3] = 0
pymin[4] = 0
pymin[5] = 0
pymin[6] = 0
pymin[7] = 0
pymin[8] = 0
pymin[9] = 0
pymin[10] = 0
pymin[11] = 0
pymin[12] = 0
array pymax[12]
pymax[1] = 150.65
pymax[2] = 128.8
pymax[3] = 162.15
pymax[4] = 162.15
pymax[5] = 26.45
pymax[6] = 24.15
pymax[7] = 19.55
pymax[8] = 16.1
pymax[9] = 147.2
pymax[10] = 193.2
pymax[11] = 200.1
pymax[12] = 200.1
