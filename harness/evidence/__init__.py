"""evidence — what the compilers make of the hot functions, per implementation: vectorization
reports, normalized assembly and its metrics, the seed's fold-to-constant matrix, and what each
memory style asks of the programmer. Every source is compiled with the flags and include
directories of a configured build (--build, default build/release: its ss_build.json and
compile_commands.json). Run with harness/ on PYTHONPATH.

    python3 -m evidence OUTDIR       everything, into a run folder (runfolder)
    python3 -m evidence.show FUNC    one function in the implementations, side by side
    python3 -m evidence.fold         the seed's experiment, checked against what is known

    errors      ToolError and how a report records one
    table       harness/evidence_table.txt: which sources and functions
    compile     a source or probe unit compiled with the build's flags
    objdump     disassembly of an object file
    asm         metrics and normalized text of one function's instructions
    vecreport   vectorization.csv, vectorization_loops.csv, vecreport/
    asmreport   asm.csv, asm/
    ergonomics  ergonomics.csv
    fold        fold.csv (the seed's experiment)
    runfolder   all of them into one folder, and evidence.txt
    args        the command-line arguments the tools share
"""
