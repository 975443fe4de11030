"""A tool's failure (a compiler, objdump, a report in an unknown format), and how a report
records one row's failure and goes on."""


class ToolError(RuntimeError):
    pass


def brief(err, lines=12):
    """The first lines of an error (a compiler's stderr can be long)."""
    text = str(err).splitlines()
    return "\n".join(text[:lines] + ([f"... ({len(text) - lines} more lines)"] if len(text) > lines else []))


def collect_error(err, errors, notice, where):
    """A tool error in one row of a report: raised when the caller collects none (errors is
    None), else recorded and, with a notice function, named with where it happened."""
    if errors is None:
        raise err
    errors.append(err)
    if notice:
        notice(f"{where}: {brief(err)}")
